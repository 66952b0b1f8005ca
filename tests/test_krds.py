"""The vendored KRDS files: noted, complete for our own text, readable status colours, and
templates that keep to the Content-Security-Policy (no inline style or script)."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

BASE_DIR = Path(__file__).resolve().parent.parent
KRDS = BASE_DIR / "static" / "vendor" / "krds"
HANGUL = re.compile("[\uac00-\ud7a3]")
STATUSES = ("on_track", "completed", "delayed", "at_risk", "on_hold", "dropped", "not_started")


def core_font_codepoints(weight: int) -> set[int]:
    """The code points of the core PretendardGOV file of a weight (its @font-face unicode-range)."""
    css = (KRDS / "css" / "krds_fonts.css").read_text(encoding="utf-8")
    for face in re.findall(r"@font-face \{(.*?)\}", css, flags=re.S):
        if f"font-weight: {weight};" in face and "-core.woff2" in face:
            found = set()
            for start, end in re.findall(r"U\+([0-9A-F]+)(?:-([0-9A-F]+))?", face):
                found |= set(range(int(start, 16), int(end or start, 16) + 1))
            return found
    raise AssertionError(f"no core font of weight {weight}")


def test_the_vendored_krds_names_its_version_licence_and_source():
    note = (KRDS / "VERSION.md").read_text(encoding="utf-8")
    assert "krds-uiux 1.1.0" in note
    assert "Licence" in note and "SIL Open Font License" in note
    assert "make krds" in note


def test_every_page_links_the_krds_stylesheets_and_they_are_served(rf):
    page = render_to_string("_page.html", request=rf.get("/"))
    sheets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', page)
    assert sheets[:3] == [
        "vendor/krds/css/krds_tokens.css",
        "vendor/krds/css/krds_fonts.css",
        "vendor/krds/css/krds_components.css",
    ]
    assert all(finders.find(sheet) for sheet in sheets)


@pytest.mark.parametrize("weight", [400, 700])
def test_our_interface_text_needs_only_the_core_font(weight):
    """Every Hangul syllable of our templates and catalogue is in the small core font file, so
    a page fetches the large rest file only for rarer syllables in its data. Fails after new
    interface text with a new syllable: run `make krds`."""
    text = "".join(
        path.read_text(encoding="utf-8")
        for folder in ("templates", "locale")
        for path in (BASE_DIR / folder).rglob("*")
        if path.suffix in {".html", ".po"}
    )
    missing = {ord(c) for c in HANGUL.findall(text)} - core_font_codepoints(weight)
    assert not missing, "".join(sorted(map(chr, missing)))


def token_colour(name: str, tokens: dict[str, str]) -> str:
    value = tokens[name]
    while value.startswith("var("):
        value = tokens[value[4:-1]]
    return value


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_status_word_is_readable_on_its_colour():
    """WCAG AA (4.5:1) for each status badge and grid cell, from KRDS's palette."""
    tokens = dict(
        re.findall(
            r"(--[\w-]+):\s*([^;]+);",
            (KRDS / "css" / "krds_tokens.css").read_text(encoding="utf-8")
            + (BASE_DIR / "static" / "css" / "app.css").read_text(encoding="utf-8"),
        )
    )
    ratios = {
        status: contrast(
            token_colour(f"--status-{status}", tokens),
            token_colour(f"--status-{status}-ink", tokens),
        )
        for status in STATUSES
    }
    assert all(ratio >= 4.5 for ratio in ratios.values()), ratios
    assert len({token_colour(f"--status-{s}", tokens) for s in STATUSES}) == len(STATUSES)


def test_no_template_has_inline_style_or_script():
    """The CSP allows neither: a style attribute, a style element or an inline script would be
    refused by the browser."""
    found = []
    for path in (BASE_DIR / "templates").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if re.search(r"\sstyle=|<style|<script(?![^>]*\ssrc=)|\son[a-z]+=", html):
            found.append(str(path.relative_to(BASE_DIR)))
    assert found == []
