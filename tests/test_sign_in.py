"""Signing in and out, and the Django admin for the administrator."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse


@pytest.mark.django_db
def test_the_sign_in_page_is_in_korean(client):
    page = client.get("/accounts/login/").content.decode()
    assert "로그인" in page
    assert "아이디" in page and "비밀번호" in page


def test_a_member_signs_in_and_lands_on_the_dashboard(client, plan, committee):
    response = client.post(
        "/accounts/login/", {"username": "charlie", "password": "demo1234!"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.wsgi_request.user == committee
    assert "추진현황" in response.content.decode()


def test_department_staff_sign_in_and_land_on_their_work(client, plan, alice):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "demo1234!"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/my/"
    assert response.wsgi_request.user == alice


def test_signing_in_returns_to_the_page_asked_for(client, plan, alice):
    response = client.post(
        "/accounts/login/?next=/plan/",
        {"username": "alice", "password": "demo1234!", "next": "/plan/"},
        follow=True,
    )
    assert plan.vision in response.content.decode()


def test_a_wrong_password_is_refused_with_a_korean_message(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong-one"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "아이디 또는 비밀번호가 올바르지 않습니다." in page
    assert "와/과" not in page  # Django's own: "올바른 사용자 이름와/과 비밀번호를…"
    assert not response.wsgi_request.user.is_authenticated


def test_signing_out_ends_the_session(client, alice):
    client.force_login(alice)
    client.post("/accounts/logout/")
    assert client.get("/plan/").status_code == 302


def test_staff_cannot_open_the_admin(client, alice, coordinator):
    for user in (alice, coordinator):
        client.force_login(user)
        assert client.get("/admin/").status_code == 302


READ_ONLY_IN_ADMIN = {"PlanChange", "PlanChangeTarget"}


def test_every_model_has_an_admin_list_and_form_for_the_administrator(client, plan, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200
    ours = [m for m in apps.get_models() if m._meta.app_label in ("strategies", "projects")]
    # History tables and the data version behind cached pages are bookkeeping, not data.
    bookkeeping = {"DataVersion"}
    missing = [
        m
        for m in ours
        if m not in admin.site._registry
        and "Historical" not in m.__name__
        and m.__name__ not in bookkeeping
    ]
    assert missing == []
    for model in admin.site._registry:
        if model._meta.app_label not in ("strategies", "projects"):
            continue
        info = (model._meta.app_label, model._meta.model_name)
        assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200, info
        # Plan changes are read there only: written in the app, where their rules are.
        adds = 403 if model.__name__ in READ_ONLY_IN_ADMIN else 200
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == adds, info


def test_the_admin_shows_a_projects_history(client, plan, admin_user):
    from projects.models import Project

    project = Project.objects.get(code="1-1-1")
    project.name = "바뀐 이름"
    project._history_user = admin_user
    project.save()
    client.force_login(admin_user)
    page = client.get(reverse("admin:projects_project_history", args=[project.pk])).content
    assert admin_user.username.encode() in page
    assert project.history.first().history_user == admin_user


@pytest.mark.django_db
def test_the_three_roles_exist_as_groups():
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert names >= {"staff", "coordinator", "committee"}


@pytest.mark.parametrize("weak", ["short1!", "12345678901", "password123", "digitalstaff1"])
def test_weak_passwords_are_refused(db, weak):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from tests.factories import UserFactory

    with pytest.raises(ValidationError):
        validate_password(weak, user=UserFactory.build(username="digitalstaff"))
