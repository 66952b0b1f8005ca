from django.core.management.base import CommandError

from projects import briefing
from projects.management.meeting_document import MeetingDocumentCommand


class Command(MeetingDocumentCommand):
    help = "위원회 회의자료 PDF(A4 세로)를 만듭니다."

    def filename(self, year: int, quarter: int) -> str:
        return briefing.briefing_filename(year, quarter)

    def make(self, *, year: int, quarter: int) -> bytes:
        try:
            return briefing.briefing_pdf(year=year, quarter=quarter)
        except briefing.PdfUnavailable as missing:
            raise CommandError(
                f"PDF를 만들 수 없습니다: WeasyPrint와 Pango가 필요합니다 ({missing})."
            ) from None
