"""Korean pages show no English interface text, English pages no Korean interface text.

User data (project, department and people's names) stays as entered; what is checked is every
interface string in the catalogue: each is translated, and none shows in the other language.
"""

import gettext
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PAGES = [
    "/", "/plan/", "/projects/", "/projects/2-2-1/", "/projects/2-2-1/plans/2026/",
    "/projects/2-2-1/reports/2026/3/", "/review/", "/proposals/", "/import/", "/dashboard/grid/",
    "/accounts/login/", "/accounts/lockouts/", "/evaluations/",
    "/projects/2-2-1/evaluations/2025/",
]  # fmt: skip


def catalogue(*, contexts: bool = False) -> dict[str, str]:
    """msgid → msgstr (the singular) read from the .po file; with `contexts`, the entries
    with a msgctxt instead, as (context, msgid) → msgstr."""
    entries = {}
    for block in PO.read_text(encoding="utf-8").split("\n\n")[1:]:
        text = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
        msgid = re.search(r'msgid ((?:".*"\n?)+)', text)
        msgstr = re.search(r'msgstr(?:\[0\])? ((?:".*"\n?)+)', text)
        context = re.search(r'msgctxt ((?:".*"\n?)+)', text)
        join = lambda found: "".join(re.findall(r'"(.*)"', found.group(1)))  # noqa: E731
        if bool(context) == contexts:
            entries[(join(context), join(msgid)) if context else join(msgid)] = join(msgstr)
    return entries


def test_every_interface_string_has_an_english_translation():
    entries = catalogue() | catalogue(contexts=True)
    missing = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert missing == []


def test_the_compiled_catalogue_matches_the_source():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in catalogue().items():
        if "\\" in msgid:
            continue  # escapes are compared as decoded text by gettext itself
        assert compiled.gettext(msgid) == msgstr, msgid
    for (context, msgid), msgstr in catalogue(contexts=True).items():
        assert compiled.pgettext(context, msgid) == msgstr, (context, msgid)


class _Texts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def texts(html: str) -> set[str]:
    parser = _Texts()
    parser.feed(html)
    return set(parser.texts)


HANGUL = re.compile(r"[가-힣]")
PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{\w+\}")


def interface_strings(language: str) -> set[str]:
    """Whole interface strings with no placeholders, as a page would show them."""
    entries = catalogue()
    strings = set(entries) if language == "ko" else set(entries.values())
    return {
        s.replace("%%", "%")
        for s in strings
        if s and not PLACEHOLDER.search(s) and "<" not in s and len(s) > 1
    }


@pytest.fixture
def demo(plan):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize(("language", "foreign"), [("ko", "en"), ("en", "ko")])
def test_no_interface_text_of_the_other_language_remains(client, demo, language, foreign):
    from projects.models import User

    client.force_login(User.objects.get(username="coordinator"))
    client.cookies["django_language"] = language
    own = interface_strings(language)
    other = interface_strings(foreign) - own  # strings the same in both (e.g. "pdf, hwp…")
    for url in PAGES:
        shown = texts(client.get(url).content.decode())
        leaked = shown & other
        assert leaked == set(), (language, url, sorted(leaked)[:10])
    if language == "en":
        page = client.get("/").content.decode()
        assert "Digital transformation of key industries" in page  # directions in English


STAFF_PAGES = ["/my/", "/projects/2-2-1/", "/projects/2-2-1/reports/2026/4/", "/"]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_a_staff_member_reads_plain_english_and_no_korean_interface_text(client, demo, url):
    from projects.models import User

    client.force_login(User.objects.get(username="staff-digital"))
    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    shown = texts(html)
    assert shown & (interface_strings("ko") - interface_strings("en")) == set(), url
    for awkward in ("Level", "Opinion", "About"):
        assert awkward not in shown, (url, awkward)
    assert not re.search(r"\dPhase|Phase\d", html), url


def test_the_submit_button_says_submit_and_a_phase_reads_phase_n(client, demo):
    from projects.models import ReportingPeriod, User

    today = timezone.localdate()  # the demo's 2026 Q4, open whatever the date of the run
    ReportingPeriod.objects.filter(year=2026, quarter=4).update(
        opens_on=today - timedelta(days=1), due_on=today + timedelta(days=30), closed=False
    )

    client.force_login(User.objects.get(username="staff-digital"))
    client.cookies["django_language"] = "en"
    form = client.get("/projects/2-2-1/reports/2026/4/").content.decode()
    assert re.search(r"<button[^>]*>Submit</button>", form)
    assert "Submitted</button>" not in form
    assert re.search(r"Phase \d", client.get("/projects/2-2-1/").content.decode())


def test_the_status_grid_marks_its_cells_in_the_page_language(client, demo):
    from projects.models import User

    client.force_login(User.objects.get(username="staff-digital"))
    cells = r'<td class="q[^"]*"[^>]*>(?:<a [^>]*>)?(?:<em>)?([^<]+)'
    client.cookies["django_language"] = "en"
    english = set(re.findall(cells, client.get("/dashboard/grid/").content.decode()))
    assert english and not any(HANGUL.search(mark) for mark in english)
    assert {"OK", "D", "C"} <= english
    client.cookies["django_language"] = "ko"
    assert {"정", "지", "완"} <= set(
        re.findall(cells, client.get("/dashboard/grid/").content.decode())
    )
