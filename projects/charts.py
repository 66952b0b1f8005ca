"""Geometry for the server-drawn SVG charts: the templates only place what is computed here."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    value: int
    start: float  # percent of the bar's length
    width: float

    @property
    def middle(self) -> float:
        return self.start + self.width / 2


def stacked(items: list[tuple[str, str, int]]) -> list[Segment]:
    """Lay out (key, label, value) items end to end as percentages of their total."""
    total = sum(value for _key, _label, value in items)
    segments, start = [], 0.0
    for key, label, value in items:
        width = 100 * value / total if total else 0.0
        segments.append(Segment(key, label, value, start, width))
        start += width
    return segments


def clamp(value: Decimal | float | None) -> float:
    """A percentage as a bar length: 0–100, nothing for unknown."""
    if value is None:
        return 0.0
    return max(0.0, min(100.0, float(value)))


@dataclass(frozen=True)
class LinePoint:
    x: float
    y: float
    value: Decimal
    year: int
    quarter: int


@dataclass(frozen=True)
class LineChart:
    """A line over quarters on a 0–`scale` % axis, in a WIDTH × HEIGHT viewBox: the path is
    broken where a quarter has no value; `ticks` are (y, %) of the axis' grid lines; `years`
    are (x, year) at each year's first quarter."""

    points: list[LinePoint]
    path: str
    scale: int
    ticks: list[tuple[float, int]]
    years: list[tuple[float, int]]


WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 420, 210, 52, 14, 14, 34


def line(values: list[tuple[int, int, Decimal | None]]) -> LineChart:
    """Lay out (year, quarter, % or None) values at even steps; the axis runs to 100%, or
    above for higher values in steps of 50 (capped at 999, as 달성률 is)."""
    top = max([float(v) for _y, _q, v in values if v is not None], default=0.0)
    scale = 100 if top <= 100 else min(999, -(-int(top) // 50) * 50)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(values) - 1, 1)
    points, path, pen_down, years = [], [], False, []
    for n, (year, quarter, value) in enumerate(values):
        x = LEFT + n * step
        if quarter == 1 or n == 0:
            years.append((round(x, 1), year))
        if value is None:
            pen_down = False
            continue
        y = TOP + inner_h * (1 - min(float(value), scale) / scale)
        points.append(LinePoint(round(x, 1), round(y, 1), value, year, quarter))
        path.append(f"{'L' if pen_down else 'M'}{x:.1f} {y:.1f}")
        pen_down = True
    ticks = [(round(TOP + inner_h * (1 - share), 1), int(scale * share)) for share in (0, 0.5, 1)]
    return LineChart(points, " ".join(path), scale, ticks, years)


TREND_MEASURES = ("progress", "achievement", "execution")


def trend_lines(points) -> dict[str, LineChart]:
    """One line chart per measure of a trend (selectors.trend's points)."""
    return {
        measure: line([(p.year, p.quarter, getattr(p, measure)) for p in points])
        for measure in TREND_MEASURES
    }
