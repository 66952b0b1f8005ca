"""Who may file for which project: one rule, checked here once for every role."""

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
    assert permissions.can_file_for(alice, digital_project)
    assert not permissions.can_file_for(alice, other_project)
    writable = permissions.projects_writable_by(alice)
    assert set(writable) == set(Project.objects.filter(lead_department__code="digital"))


def test_the_coordinator_files_for_every_project(coordinator, digital_project, other_project):
    assert permissions.can_file_for(coordinator, digital_project)
    assert permissions.can_file_for(coordinator, other_project)
    assert permissions.projects_writable_by(coordinator).count() == 29


def test_the_committee_reads_but_files_for_nothing(committee, digital_project):
    assert permissions.can_read(committee)
    assert not permissions.can_file_for(committee, digital_project)
    assert not permissions.projects_writable_by(committee).exists()


def test_staff_without_a_department_file_for_nothing(plan, digital_project):
    from projects.choices import Role

    lost = UserFactory(username="nodept", role=Role.STAFF)
    assert not permissions.can_file_for(lost, digital_project)
    assert not permissions.projects_writable_by(lost).exists()


def test_anonymous_visitors_read_and_file_nothing(digital_project):
    anonymous = AnonymousUser()
    assert not permissions.can_read(anonymous)
    assert not permissions.can_file_for(anonymous, digital_project)
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
