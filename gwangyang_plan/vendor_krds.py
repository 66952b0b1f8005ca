"""Vendors the parts of KRDS (npm package krds-uiux) that the site uses into static/vendor/krds/.

Run by `make krds` on an unpacked package (`npm pack krds-uiux`); never at run time, so serving
the site needs neither Node nor the network. What it writes, and why:

- css/krds_tokens.css: the design tokens (colour, type scale, spacing), as published.
- css/krds_components.css: only the rules of the components our templates use, cut out of the
  package's component.css (541 KB with every component), plus the root variables of its
  common.css that those rules read; the icons they name are copied beside them.
- fonts/ and css/krds_fonts.css: PretendardGOV Regular and Bold, each cut into two files by
  unicode-range: "core" (Latin, punctuation, symbols, and every Hangul syllable in our own
  interface text and plan) and "rest" (the other syllables of the font). A page of ours
  downloads only the core files (about a fifth of the full font) unless its data has a rarer
  syllable, when the browser fetches the rest too.
- ../pdf-fonts/: the fonts of the PDF meeting document (WeasyPrint embeds what it uses): the
  whole of PretendardGOV Regular and Bold in one file each (woff: zlib, which FreeType reads
  without brotli), and for the Hangul syllables PretendardGOV lacks, Nanum Gothic (OFL 1.1,
  Debian's fonts-nanum, when installed) cut to those syllables, so that any name prints.
"""

import argparse
import json
import re
import shutil
from datetime import date
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET = BASE_DIR / "static" / "vendor" / "krds"

# Class or id names whose rules are kept: the components the templates use.
COMPONENTS = (
    ".krds-btn",
    ".krds-badge",
    ".krds-breadcrumb-wrap",
    ".krds-pagination",
    "#krds-skip-link",
    ".krds-form-select",
    ".krds-step-wrap",
)
# From common.css: the variables every component reads. Not its reset, which hides every
# legend and caption (ours are read by everyone).
COMMON = (":root",)
WEIGHTS = ("Regular", "Bold")
# Always in the core font: Latin, general punctuation, arrows and symbols, CJK punctuation and
# Hangul compatibility jamo.
CORE_RANGES = [
    (0x20, 0x7E),
    (0xA0, 0xFF),
    (0x2000, 0x206F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x25A0, 0x25FF),
    (0x3000, 0x303F),
    (0x3131, 0x318E),
]
HANGUL = re.compile("[\uac00-\ud7a3]")
OUR_TEXT = ("templates", "locale", "fixtures", "projects", "strategies", "gwangyang_plan")


