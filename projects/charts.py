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
