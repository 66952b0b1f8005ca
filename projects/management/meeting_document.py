"""What export_workbook and export_briefing share: a quarter's meeting document to a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects import selectors
from projects.selectors.calendar import document_refusal


class MeetingDocumentCommand(BaseCommand):
    """A command that writes one quarter's meeting document: `make` builds its bytes,
    `filename` names it when no --output is given."""

    def make(self, *, year: int, quarter: int) -> bytes:
        raise NotImplementedError

    def filename(self, year: int, quarter: int) -> str:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("-o", "--output", type=Path, help="저장할 파일 (기본: 표준 파일명)")

    def handle(self, *args, year: int, quarter: int, output: Path | None, **options):
        plan = selectors.active_plan()
        if plan is None:
            raise CommandError("등록된 기본계획이 없습니다.")
        if refused := document_refusal(plan, year, quarter):  # as the download refuses it
            raise CommandError(refused)
        output = output or Path(self.filename(year, quarter))
        content = self.make(year=year, quarter=quarter)
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"파일을 저장할 수 없습니다: {output} ({exc})") from None
        self.stdout.write(self.style.SUCCESS(f"저장함: {output}"))
