"""/proposals/: a page of proposals at a time, filtered as a committee member or a department
would, with an answer form of its own for each proposal a department may answer."""

import re

import pytest

from projects.choices import ProposalResponse
from projects.models import Department, Proposal
from projects.views.proposals import PROPOSALS_SHOWN


def proposals(count: int, *, by, department, answered_every: int = 0) -> list[Proposal]:
    """`count` proposals numbered 1… (the last is the newest); every `answered_every`-th one
    answered."""
    made = []
    for n in range(1, count + 1):
        answered = answered_every and n % answered_every == 0
        made.append(
            Proposal.objects.create(
                title=f"제안 {n:03}",
                content="내용",
                year=2026,
                proposed_by=by,
                department=department,
                response=ProposalResponse.ACCEPT if answered else "",
                response_reason="반영하겠습니다" if answered else "",
            )  # fmt: skip
        )
    return made


@pytest.fixture
def digital(alice):
    return alice.department


def titles(page: str) -> list[str]:
    return re.findall(r"<h2>(제안 \d{3})", page)


def test_the_list_shows_twenty_newest_first_and_pages_the_rest(client, committee, digital):
    proposals(45, by=committee, department=digital)
    client.force_login(committee)
    first = client.get("/proposals/").content.decode()
    assert titles(first) == [f"제안 {n:03}" for n in range(45, 45 - PROPOSALS_SHOWN, -1)]
    assert "1 / 3쪽 (모두 45건)" in first
    assert titles(client.get("/proposals/?page=3").content.decode()) == [
        f"제안 {n:03}" for n in range(5, 0, -1)
    ]


def test_the_filters_show_the_waiting_or_the_answered_ones_with_their_counts(
    client, committee, digital
):
    proposals(9, by=committee, department=digital, answered_every=3)
    client.force_login(committee)
    page = client.get("/proposals/?answer=waiting").content.decode()
    assert titles(page) == ["제안 008", "제안 007", "제안 005", "제안 004", "제안 002", "제안 001"]
    assert "답변 대기 (6)" in page
    assert "답변 완료 (3)" in page
    answered = client.get("/proposals/?answer=answered").content.decode()
    assert titles(answered) == ["제안 009", "제안 006", "제안 003"]


def test_staff_narrow_the_list_to_their_own_department(client, committee, alice, bob, digital):
    proposals(2, by=committee, department=digital)
    Proposal.objects.create(
        title="제안 100", content="기후", year=2026, proposed_by=committee,
        department=Department.objects.get(code="climate"),
    )  # fmt: skip
    client.force_login(alice)
    assert titles(client.get("/proposals/").content.decode())[0] == "제안 100"
    assert titles(client.get("/proposals/?mine=1").content.decode()) == ["제안 002", "제안 001"]


def test_each_answer_form_has_element_ids_of_its_own(client, committee, alice, digital):
    made = proposals(3, by=committee, department=digital)
    client.force_login(alice)
    page = client.get("/proposals/").content.decode()
    ids = re.findall(r' id="(id_[^"]+)"', page)
    assert len(ids) == len(set(ids))
    for proposal in made:
        assert f'id="id_answer{proposal.pk}_response_reason"' in page
        assert f'for="id_answer{proposal.pk}_response_reason"' in page


def test_an_answer_goes_back_to_the_page_and_filter_it_was_given_on(
    client, committee, alice, digital
):
    made = proposals(25, by=committee, department=digital)
    client.force_login(alice)
    oldest = made[0]
    url = f"/proposals/{oldest.pk}/answer/?answer=waiting&page=2"
    refused = client.post(url, {"response": "accept", "response_reason": ""})
    assert refused.status_code == 400
    assert "2 / 2쪽" in refused.content.decode()
    assert f'id="id_answer{oldest.pk}_response_reason"' in refused.content.decode()
    answered = client.post(url, {"response": "accept", "response_reason": "반영하겠습니다"})
    assert answered.status_code == 302
    assert answered["Location"] == "/proposals/?answer=waiting&page=2"
    oldest.refresh_from_db()
    assert oldest.response == "accept"


def test_a_refused_answer_stays_in_view_when_its_proposal_left_the_page(
    client, committee, alice, digital
):
    oldest = proposals(25, by=committee, department=digital)[0]
    client.force_login(alice)
    refused = client.post(f"/proposals/{oldest.pk}/answer/", {"response": "accept"})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert titles(page)[0] == "제안 001"
    assert f'id="id_answer{oldest.pk}_response_reason_error"' in page
