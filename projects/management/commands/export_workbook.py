from projects import workbooks
from projects.management.meeting_document import MeetingDocumentCommand


class Command(MeetingDocumentCommand):
    help = "위원회 회의용 엑셀(6개 시트)을 만듭니다."

    def filename(self, year: int, quarter: int) -> str:
        return workbooks.workbook_filename(year, quarter)

    def make(self, *, year: int, quarter: int) -> bytes:
        return workbooks.meeting_workbook(year=year, quarter=quarter)
