from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gwangyang_plan.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "백업 파일로 데이터베이스(와 올린 파일)를 되돌립니다. 지금의 자료는 백업 내용으로 바뀝니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="묻지 않고 바로 되돌립니다")

    def handle(self, *args, file: Path, yes: bool, **options):
        if not yes:
            answer = input(f"지금의 자료를 {file} 의 내용으로 바꿉니다. 계속할까요? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("취소했습니다.")
        try:
            restore(file)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"되돌렸습니다: {file}"))
