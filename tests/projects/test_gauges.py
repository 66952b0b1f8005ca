"""The ring gauges (진척률, 제출률, 집행률, 달성률) draw their value's share of the ring, on
screen and in the meeting PDF: rendered by WeasyPrint and rasterised, the ring is read back
pixel by pixel."""

import math
import subprocess
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from PIL import Image

from tests.projects.test_briefing import require_weasyprint
from tests.tools import office_tool

SIZE = 240  # CSS px, so 1 px a pixel at 96 dpi; the gauge's viewBox is 120 units wide
RADIUS = 96  # the ring's middle (r=48 units)


def ring_pixels(value, tmp_path) -> dict[int, tuple]:
    """The colour at each 10° of the ring, clockwise from 12 o'clock, in the PDF."""
    from weasyprint import HTML

    gauge = render_to_string("projects/_gauge.html", {"value": value, "label": "진척률"})
    html = (
        "<style>@page { size: 300px 300px; margin: 0 } body { margin: 0 }"
        f" svg {{ width: {SIZE}px; height: {SIZE}px; display: block }}</style>{gauge}"
    )
    pdf = tmp_path / "gauge.pdf"
    HTML(string=html).write_pdf(pdf)
    subprocess.run(
        [office_tool("pdftoppm"), "-png", "-r", "96", "-singlefile", str(pdf), str(tmp_path / "g")],
        check=True,
    )
    image = Image.open(tmp_path / "g.png").convert("RGB")
    centre = SIZE / 2
    return {
        angle: image.getpixel((
            round(centre + RADIUS * math.sin(math.radians(angle))),
            round(centre - RADIUS * math.cos(math.radians(angle))),
        ))
        for angle in range(5, 360, 10)
    }  # fmt: skip


def is_blue(rgb) -> bool:
    red, green, blue = rgb
    return blue > 150 and red < 100


@pytest.mark.parametrize("value", [Decimal("100"), Decimal("25"), Decimal("61.3"), Decimal("0")])
def test_the_ring_is_drawn_to_its_value_in_the_pdf(value, tmp_path):
    office_tool("pdftoppm")
    require_weasyprint()
    ring = ring_pixels(value, tmp_path)
    drawn = {angle for angle, rgb in ring.items() if is_blue(rgb)}
    expected = {angle for angle in ring if angle < float(value) * 3.6}
    assert drawn == expected
    assert all(rgb != (255, 255, 255) for rgb in ring.values())  # the rest is the grey track
