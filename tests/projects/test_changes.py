"""The change log that tells cached pages (dashboard, plan, project list) to be built again."""

import pytest
from django.db import transaction

from projects import changes, selectors
from projects.models import DataChange, Department


def test_a_saved_change_moves_the_version_and_a_rolled_back_one_does_not(plan):
    before = selectors.data_version()
    Department.objects.create(code="new", name="신설과")
    after = selectors.data_version()
    assert after != before
    with pytest.raises(RuntimeError), transaction.atomic():
        Department.objects.create(code="gone", name="없던과")
        raise RuntimeError
    assert selectors.data_version() == after


def test_a_change_that_commits_after_a_later_one_still_moves_the_version(plan):
    """Transaction A takes id n, B takes n+1 and commits first; A commits after: the last id
    stays n+1, but the count says something new arrived."""
    first, second = DataChange.objects.create(), DataChange.objects.create()
    early = first.pk
    first.delete()  # as seen while A had not committed yet
    seen = selectors.data_version()
    DataChange.objects.create(pk=early)  # A commits
    assert selectors.data_version() != seen
    assert second.pk > early


def test_the_log_keeps_only_its_last_rows(plan, monkeypatch):
    monkeypatch.setattr(changes, "KEEP", 5)
    versions = set()
    for n in range(23):
        Department.objects.create(code=f"d{n}", name=f"부서 {n}")
        versions.add(selectors.data_version())
    assert len(versions) == 23  # every change moved it
    assert DataChange.objects.count() <= 2 * 5
