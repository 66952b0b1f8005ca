"""Who may file for which project: one rule, checked here once for every role."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from projects import permissions
from projects.models import Project
from tests.factories import UserFactory


@pytest.fixture
def digital_project(plan):
    return Project.objects.filter(lead_department__code="digital").first()


@pytest.fixture
def other_project(plan):
    return Project.objects.exclude(lead_department__code="digital").first()


def test_staff_file_only_for_projects_their_department_leads(alice, digital_project, other_project):
    assert permissions.may_file(alice, digital_project)
    assert not permissions.may_file(alice, other_project)
    writable = permissions.projects_writable_by(alice)
    assert set(writable) == set(Project.objects.filter(lead_department__code="digital"))


def test_the_coordinator_files_for_every_project(coordinator, digital_project, other_project):
    assert permissions.may_file(coordinator, digital_project)
    assert permissions.may_file(coordinator, other_project)
    assert permissions.projects_writable_by(coordinator).count() == 29


def test_the_committee_reads_but_files_for_nothing(committee, digital_project):
    assert permissions.can_read(committee)
    assert not permissions.may_file(committee, digital_project)
    assert not permissions.projects_writable_by(committee).exists()


def test_staff_without_a_department_file_for_nothing(plan, digital_project):
    from projects.choices import Role

    lost = UserFactory(username="nodept", role=Role.STAFF)
    assert not permissions.may_file(lost, digital_project)
    assert not permissions.projects_writable_by(lost).exists()


def test_anonymous_visitors_read_and_file_nothing(digital_project):
    anonymous = AnonymousUser()
    assert not permissions.can_read(anonymous)
    assert not permissions.may_file(anonymous, digital_project)
    assert not permissions.projects_writable_by(anonymous).exists()


def test_a_user_without_a_role_reads_nothing(db):
    assert not permissions.can_read(UserFactory(username="norole"))


def test_a_group_that_is_not_a_role_grants_nothing(client, plan):
    """Roles are the three groups of SPEC; an administrator's own group opens no page."""
    from django.contrib.auth.models import Group

    outsider = UserFactory(username="outsider")
    outsider.groups.add(Group.objects.create(name="홍보팀"))
    assert permissions.roles_of(outsider) == set()
    client.force_login(outsider)
    assert client.get("/").status_code == 403
    member = UserFactory(username="member", role="committee")
    client.force_login(member)
    assert client.get("/").status_code == 200


def test_a_member_of_two_roles_and_another_group_gets_both_roles_and_nothing_more(plan):
    from django.contrib.auth.models import Group

    from projects.backends import RolesBackend

    both = UserFactory(username="both", role="coordinator")
    both.groups.add(Group.objects.get_or_create(name="committee")[0])
    both.groups.add(Group.objects.create(name="홍보팀"))
    signed_in = RolesBackend().get_user(both.pk)
    assert signed_in == both
    assert permissions.roles_of(signed_in) == {"coordinator", "committee"}
    assert RolesBackend().get_user(both.pk + 1000) is None


def test_a_user_without_groups_has_no_roles_and_an_inactive_one_is_not_signed_in(plan):
    from projects.backends import RolesBackend

    nobody = UserFactory(username="nobody")
    assert permissions.roles_of(RolesBackend().get_user(nobody.pk)) == set()
    gone = UserFactory(username="gone", role="committee", is_active=False)
    assert RolesBackend().get_user(gone.pk) is None


def all_patterns(resolver, prefix=""):
    """(route, view) for every URL pattern under `resolver`, included ones too."""
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from all_patterns(pattern, route)
        else:
            yield route, pattern.callback


# Not ours to declare: Django's admin, sign-in and language views, and the health check of the
# project package (gwangyang_plan imports no app, so it cannot use projects.permissions).
NOT_OURS = ("admin/", "accounts/login/", "accounts/logout/", "i18n/", "healthz")


def test_every_view_declares_who_may_open_it():
    from django.urls import get_resolver

    routes = [
        (route, view)
        for route, view in all_patterns(get_resolver("gwangyang_plan.urls"))
        if not route.startswith(NOT_OURS)
    ]
    assert len(routes) > 30
    undeclared = [route for route, view in routes if not callable(getattr(view, "permission", 0))]
    assert undeclared == []
    declared = {route: view.permission for route, view in routes}
    assert declared["public/"] is permissions.anyone
    assert declared["review/"] is permissions.may_see_review_queue
    assert declared["review/approve/"] is permissions.may_review


def test_a_view_without_a_declaration_would_be_found():
    from django.urls import path

    from projects.views import pages

    class Conf:
        urlpatterns = [path("x/", pages.dashboard), path("y/", lambda request: None)]

    from django.urls.resolvers import RegexPattern, URLResolver

    resolver = URLResolver(RegexPattern(r"^"), Conf)
    found = [r for r, view in all_patterns(resolver) if not hasattr(view, "permission")]
    assert found == ["y/"]


def test_every_rule_has_a_korean_refusal():
    from django.utils import translation

    rules = [getattr(permissions, name) for name in dir(permissions) if name.startswith("may_")]
    with translation.override("ko"):
        for rule in rules:
            if rule.__code__.co_argcount == 1:  # rules about the user alone
                assert re.search("[가-힣]", str(rule.refusal)), rule.__name__
