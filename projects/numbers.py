"""Figures as they are shown: one decimal, halves rounded as Excel rounds them, amounts in
백만원. Used by pages, documents and selectors alike; imports nothing of the app."""

from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")


def to_tenth(value) -> Decimal:
    """A figure as it is shown, to one decimal, halves rounded away from zero as Excel's number
    formats round them: the page, the PDF and the workbook then read alike (Python formats a
    Decimal's halves to even, and showed 99.0% where the workbook said 99.1%)."""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    rounded = value.quantize(TENTH, ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)  # never "-0.0"


def million_won(value) -> str:
    """Whole won shown as 백만원 with one decimal: 1,234.5 (rounded as to_tenth)."""
    return f"{to_tenth(Decimal(value) / 1_000_000):,}"
