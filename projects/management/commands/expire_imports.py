from django.core.management.base import BaseCommand

from projects.workbooks import pending


class Command(BaseCommand):
    help = "미리보기 뒤 반영하지 않고 1시간이 지난 가져오기 파일을 지웁니다. 매일 실행하세요."

    def handle(self, *args, **options):
        expired = pending.expire()
        self.stdout.write(self.style.SUCCESS(f"가져오기 대기 파일 {expired}개를 지웠습니다."))
