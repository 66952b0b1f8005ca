"""Korean pages show no English interface text, English pages no Korean interface text.

User data (project, department and people's names) stays as entered; what is checked is every
interface string in the catalogue: each is translated, and none shows in the other language.
"""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PAGES = [
    "/", "/plan/", "/projects/", "/projects/2-2-1/", "/projects/2-2-1/plans/2026/",
    "/projects/2-2-1/reports/2026/3/", "/review/", "/proposals/", "/import/", "/dashboard/grid/",
    "/accounts/login/", "/accounts/lockouts/",
]  # fmt: skip


def catalogue() -> dict[str, str]:
    """msgid → msgstr (the singular) read from the .po file."""
    entries = {}
    for block in PO.read_text(encoding="utf-8").split("\n\n")[1:]:
        text = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
        msgid = re.search(r'msgid ((?:".*"\n?)+)', text)
        msgstr = re.search(r'msgstr(?:\[0\])? ((?:".*"\n?)+)', text)
        join = lambda found: "".join(re.findall(r'"(.*)"', found.group(1)))  # noqa: E731
        entries[join(msgid)] = join(msgstr)
    return entries


def test_every_interface_string_has_an_english_translation():
    missing = [msgid for msgid, msgstr in catalogue().items() if not msgstr]
    assert missing == []


def test_the_compiled_catalogue_matches_the_source():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in catalogue().items():
        if "\\" in msgid:
            continue  # escapes are compared as decoded text by gettext itself
        assert compiled.gettext(msgid) == msgstr, msgid


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
