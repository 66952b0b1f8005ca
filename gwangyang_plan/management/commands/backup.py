from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gwangyang_plan.backup import BackupError, backup


class Command(BaseCommand):
    help = "데이터베이스와 올린 파일을 백업합니다 (PostgreSQL: pg_dump, SQLite: 온라인 백업)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, help="백업 파일 (기본: backups/날짜시각)")

    def handle(self, *args, output: Path | None, **options):
        if output is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.BASE_DIR) / "backups" / f"gwangyang-plan-{stamp}.backup"
        try:
            written = backup(output)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        for path in written:
            self.stdout.write(self.style.SUCCESS(f"백업함: {path}"))
