import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from projects.services import plan_load

DEFAULT_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "plan.json"


class Command(BaseCommand):
    help = (
        "기본계획 구조와 예시 사업(fixtures/plan.json)을 불러옵니다. 이미 있으면 건드리지 않습니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FIXTURE)

    def handle(self, *args, file: Path, **options):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"계획 파일을 읽을 수 없습니다: {file} ({exc})") from None
        plan, created = plan_load(data=data)
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"불러옴: {plan} — 단계 {plan.phases.count()}, "
                    f"전략방향 {plan.directions.count()}, "
                    f"사업 {len(data['projects'])}"
                )
            )
        else:
            self.stdout.write(f"이미 있음: {plan} (변경하지 않았습니다)")
