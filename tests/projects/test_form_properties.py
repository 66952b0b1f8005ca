"""Property: whatever a client posts to the plan and report forms (any text, any number, any
field left out), the answer is never a 500 and the stored record is either as it was or wholly
the new valid values — never half of them."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects import services
from projects.choices import ProjectStatus
from projects.forms import PlanForm, ReportForm
from projects.models import ImplementationPlan, ProgressReport

PLAN_URL = "/projects/2-2-1/plans/2026/"
REPORT_URL = "/projects/2-2-1/reports/2026/4/"
EXAMPLES = settings(
    max_examples=15,
    database=None,  # no example store in the worktree: each run draws afresh
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What a field may be sent as: left out, any text, or numbers of every size and sign.
ANY_VALUE = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers().map(str),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "0", "100", "100.0", "1e3", "1,000", "٣", "²", "\x00", "-0"]),
)
ANY_STATUS = st.one_of(ANY_VALUE, st.sampled_from(ProjectStatus.values))


def posted(fields: dict) -> dict:
    return {name: value for name, value in fields.items() if value is not None}


def stored(model, fields) -> dict | None:
    record = model.objects.filter(project__code="2-2-1", year=2026).first()
    if record is None:
        return None
    values = {name: getattr(record, name) for name in fields}
    if model is ProgressReport:
        values["results"] = {r.indicator_id: r.value for r in record.results.all()}
    return values


def check(response, before, after, expected):
    assert response.status_code in (302, 400, 409), response.status_code
    if response.status_code == 302:
        assert after == expected  # every new value, not some of them
    else:
        assert after in (before, expected)  # a refused save leaves the record as it was


@pytest.fixture
def staff(client, alice, digital_project, open_period):
    """alice's client, with a draft plan and report already stored (version 1)."""
    services.plan_save(
        user=alice, project=digital_project, year=2026, version=None,
        values={"goal": "원래 목표", "budget_city": 1_000_000},
    )  # fmt: skip
    indicator = digital_project.indicators.first()
    services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4, version=None,
        values={"progress": Decimal(20), "achievements": "원래 실적", "spent_city": 5},
        results={indicator.pk: Decimal(3)},
    )  # fmt: skip
    client.force_login(alice)
    client.raise_request_exception = True  # an error inside the view fails the test at once
    return client


PLAN_FIELDS = sorted(services.PLAN_FIELDS)
REPORT_FIELDS = sorted(services.REPORT_FIELDS)


@EXAMPLES
@given(
    values=st.fixed_dictionaries({name: ANY_VALUE for name in PLAN_FIELDS}),
    version=st.one_of(st.none(), st.just("1"), ANY_VALUE),
    action=st.sampled_from(["save", "submit"]),
)
def test_the_plan_form_never_fails_and_never_half_saves(staff, values, version, action):
    with transaction.atomic():
        before = stored(ImplementationPlan, PLAN_FIELDS)
        data = posted(values | {"version": version})
        form = PlanForm(data, instance=ImplementationPlan.objects.get())
        expected = (
            {name: form.cleaned_data[name] for name in PLAN_FIELDS} if form.is_valid() else None
        )
        response = staff.post(f"{PLAN_URL}{action}/", data)
        check(response, before, stored(ImplementationPlan, PLAN_FIELDS), expected)
        transaction.set_rollback(True)


@EXAMPLES
@given(
    values=st.fixed_dictionaries(
        {name: ANY_STATUS if name == "status" else ANY_VALUE for name in REPORT_FIELDS}
    ),
    result=ANY_VALUE,
    version=st.one_of(st.none(), st.just("1"), ANY_VALUE),
    action=st.sampled_from(["save", "submit"]),
)
def test_the_report_form_never_fails_and_never_half_saves(
    staff, digital_project, values, result, version, action
):
    indicator = digital_project.indicators.first()
    with transaction.atomic():
        before = stored(ProgressReport, REPORT_FIELDS)
        data = posted(values | {"version": version, f"indicator_{indicator.pk}": result})
        form = ReportForm(
            data, instance=ProgressReport.objects.get(), indicators=[indicator], results={}
        )
        expected = None
        if form.is_valid():
            expected = {name: form.cleaned_data[name] for name in REPORT_FIELDS}
            value = form.cleaned_data[f"indicator_{indicator.pk}"]
            expected["results"] = {} if value is None else {indicator.pk: value}
        response = staff.post(f"{REPORT_URL}{action}/", data)
        check(response, before, stored(ProgressReport, REPORT_FIELDS), expected)
        transaction.set_rollback(True)
