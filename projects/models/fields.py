"""Money by funding source (whole won, never negative) and the year bounds."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from projects.choices import FundingSource
from strategies.models import YEAR_MAX, YEAR_MIN

# The ceiling of any amount: 1,000조 원 is beyond any budget the city handles, and a sum of
# every amount of thousands of filings still fits a 64-bit integer (9.2 × 10¹⁸), the type the
# databases add whole won in.
MONEY_MAX = 10**15


def _over_ceiling(source: FundingSource):
    return format_lazy(
        _("{source} 금액은 1,000조 원({max}원)을 넘을 수 없습니다."),
        source=source.label,
        max=f"{MONEY_MAX:,}",
    )


def _won(label, source: FundingSource):
    message = format_lazy(_("{source} 금액은 0원 이상이어야 합니다."), source=source.label)
    return models.BigIntegerField(
        label,
        default=0,
        validators=[
            MinValueValidator(0, message),
            MaxValueValidator(MONEY_MAX, _over_ceiling(source)),
        ],
    )


class CostBySource(models.Model):
    """A project's total cost (총사업비) by funding source."""

    cost_national = _won(_("총사업비 국비(원)"), FundingSource.NATIONAL)
    cost_provincial = _won(_("총사업비 도비(원)"), FundingSource.PROVINCIAL)
    cost_city = _won(_("총사업비 시비(원)"), FundingSource.CITY)
    cost_private = _won(_("총사업비 민자(원)"), FundingSource.PRIVATE)
    cost_other = _won(_("총사업비 기타(원)"), FundingSource.OTHER)

    class Meta:
        abstract = True

    @property
    def cost_total(self) -> int:
        return total(self, "cost")


class BudgetBySource(models.Model):
    """A year's budget (예산) by funding source."""

    budget_national = _won(_("예산 국비(원)"), FundingSource.NATIONAL)
    budget_provincial = _won(_("예산 도비(원)"), FundingSource.PROVINCIAL)
    budget_city = _won(_("예산 시비(원)"), FundingSource.CITY)
    budget_private = _won(_("예산 민자(원)"), FundingSource.PRIVATE)
    budget_other = _won(_("예산 기타(원)"), FundingSource.OTHER)

    class Meta:
        abstract = True

    @property
    def budget_total(self) -> int:
        return total(self, "budget")


class SpentBySource(models.Model):
    """Money executed (집행액) so far in the year, by funding source."""

    spent_national = _won(_("집행액 국비(원)"), FundingSource.NATIONAL)
    spent_provincial = _won(_("집행액 도비(원)"), FundingSource.PROVINCIAL)
    spent_city = _won(_("집행액 시비(원)"), FundingSource.CITY)
    spent_private = _won(_("집행액 민자(원)"), FundingSource.PRIVATE)
    spent_other = _won(_("집행액 기타(원)"), FundingSource.OTHER)

    class Meta:
        abstract = True

    @property
    def spent_total(self) -> int:
        return total(self, "spent")


def total(obj, prefix: str) -> int:
    return sum(getattr(obj, f"{prefix}_{source.value}") for source in FundingSource)


def money_constraints(prefix: str, model_name: str) -> list[models.CheckConstraint]:
    never_negative = [
        models.CheckConstraint(
            name=f"{model_name}_{prefix}_{source.value}_not_negative",
            condition=Q(**{f"{prefix}_{source.value}__gte": 0}),
            violation_error_message=format_lazy(
                _("{source} 금액은 0원 이상이어야 합니다."), source=source.label
            ),
        )
        for source in FundingSource
    ]
    under_ceiling = [
        models.CheckConstraint(
            name=f"{model_name}_{prefix}_{source.value}_at_most_ceiling",
            condition=Q(**{f"{prefix}_{source.value}__lte": MONEY_MAX}),
            violation_error_message=_over_ceiling(source),
        )
        for source in FundingSource
    ]
    return never_negative + under_ceiling


def year_constraint(model_name: str, field: str = "year") -> models.CheckConstraint:
    return models.CheckConstraint(
        name=f"{model_name}_{field}_in_range",
        condition=Q(**{f"{field}__gte": YEAR_MIN, f"{field}__lte": YEAR_MAX}),
        violation_error_message=format_lazy(
            _("연도는 {min}~{max} 사이여야 합니다."), min=YEAR_MIN, max=YEAR_MAX
        ),
    )


def person_field(verbose_name) -> models.ForeignKey:
    """Who took a step (submitted, reviewed, answered…): optional, and kept from deletion while
    a record names them (PROTECT)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )
