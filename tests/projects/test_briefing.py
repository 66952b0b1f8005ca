"""The committee's PDF meeting document: the dashboard's figures on A4 portrait pages, approved
data only, made without the network, and a clear page when the server cannot make PDFs."""

import os
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from projects import briefing, charts, selectors
from projects.choices import FilingState, ProjectStatus
from projects.models import ProgressReport, Project
from projects.templatetags.projects import million, percent
from projects.workbooks import format as xlsx_format
from projects.workbooks.format import official_date
from tests.tools import office_tool

URL = "/export/briefing.pdf?year=2026&quarter=3"
TITLE = "광양시 4차산업혁명 촉진 기본계획 추진상황 — 2026년 3분기"
MARKER = "검토전표식XYZ"


def pdftotext(content: bytes, tmp_path, option: str) -> str:
    """What pdftotext gives for the PDF with `option` (-layout: text; -bbox: each word's box)."""
    source = tmp_path / "briefing.pdf"
    source.write_bytes(content)
    return subprocess.run(
        [office_tool("pdftotext"), option, str(source), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


def pages_of(content: bytes, tmp_path) -> list[str]:
    """The text of each page, as pdftotext lays it out, each run of blanks made one space."""
    text = pdftotext(content, tmp_path, "-layout")
    return [re.sub(r"\s+", " ", page).strip() for page in text.split("\f") if page.strip()]


def pdf_info(content: bytes, tmp_path) -> str:
    source = tmp_path / "info.pdf"
    source.write_bytes(content)
    command = [office_tool("pdfinfo"), "-f", "1", "-l", "999", str(source)]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def require_weasyprint() -> None:
    """Skip (fail under REQUIRE_OFFICE=1, as CI runs) where WeasyPrint or Pango is missing."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as missing:
        if os.environ.get("REQUIRE_OFFICE") == "1":
            pytest.fail(f"REQUIRE_OFFICE=1, but WeasyPrint cannot run: {missing}")
        pytest.skip(f"WeasyPrint or Pango is missing: {missing}")


@pytest.fixture
def demo(module_demo, db):
    """The demo data (made once for the module), for the tests that make a PDF (so: skipped
    without WeasyPrint)."""
    require_weasyprint()


@pytest.fixture(scope="module")
def pdf(module_demo, django_db_blocker) -> bytes:
    """The demo's 2026 Q3 document, made once for the tests that only read it."""
    require_weasyprint()
    with django_db_blocker.unblock():
        return briefing.briefing_pdf(year=2026, quarter=3)


@pytest.fixture(scope="module")
def pages(pdf, tmp_path_factory) -> list[str]:
    return pages_of(pdf, tmp_path_factory.mktemp("pages"))


def page_titled(pages: list[str], heading: str) -> str:
    """The page whose running header (at its top) names `heading`."""
    found = [page for page in pages if page.startswith(f"{TITLE} {heading}")]
    assert found, heading
    return found[0]


# --- The paper ------------------------------------------------------------------------------


def test_every_page_is_a4_portrait(pdf, tmp_path):
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", pdf_info(pdf, tmp_path))
    assert 6 <= len(sizes) <= 30
    for width, height in sizes:
        assert (round(float(width)), round(float(height))) == (595, 842)  # A4, portrait


def test_every_page_but_the_cover_has_the_running_header_and_n_of_m(pages):
    total = len(pages)
    assert pages[0].startswith("위원회 회의자료 " + TITLE)  # the cover: no running header
    for number, page in enumerate(pages, start=1):
        assert page.endswith(f"- {number} / {total} -")
        if number > 1:
            assert page.startswith(TITLE)


def test_the_cover_names_the_quarter_the_date_and_the_committee(pages):
    cover = pages[0]
    today = official_date(selectors.figures.timezone.localdate())
    for text in (
        "보고 분기 2026년 3분기 (2026. 7. 1.~9. 30.)",
        f"기준일 {today} (이날까지 승인된 실적)",
        "작성 총괄 부서",
        "광양시 4차산업혁명위원회",
    ):
        assert text in cover


def test_the_contents_list_every_chapter_with_its_page(pages):
    contents = page_titled(pages, "목차")
    directions = selectors.active_plan().directions.order_by("order")
    chapters = ["추진현황 요약", "지연·부진 사업: 문제점과 대응방안"]
    chapters += [f"전략방향 {d.code}. {d.name}" for d in directions]
    chapters += ["재원별 예산과 집행", "미제출 사업", "부록: 전체 사업 목록"]
    for chapter in chapters:
        found = re.search(re.escape(chapter) + r" [.\s]*(\d+)", contents)
        assert found, chapter
        assert chapter.split(":")[0] in pages[int(found[1]) - 1]


def test_the_text_is_in_the_shipped_fonts_and_never_smaller_than_9_pt(pdf, tmp_path):
    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf)
    fonts = subprocess.run(
        [office_tool("pdffonts"), str(source)], check=True, capture_output=True, text=True
    ).stdout
    embedded = re.findall(r"^\w{6}\+(\S+)", fonts, flags=re.M)
    assert embedded and all(name.startswith("Pretendard-GOV") for name in embedded), fonts
    css = briefing.STYLESHEET.read_text(encoding="utf-8")
    sizes = [float(size) for size in re.findall(r"font-size: ([\d.]+)pt", css)]
    assert sizes and min(sizes) >= 9


def test_a_syllable_pretendard_lacks_prints_in_the_shipped_nanum_gothic(demo, tmp_path):
    """갂 and 뀗 are among the 8,392 syllables PretendardGOV does not draw."""
    Project.objects.filter(code="1-1-1").update(name="갂뀗 스마트팩토리")
    pdf = briefing.briefing_pdf(year=2026, quarter=3)
    source = tmp_path / "rare.pdf"
    source.write_bytes(pdf)
    fonts = subprocess.run(
        [office_tool("pdffonts"), str(source)], check=True, capture_output=True, text=True
    ).stdout
    assert "Nanum" in fonts
    assert "갂뀗 스마트팩토리" in " ".join(pages_of(pdf, tmp_path))


def test_nothing_is_fetched_but_the_apps_own_static_files():
    require_weasyprint()
    fetcher = briefing.local_files_fetcher()
    for url in ("https://example.com/font.woff", "file:///etc/passwd", "data:text/css,p{}"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    font = briefing.STATIC_DIR / "vendor" / "pdf-fonts" / "PretendardGOV-Regular.woff"
    assert fetcher.fetch(font.as_uri()).read(4) == b"wOFF"


# --- One source of figures ------------------------------------------------------------------


def test_every_number_on_the_summary_page_is_the_dashboards(pages):
    d = selectors.dashboard(year=2026, quarter=3)
    summary = page_titled(pages, "추진현황 요약")
    expected = [
        TITLE, "추진현황 요약", "2026년 3분기, 승인된 실적 기준",
        percent(d.rollup.progress), percent(d.submission_rate), percent(d.budget[-1][4]),
        percent(d.indicators["average"]),
        f"제출 {d.filed}건 / 대상 {d.running}건",
        f"지표 {d.indicators['with_target']}개 중 실적 {d.indicators['reported']}개의",
        f"추진상태 (추진 중인 사업 {d.running}개)",
        # The status bar labels its wider parts, as on the dashboard; then the legend.
        *[f"{s.label} {s.value}" for s in charts.stacked(d.status_counts) if s.width > 6],
        *[f"{label} {n}" for _key, label, n in d.status_counts],
        *[f"{r.obj.code}. {r.obj.name} ({r.projects}) {percent(r.progress)}"
          for r in d.rollup.children],
        f"계획 전체 ({d.rollup.projects}) {percent(d.rollup.progress)}",
        "2026년 재원별 예산 집행",
        *[f"{label} {million(b)} {million(s)} {percent(r)}"
          for key, label, b, s, r in d.budget if b or s or key == "total"],
        f"지연·부진 사업 {sum(n for k, _l, n in d.status_counts if k in ('delayed', 'at_risk'))}건",
        f"미제출 사업 {d.not_filed_total}건",
        f"달성률 70% 미만 지표 {d.indicators['short']}개",
    ]  # fmt: skip
    for text in expected:
        assert text in summary, text
        summary = summary.replace(text, " ", 1)
    summary = re.sub(r"- \d+ / \d+ -$", "", summary)
    assert not re.search(r"\d", summary), summary  # no figure that is not the dashboard's
    assert not [label for key, label, b, s, _r in d.budget if not (b or s) and key != "total"
                and f"{label} " in summary]  # fmt: skip


def test_the_budget_table_prints_whole_with_the_original_beside_the_change(demo, pages):
    """The demo's approved changes add the 당초 column: each source's row still prints its
    집행률 (the column was squeezed off the page)."""
    head = selectors.headline(plan=selectors.active_plan(), year=2026, quarter=3)
    assert head.budget_original  # the 당초 column is shown
    chapter = page_titled(pages, "재원별 예산과 집행")
    shown = 0
    for key, label, planned, spent, rate in head.budget:
        if planned or spent or key == "total":
            assert f"{label} " in chapter and percent(rate) in chapter, label
            # 당초 printed on every row, unchanged or not: the column adds up to its 합계
            before = head.budget_original.get(key, planned)
            assert f"{label} {million(before)} {million(planned)}" in chapter, label
            shown += before if key != "total" else 0
    assert shown == head.budget_original["total"]


def test_no_text_runs_past_the_right_margin(pdf, tmp_path):
    """Every page's text stays left of the running header's right edge (the margin): the
    budget table's 집행률 ran past it."""
    boxes = pdftotext(pdf, tmp_path, "-bbox")
    word = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</word>')
    for number, page in enumerate(boxes.split("<page ")[2:], start=2):  # the cover has no header
        words = [(float(y), float(x), text) for y, x, text in word.findall(page)]
        top = min(y for y, _x, _text in words)
        edge = max(x for y, x, _text in words if y == top)  # the running header's right end
        beyond = [text for y, x, text in words if x > edge + 1]
        assert beyond == [], (number, beyond)


def test_the_exceptions_their_directions_and_the_late_ones_are_the_selectors(demo, pages):
    plan = selectors.active_plan()
    text = " ".join(pages)
    exceptions = selectors.exceptions(plan=plan, year=2026, quarter=3)
    assert exceptions
    chapter = page_titled(pages, "지연·부진 사업")
    assert f"지연·부진 사업 ({len(exceptions)}건): 문제점과 대응방안" in chapter
    for p in exceptions:
        label = ProjectStatus(p.period_status).label
        assert f"{p.code} {p.name} {p.lead_department.name} · {label} · 진척률 " \
               f"{percent(p.period_progress)}" in chapter  # fmt: skip
        assert f"문제점 {p.period_problems}" in chapter
        assert f"대응방안 {p.period_countermeasures}" in chapter
    per_task = selectors.task_totals(plan=plan, year=2026, quarter=3)
    keys = [*ProjectStatus.values, None]
    rollup = selectors.progress_rollup(plan=plan, year=2026, quarter=3)
    for direction in rollup.children:
        page = page_titled(pages, f"전략방향 {direction.obj.code}")
        assert f"진척률 {percent(direction.progress)}" in page
        for task in direction.children:
            figures = per_task[task.obj.pk]
            counts = " ".join(str(figures["statuses"][key]) for key in keys)
            row = f"{figures['projects']} {percent(task.progress)} {counts} " \
                  f"{million(figures['budget'])} {million(figures['spent'])}"  # fmt: skip
            assert row in page, (task.obj.code, row)
    late = selectors.not_filed(plan=plan, year=2026, quarter=3)
    assert late
    assert f"미제출 사업 ({len(late)}건)" in text
    for p, deadline, days in late:
        assert f"{p.code} {p.name} {p.lead_department.name}" in text
        assert f"{deadline.isoformat()} {days}일" in text or not days


def test_a_directions_page_names_the_projects_its_progress_counts_beyond_the_running(demo, pages):
    """Task 1-1 read "사업 2 · 79.5%" beside two projects at 58.3% and 87.9%: its 진척률
    counts 1-1-3 too, whose years are over, and the page did not say so."""
    plan = selectors.active_plan()
    finished = Project.objects.filter(
        selectors.in_plan_as_of(2026, 3), task__direction__plan=plan
    ).exclude(selectors.running_in(2026, 3))
    assert finished.exists()
    for p in finished.select_related("task__direction"):
        page = page_titled(pages, f"전략방향 {p.task.direction.code}")
        assert "진척률에 함께 계산된 사업 (이 분기가 사업 기간 밖)" in page
        assert f"{p.code} {p.name} {p.start_year}–{p.end_year}" in page


def test_a_project_whose_report_is_not_approved_yet_is_not_said_to_have_none(demo, pages):
    """1-2-1 read "실적 없음 63.3%" while its 3분기 report waited for approval (and 63.3% was
    its 2분기 figure): a report waiting says so, and only a missing one is 미제출."""
    plan = selectors.active_plan()
    running = selectors.with_period_state(
        selectors.running_projects(plan=plan, year=2026, quarter=3), year=2026, quarter=3
    ).select_related("task__direction")
    waiting = running.filter(period_state=FilingState.SUBMITTED).first()
    missing = running.filter(period_state__isnull=True).first()
    # a draft is not filed: the 미제출 chapter lists it, and so does its direction's page
    draft = running.filter(period_state=FilingState.DRAFT).first()
    assert waiting and missing and draft
    for p, shown in ((waiting, "승인 전 (제출)"), (missing, "미제출"), (draft, "미제출 (작성중)")):
        page = page_titled(pages, f"전략방향 {p.task.direction.code}")
        assert re.search(rf"{re.escape(p.code)} .*? {re.escape(shown)} \d", page), (p.code, shown)
    assert not re.search(
        r"(?<!승인된 )실적 없음", " ".join(pages)
    )  # the status bar's own label stays


def test_the_document_names_the_indicators_that_fall_short_as_the_dashboard_does(demo, pages):
    """It said "달성률 70% 미만 지표 23개" and named none of them."""
    chapter = page_titled(pages, "성과지표 달성")
    summary, weakest = selectors.indicator_achievement(year=2026, quarter=3)
    assert weakest and f"미흡(70% 미만) {summary['short']}개" in chapter
    for indicator in weakest:
        assert f"{indicator.project.code} {indicator.name}" in chapter
        assert percent(indicator.rate) in chapter


def test_the_appendix_lists_every_project_of_the_plan_on_one_line(demo, pages):
    """Every project of the plan as of the quarter (not the demo's one ended in 2025)."""
    appendix = " ".join(page for page in pages if page.startswith(f"{TITLE} 부록"))
    projects = Project.objects.filter(
        selectors.in_plan_as_of(2026, 3), task__direction__plan=selectors.active_plan()
    )
    assert f"부록: 전체 사업 목록 ({projects.count()}개)" in appendix
    # …and says which it leaves out: the one ended in 2025 (the 2026 appendix left it out
    # without a word, while the dashboard's grid shows it as 중단)
    ended = Project.objects.exclude(selectors.not_ended_before(2026, 3)).order_by("code")
    assert ended.exists()
    codes = ", ".join(p.code for p in ended)
    assert f"{ended.count()}개는 목록과 진척률에서 뺐습니다: {codes}." in appendix
    for p in projects.select_related("lead_department"):
        assert f"{p.code} {p.name} {p.lead_department.name} {p.start_year}–{p.end_year}" in (
            appendix
        )


# --- Approved data only, and who may download it --------------------------------------------


@pytest.fixture
def drafts(demo):
    """Reports of 2026 Q3 not approved, said to be 지연 with the marker in every text field."""
    texts = {field: MARKER for field in xlsx_format.REPORT_TEXT_FIELDS}
    reports = ProgressReport.objects.filter(year=2026, quarter=3).exclude(
        state=FilingState.APPROVED
    )
    assert reports.exists()
    reports.update(status=ProjectStatus.DELAYED, **texts)
    return reports


@pytest.mark.parametrize("role", ["committee", "coordinator"])
def test_a_draft_is_never_in_the_pdf_whoever_downloads_it(client, request, drafts, tmp_path, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="gwangyang-briefing-2026-Q3.pdf"'
    )
    text = " ".join(pages_of(response.content, tmp_path))
    assert MARKER not in text
    exceptions = selectors.exceptions(plan=selectors.active_plan(), year=2026, quarter=3)
    assert f"지연·부진 사업 ({len(exceptions)}건)" in text


def test_anonymous_visitors_are_sent_to_sign_in(client, plan):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("document", ["briefing.pdf", "workbook.xlsx"])
def test_a_year_outside_the_plan_is_refused_in_korean(client, committee, plan, document):
    """Both meeting documents alike: the workbook made a "1999년 1분기" handout of zeros."""
    client.force_login(committee)
    response = client.get(f"/export/{document}?year=2040&quarter=3")
    assert response.status_code == 400
    assert "2040년은 기본계획 기간(2023~2027년)이 아닙니다." in response.content.decode()


@pytest.mark.parametrize("document", ["briefing.pdf", "workbook.xlsx"])
@pytest.mark.parametrize("query", ["year=2026&quarter=9", "year=abc&quarter=1", "quarter=-1"])
def test_a_quarter_that_is_not_one_is_refused_not_swapped_for_another(
    client, committee, plan, query, document
):
    """quarter=7 had quietly given the dashboard's quarter, in a file named after it."""
    client.force_login(committee)
    response = client.get(f"/export/{document}?{query}")
    assert response.status_code == 400
    assert (
        "연도와 분기를 숫자로 적어 주세요. 예: ?year=2026&amp;quarter=3"
        in response.content.decode()
    )


def test_without_a_quarter_the_document_is_the_dashboards(client, committee, plan, monkeypatch):
    asked = []
    monkeypatch.setattr(
        briefing, "briefing_pdf", lambda **kwargs: asked.append(kwargs) or b"%PDF-1.7"
    )
    client.force_login(committee)
    response = client.get("/export/briefing.pdf")
    assert response.status_code == 200
    year, quarter = selectors.dashboard_period(None, None)
    assert (asked[0]["year"], asked[0]["quarter"]) == (year, quarter)
    assert f"{year}-Q{quarter}.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("command", ["export_briefing", "export_workbook"])
def test_the_commands_refuse_what_the_download_refuses(plan, tmp_path, command):
    """The commands had no rule: a year outside the plan or a quarter to come made a file."""
    for year, quarter, message in ((2040, 1, "기본계획 기간"), (2027, 4, "아직 시작되지 않아")):
        with pytest.raises(CommandError, match=message):
            call_command(command, year=year, quarter=quarter, output=tmp_path / "x", verbosity=0)
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("document", ["briefing.pdf", "workbook.xlsx"])
def test_a_quarter_that_has_not_begun_has_no_document(client, committee, plan, document):
    """2027 Q1 gave a 10-page document of zeros ("제출률 0.0%", 2026's progress carried over)."""
    client.force_login(committee)
    today = timezone.localdate()
    year, quarter = (today.year, today.month // 3 + 2) if today.month < 10 else (today.year + 1, 1)
    response = client.get(f"/export/{document}?year={year}&quarter={quarter}")
    assert response.status_code == 400
    assert f"{year}년 {quarter}분기는 아직 시작되지 않아" in response.content.decode()


# --- Without WeasyPrint ---------------------------------------------------------------------


def test_without_weasyprint_the_pdf_url_says_so_in_korean_with_503(
    client, committee, plan, monkeypatch
):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` fails
    client.force_login(committee)
    response = client.get(URL)
    assert response.status_code == 503
    page = response.content.decode()
    assert "회의자료 PDF를 만들 수 없습니다" in page and "WeasyPrint와 Pango" in page
    assert client.get("/").status_code == 200  # the rest of the app runs


def test_the_app_imports_and_checks_without_weasyprint():
    code = (
        "import sys; sys.modules['weasyprint'] = None; import django, os;"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'tests.settings'; django.setup();"
        "from django.core.management import call_command; call_command('check');"
        "import projects.urls, projects.briefing"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_command_writes_the_pdf_or_says_why_not(demo, tmp_path, monkeypatch):
    target = tmp_path / "briefing.pdf"
    call_command("export_briefing", "--year", "2026", "--quarter", "3", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF-")
    assert TITLE in " ".join(pages_of(target.read_bytes(), tmp_path))
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(CommandError, match="WeasyPrint와 Pango가 필요합니다"):
        call_command("export_briefing", "--year", "2026", "--quarter", "3", "-o", str(target))
