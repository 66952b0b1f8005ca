"""What import_reports and import_plan share: read, show errors or changes, then apply."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from projects import workbooks
from projects.models import User


class ImportCommand(BaseCommand):
    kind: str  # the template kind this command takes ("reports" or "plan")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="반영하는 사람의 아이디 (권한·이력)")
        parser.add_argument("--dry-run", action="store_true", help="바뀔 내용만 보여 줍니다")

    def handle(self, *args, file: Path, user: str, dry_run: bool, **options):
        importer = User.objects.filter(username=user, is_active=True).first()
        if importer is None:
            raise CommandError(f"사용자 {user}가 없습니다.")
        try:
            with file.open("rb") as handle:
                upload = File(handle, name=file.name)
                preview = workbooks.read(upload, user=importer, kind=self.kind)
        except OSError as exc:
            raise CommandError(f"파일을 읽을 수 없습니다: {file} ({exc})") from None
        except workbooks.ImportRefused as refusal:
            raise CommandError(str(refusal)) from None
        for error in preview.errors:
            self.stderr.write(f"{error.sheet} {error.row}행 {error.column}: {error.message}")
        if not preview.ok:
            raise CommandError(f"오류 {len(preview.errors)}건: 아무것도 반영하지 않았습니다.")
        for change in preview.changes:
            self.stdout.write(f"{change.target} · {change.field}: {change.old} → {change.new}")
        if dry_run:
            self.stdout.write(f"미리보기: {len(preview.changes)}건이 바뀝니다 (반영하지 않음).")
            return
        try:
            workbooks.apply(preview, user=importer)
        except workbooks.ImportRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(self.style.SUCCESS(f"반영했습니다 ({len(preview.changes)}건)."))
