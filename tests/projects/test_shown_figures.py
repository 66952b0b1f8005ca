"""A figure reads the same on the page, in the PDF and in the workbook: one decimal, halves
rounded away from zero as Excel's number formats round them."""

from decimal import Decimal

import pytest

from projects.selectors.trends import Comparison
from projects.templatetags.projects import million, percent


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("99.05"), "99.1%"),  # a task's 진척률 the PDF showed as 99.0% (workbook 99.1%)
        (Decimal("54.05"), "54.1%"),
        (99.05, "99.1%"),
        (Decimal("1234.449"), "1,234.4%"),
        (Decimal("100"), "100.0%"),
        (None, "—"),
    ],
)
def test_a_rate_shows_its_half_rounded_up_as_the_workbook_does(value, shown):
    assert percent(value) == shown


@pytest.mark.parametrize(
    ("won", "shown"),
    [(1_250_000, "1.3"), (3_990_150_000, "3,990.2"), (49_999, "0.0"), (0, "0.0"), (-5, "0.0")],
)
def test_an_amount_in_millions_rounds_as_the_workbook_does(won, shown):
    assert million(won) == shown


def test_a_year_over_year_difference_is_that_of_the_two_rates_shown():
    row = Comparison("진척률", Decimal("50.94"), Decimal("53.45"), is_rate=True)
    assert (percent(row.now), percent(row.before)) == ("50.9%", "53.5%")
    assert row.difference == Decimal("-2.6")  # not −2.51, shown as 2.5
    assert Comparison("사업", 23, 21, is_rate=False).difference == 2
