from django.core.management.base import BaseCommand

from projects.services import reminders_send


class Command(BaseCommand):
    help = (
        "보고 기간 시작과 제출 기한 7일 전 알림 메일을 보냅니다. "
        "매일 실행해도 같은 메일은 한 번만 갑니다."
    )

    def handle(self, *args, **options):
        sent = reminders_send()
        total = sum(sent.values())
        self.stdout.write(self.style.SUCCESS(f"알림 메일 {total}통을 보냈습니다."))