def blocks(css: str) -> list[tuple[str, str]]:
    """Top-level statements of a stylesheet as (prelude, body); body is '' for `@x ...;`."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out, i, n = [], 0, len(css)
    while i < n:
        brace = css.find("{", i)
        semi = css.find(";", i)
        if brace == -1:
            break
        if semi != -1 and semi < brace:
            out.append((css[i:semi].strip(), ""))
            i = semi + 1
            continue
        depth, j = 1, brace + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        out.append((css[i:brace].strip(), css[brace + 1 : j - 1]))
        i = j
    return out


def wanted(selector: str, names: tuple[str, ...]) -> bool:
    return any(re.search(re.escape(name) + r"(?![\w-])", selector) for name in names)


def cut(css: str, names: tuple[str, ...]) -> str:
    """The rules whose selector names one of `names`, inside their @media blocks."""
    kept = []
    for prelude, body in blocks(css):
        if prelude.startswith("@media") or prelude.startswith("@supports"):
            inner = cut(body, names)
            if inner:
                kept.append(f"{prelude} {{\n{inner}}}\n")
        elif not prelude.startswith("@") and wanted(prelude, names):
            kept.append(f"{prelude} {{{body}}}\n")
    return "".join(kept)


def copy_icons(css: str, package: Path) -> str:
    """Copies the icons the rules name with url(...) and points the rules at the copies. Found
    by file name: component.css names them under a folder the package does not have
    (img/img/component/icon/ rather than img/component/icon/)."""

    def move(match: re.Match) -> str:
        name = Path(match.group(1)).name
        source = next((package / "resources" / "img").rglob(name))
        relative = Path("img") / source.name
        (TARGET / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, TARGET / relative)
        return f"url(../{relative.as_posix()})"

    return re.sub(r"url\(['\"]?([^)'\"]+\.svg)['\"]?\)", move, css)


def our_syllables() -> set[int]:
    found = set()
    for folder in OUR_TEXT:
        for path in (BASE_DIR / folder).rglob("*"):
            if path.suffix in {".html", ".po", ".json", ".py", ".txt"}:
                found |= {ord(c) for c in HANGUL.findall(path.read_text(encoding="utf-8"))}
    return found


def ranges(codepoints: set[int]) -> str:
    """unicode-range value: runs of consecutive code points as U+XXXX-YYYY."""
    runs, ordered = [], sorted(codepoints)
    start = prev = ordered[0]
    for c in ordered[1:] + [None]:
        if c is not None and c == prev + 1:
            prev = c
            continue
        runs.append(f"U+{start:X}" if start == prev else f"U+{start:X}-{prev:X}")
        if c is not None:
            start = prev = c
    return ", ".join(runs)


def subset_font(source: Path, target: Path, codepoints: set[int], flavor="woff2") -> None:
    options = subset.Options()
    options.flavor = flavor
    options.hinting = False
    options.layout_features = ["kern", "liga", "calt"]
    options.drop_tables += ["vhea", "vmtx"]
    # Keep the names, the copyright and the licence (OFL 1.1) in each file.
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def fonts(package: Path) -> str:
    (TARGET / "fonts").mkdir(parents=True, exist_ok=True)
    core_wanted = {c for a, b in CORE_RANGES for c in range(a, b + 1)} | our_syllables()
    faces = []
    for weight in WEIGHTS:
        source = package / "resources" / "fonts" / f"PretendardGOV-{weight}.subset.woff2"
        has = set(TTFont(str(source)).getBestCmap())
        core = has & core_wanted
        rest = has - core_wanted
        # The rest covers the whole Hangul block (a short unicode-range) and comes first: where
        # faces overlap, the browser tries the last one declared, so the core wins for its
        # syllables and the rest is fetched only for the others.
        for part, codepoints, covers in (
            ("rest", rest, "U+AC00-D7A3"),
            ("core", core, ranges(core)),
        ):
            name = f"PretendardGOV-{weight}-{part}.woff2"
            subset_font(source, TARGET / "fonts" / name, codepoints)
            faces.append(
                "@font-face {\n"
                '  font-family: "Pretendard GOV";\n'
                f"  font-weight: {700 if weight == 'Bold' else 400};\n"
                "  font-style: normal;\n"
                "  font-display: swap;\n"
                f'  src: url(../fonts/{name}) format("woff2");\n'
                f"  unicode-range: {covers};\n"
                "}\n"
            )
    return "".join(faces)


PDF_FONTS = BASE_DIR / "static" / "vendor" / "pdf-fonts"
NANUM = Path("/usr/share/fonts/truetype/nanum")
HANGUL_SYLLABLES = set(range(0xAC00, 0xD7A4))


def pdf_fonts(package: Path) -> None:
    """The PDF's fonts (see the module's docstring) and their VERSION.md."""
    PDF_FONTS.mkdir(parents=True, exist_ok=True)
    missing = set()
    for weight in WEIGHTS:
        source = package / "resources" / "fonts" / f"PretendardGOV-{weight}.subset.woff2"
        has = set(TTFont(str(source)).getBestCmap())
        subset_font(source, PDF_FONTS / f"PretendardGOV-{weight}.woff", has, flavor="woff")
        missing = HANGUL_SYLLABLES - has
        nanum = NANUM / ("NanumGothicBold.ttf" if weight == "Bold" else "NanumGothic.ttf")
        if nanum.exists():
            target = PDF_FONTS / f"NanumGothic-{weight}-rest.woff"
            subset_font(nanum, target, missing, flavor="woff")
    (PDF_FONTS / "VERSION.md").write_text(
        f"""# Fonts of the PDF meeting document

