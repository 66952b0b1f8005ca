from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects import briefing, selectors


class Command(BaseCommand):
    help = "위원회 회의자료 PDF(A4 세로)를 만듭니다."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("-o", "--output", type=Path, help="저장할 파일 (기본: 표준 파일명)")

    def handle(self, *args, year: int, quarter: int, output: Path | None, **options):
        if selectors.active_plan() is None:
            raise CommandError("등록된 기본계획이 없습니다.")
        output = output or Path(briefing.briefing_filename(year, quarter))
        try:
            content = briefing.briefing_pdf(year=year, quarter=quarter)
        except briefing.PdfUnavailable as missing:
            raise CommandError(
                f"PDF를 만들 수 없습니다: WeasyPrint와 Pango가 필요합니다 ({missing})."
            ) from None
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"파일을 저장할 수 없습니다: {output} ({exc})") from None
        self.stdout.write(self.style.SUCCESS(f"저장함: {output}"))
