"""`make screenshots` also renders the meeting documents as they print, for a reviewer to look
at: the workbook through LibreOffice and the PDF meeting document, each page a PNG under
build/screenshots/ (paper-…). Skipped without LibreOffice or poppler unless REQUIRE_OFFICE=1."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from projects import briefing, workbooks
from tests.projects.test_briefing import require_weasyprint
from tests.tools import office_tool

SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"


@pytest.fixture
def demo(plan):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


def pages_as_png(pdf: Path, prefix: str) -> list[Path]:
    """Each page of `pdf` as build/screenshots/<prefix>-N.png, at 60 dpi."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob(f"{prefix}-*.png"):
        old.unlink()
    subprocess.run(
        [office_tool("pdftoppm"), "-png", "-r", "60", str(pdf), str(SCREENSHOTS / prefix)],
        check=True,
    )
    return sorted(SCREENSHOTS.glob(f"{prefix}-*.png"))


def test_the_briefing_pdf_pages_are_rendered(demo, tmp_path):
    office_tool("pdftoppm")
    require_weasyprint()
    pdf = tmp_path / "briefing.pdf"
    pdf.write_bytes(briefing.briefing_pdf(year=2026, quarter=3))
    pngs = pages_as_png(pdf, "paper-briefing")
    shutil.copyfile(pdf, SCREENSHOTS / "paper-briefing.pdf")
    assert len(pngs) >= 6 and all(png.stat().st_size > 5_000 for png in pngs)


def test_the_workbook_is_printed_through_libreoffice(demo, tmp_path):
    office = office_tool("soffice")
    office_tool("pdftoppm")
    source = tmp_path / "workbook.xlsx"
    source.write_bytes(workbooks.meeting_workbook(year=2026, quarter=3))
    subprocess.run(
        [office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pngs = pages_as_png(tmp_path / "workbook.pdf", "paper-workbook")
    assert len(pngs) >= 6 and all(png.stat().st_size > 5_000 for png in pngs)