Written by `make krds` (gwangyang_plan/vendor_krds.py) on {date.today().isoformat()}; do not edit.

- PretendardGOV-Regular.woff, PretendardGOV-Bold.woff: every glyph of PretendardGOV as KRDS
  publishes it (krds-uiux, resources/fonts/*.subset.woff2: Latin, punctuation and
  {len(HANGUL_SYLLABLES - missing)} Hangul syllables), re-encoded as woff. Pretendard GOV, by
  Kil Hyung-jin (orioncactus), SIL Open Font License 1.1.
- NanumGothic-Regular-rest.woff, NanumGothic-Bold-rest.woff: the other {len(missing)} Hangul
  syllables, cut from Nanum Gothic (NAVER, SIL Open Font License 1.1; Debian fonts-nanum).
- Subsets and re-encoding are allowed by the licence; each file keeps its copyright and
  licence notice in its name table.
""",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the unpacked krds-uiux package folder")
    package = parser.parse_args().package
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    if TARGET.exists():
        shutil.rmtree(TARGET)
    (TARGET / "css").mkdir(parents=True)
    css_dir = package / "resources" / "css"
    head = f"/* KRDS {meta['version']} (npm krds-uiux), cut by gwangyang_plan/vendor_krds.py */\n"

    shutil.copyfile(css_dir / "token" / "krds_tokens.css", TARGET / "css" / "krds_tokens.css")
    common = cut((css_dir / "common" / "common.css").read_text(encoding="utf-8"), COMMON)
    component_dir = css_dir / "component"
    components = cut((component_dir / "component.css").read_text(encoding="utf-8"), COMPONENTS)
    components = copy_icons(components, package)
    (TARGET / "css" / "krds_components.css").write_text(
        head + common + components, encoding="utf-8"
    )
    (TARGET / "css" / "krds_fonts.css").write_text(head + fonts(package), encoding="utf-8")
    pdf_fonts(package)
    (TARGET / "VERSION.md").write_text(
        f"""# KRDS, vendored

- Package: krds-uiux {meta["version"]} from the npm registry
  (`npm pack krds-uiux@{meta["version"]}`), refreshed by `make krds` on {date.today().isoformat()}.
- Source: https://www.krds.go.kr (대한민국 디지털 정부 디자인 시스템, 행정안전부).
- Licence: the package declares `{meta["license"]}`; its README says use follows the KRDS terms
  of use (https://www.krds.go.kr/html/site/utility/utility_06.html). The PretendardGOV fonts
  (Pretendard GOV, by Kil Hyung-jin, orioncactus) are under the SIL Open Font License 1.1:
  the files here are subsets (woff2), renamed by weight and part, which the licence allows;
  each keeps the copyright and licence notice in its name table.
- What is here (only what the site uses):
  - css/krds_tokens.css: resources/css/token/krds_tokens.css unchanged;
  - css/krds_components.css: the rules of {", ".join(COMPONENTS)} from
    resources/css/component/component.css and the root variables of resources/css/common/common.css;
  - img/: the icons those rules name;
  - fonts/ + css/krds_fonts.css: PretendardGOV {" and ".join(WEIGHTS)}, each split into a core file
    (Latin, punctuation, and the Hangul syllables of our interface and plan) and a rest file
    (the other syllables), chosen by the browser through unicode-range.
- Do not edit these files by hand: change gwangyang_plan/vendor_krds.py and run `make krds`.
""",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
