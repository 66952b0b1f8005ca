"""/accounts/lockouts/: the coordinator or an administrator sees who is locked out of signing in
and lifts it (a colleague behind the same office NAT can cause a lockout); it is logged."""

import logging

import pytest

URL = "/accounts/lockouts/"
UNLOCK = "/accounts/lockouts/unlock/"


def sign_in(client, password, address="10.1.2.3"):
    return client.post(
        "/accounts/login/", {"username": "alice", "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def locked_alice(client, alice, settings):
    """alice's name, locked from the office's one address by wrong passwords."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong-password")
    assert sign_in(client, "demo1234!").status_code == 429
    return alice


def test_the_coordinator_sees_the_locked_out_user_names(client, locked_alice, coordinator):
    client.force_login(coordinator)
    page = client.get(URL).content.decode()
    assert '<th scope="row">alice</th>' in page
    assert "잠금 해제" in page


def test_the_coordinator_unlocks_a_user_who_then_signs_in(client, locked_alice, coordinator):
    client.force_login(coordinator)
    response = client.post(UNLOCK, {"username": "alice"}, follow=True)
    assert "alice의 로그인 잠금을 풀었습니다." in response.content.decode()
    assert '<th scope="row">alice</th>' not in response.content.decode()
    client.logout()
    assert sign_in(client, "demo1234!").status_code == 302


def test_an_unlock_is_in_the_audit_log(client, locked_alice, coordinator, caplog):
    client.force_login(coordinator)
    with caplog.at_level(logging.INFO, logger="gwangyang_plan.audit"):
        client.post(UNLOCK, {"username": "alice"}, REMOTE_ADDR="10.0.0.9")
    lines = [r.getMessage() for r in caplog.records]
    assert any(
        line.startswith("sign-in unlocked user=alice by=carol ip=10.0.0.9 at=") for line in lines
    )


def test_an_administrator_may_unlock_too(client, locked_alice, admin_user):
    client.force_login(admin_user)
    assert client.post(UNLOCK, {"username": "alice"}).status_code == 302
    client.logout()
    assert sign_in(client, "demo1234!").status_code == 302


@pytest.mark.parametrize("who", ["bob", "committee"])
def test_staff_and_committee_may_neither_see_nor_unlock(client, locked_alice, bob, committee, who):
    client.force_login({"bob": bob, "committee": committee}[who])
    assert client.get(URL).status_code == 403
    refused = client.post(UNLOCK, {"username": "alice"})
    assert refused.status_code == 403
    assert "총괄 관리자와 시스템 관리자만 로그인 잠금을 풀 수 있습니다." in refused.content.decode()
    client.logout()
    assert sign_in(client, "demo1234!").status_code == 429  # still locked


def test_anonymous_visitors_are_sent_to_sign_in(client, locked_alice):
    assert client.get(URL)["Location"].startswith("/accounts/login/")
    assert client.post(UNLOCK, {"username": "alice"})["Location"].startswith("/accounts/login/")
    assert sign_in(client, "demo1234!").status_code == 429


@pytest.mark.parametrize("username", ["bob", ""])
def test_unlocking_a_name_that_is_not_locked_says_so(
    client, locked_alice, bob, coordinator, username
):
    client.force_login(coordinator)
    response = client.post(UNLOCK, {"username": username})
    assert response.status_code == 400
    assert "잠긴 사용자가 아닙니다" in response.content.decode()
    assert '<th scope="row">alice</th>' in response.content.decode()  # alice stays locked


def test_the_review_page_links_the_lockouts_for_the_coordinator_only(
    client, coordinator, committee
):
    client.force_login(coordinator)
    assert f'href="{URL}"' in client.get("/review/").content.decode()
    client.force_login(committee)
    assert f'href="{URL}"' not in client.get("/review/").content.decode()
