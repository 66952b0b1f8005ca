from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from projects.demo import DEMO_PASSWORD, seed_demo
from projects.models import Department, User


class Command(BaseCommand):
    help = (
        "데모 사용자와 2023~2026년 데모 이력을 만듭니다 (DEBUG=on 에서만). "
        "다시 실행해도 중복되지 않습니다."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "DEBUG가 꺼져 있어 데모 데이터를 만들지 않습니다. "
                "데모 계정은 운영 환경에 만들 수 없습니다."
            )
        summary = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"데모 데이터: 새 시행계획 {summary.plans}건, 새 분기 실적 {summary.reports}건"
            )
        )
        self.stdout.write("데모 로그인 (비밀번호는 모두 " + DEMO_PASSWORD + "):")
        for user in User.objects.filter(username__in=self._demo_names()).select_related(
            "department"
        ):
            where = f" — {user.department}" if user.department else ""
            self.stdout.write(f"  {user.username}{where}")

    @staticmethod
    def _demo_names():
        codes = list(Department.objects.values_list("code", flat=True))
        departments = [f"{role}-{code}" for code in codes for role in ("staff", "head")]
        return ["admin", "coordinator", "committee", *departments]
