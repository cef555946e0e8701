"""Co-creators: inviting, accepting, declining, withdrawing and leaving."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.actions import create_pseud
from ficarchive.works import actions
from ficarchive.works.models import Creatorship, Work
from tests.conftest import logged_in, post_work
from tests.works.test_posting import text_of

INVITATIONS = reverse("works:invitations")


def creators_url(work: Work) -> str:
    return reverse("works:creators", args=[work.pk])


def answer_url(invitation: Creatorship, answer: str) -> str:
    return reverse("works:answer_invitation", args=[invitation.pk, answer])


@pytest.fixture
def bob_client(bob) -> Client:
    return logged_in(bob)


@pytest.fixture
def invitation(alice, bob, work) -> Creatorship:
    return actions.invite_cocreator(alice, work, bob.default_pseud)


# --- the creators page -------------------------------------------------------------------


def test_creators_page_lists_creators_and_pending_invitations(alice_client, invitation):
    page = text_of(alice_client.get(creators_url(invitation.work)))
    assert "alice" in page
    assert "Invited by alice; not named on the work until they accept" in page
    assert "Withdraw the invitation to bob" in page
    assert "Remove alice (leave this work)" in page
    assert page.count("<h1") == 1


def test_inviting_by_user_name_waits_for_an_answer(alice, alice_client, bob, work):
    response = alice_client.post(creators_url(work), {"pseud": "BOB"})
    assert response["Location"] == creators_url(work)
    invitation = Creatorship.objects.get(work=work, pseud=bob.default_pseud)
    assert not invitation.accepted
    assert invitation.invited_by == alice
    assert work.creators == [alice.default_pseud]


def test_inviting_a_pseud_by_pseud_and_user_name(alice_client, bob, work):
    robert = create_pseud(bob, "Robert")
    alice_client.post(creators_url(work), {"pseud": "Robert (bob)"})
    assert Creatorship.objects.filter(work=work, pseud=robert, accepted=False).exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("nobody", "Nobody on the archive is called “nobody”."),
        ("Robert (carol)", "Nobody on the archive is called “Robert (carol)”."),
        ("alice", "Add your own pseuds on the edit form instead."),
        ("bob", "bob is already invited or a creator."),
        ("", "This field is required."),
    ],
)
def test_a_bad_invitation_is_refused_with_a_message(
    alice_client, bob, carol, invitation, typed, message
):
    create_pseud(bob, "Robert")
    response = alice_client.post(creators_url(invitation.work), {"pseud": typed})
    assert response.status_code == 400
    assert message in text_of(response)
    assert Creatorship.objects.count() == 2


def test_the_byline_names_bob_only_after_he_accepts(
    client: Client, alice, bob, bob_client, invitation
):
    work = invitation.work
    assert ">bob</a>" not in client.get(work.get_absolute_url()).content.decode()
    page = text_of(bob_client.get(INVITATIONS))
    assert "The Lighthouse Keeper" in page
    assert "alice invites bob to be a co-creator." in page

    response = bob_client.post(answer_url(invitation, "accept"))
    assert response["Location"] == work.get_absolute_url()
    assert set(work.creators) == {alice.default_pseud, bob.default_pseud}
    assert ">bob</a>" in client.get(work.get_absolute_url()).content.decode()
    assert "You have no invitations waiting." in text_of(bob_client.get(INVITATIONS))


def test_declining_removes_the_invitation(bob_client, invitation):
    response = bob_client.post(answer_url(invitation, "decline"))
    assert response["Location"] == INVITATIONS
    assert not Creatorship.objects.filter(pk=invitation.pk).exists()
    assert [p.user.username for p in invitation.work.creators] == ["alice"]


def test_an_invitation_to_a_draft_shows_its_title_without_a_link(alice, bob, bob_client):
    draft = post_work(alice, "Secret Draft", draft=True)
    actions.invite_cocreator(alice, draft, bob.default_pseud)
    page = bob_client.get(INVITATIONS).content.decode()
    assert "Secret Draft" in page
    assert draft.get_absolute_url() not in page


def test_another_users_invitation_cannot_be_answered(carol_client, alice_client, invitation):
    for client in (carol_client, alice_client):
        for answer in ("accept", "decline"):
            assert client.post(answer_url(invitation, answer)).status_code == 404
    invitation.refresh_from_db()
    assert not invitation.accepted
    assert "You have no invitations waiting." in text_of(carol_client.get(INVITATIONS))


def test_answering_needs_post_and_a_known_answer(bob_client, invitation):
    assert bob_client.get(answer_url(invitation, "accept")).status_code == 405
    assert bob_client.post(answer_url(invitation, "maybe")).status_code == 404
    invitation.refresh_from_db()
    assert not invitation.accepted


def test_an_accepted_invitation_cannot_be_answered_again(bob, bob_client, invitation):
    actions.accept_cocreator_invite(bob, invitation)
    assert bob_client.post(answer_url(invitation, "decline")).status_code == 404
    assert Creatorship.objects.filter(pk=invitation.pk, accepted=True).exists()


def test_invitations_page_needs_log_in(client: Client):
    assert client.get(INVITATIONS)["Location"].startswith(reverse("accounts:login"))


def test_invitations_page_has_a_fixed_number_of_queries(
    alice, bob, bob_client, settings, django_assert_max_num_queries
):
    settings.WORKS_PER_PAGE = 5
    for number in range(7):
        work = post_work(alice, f"Work {number}")
        actions.invite_cocreator(alice, work, bob.default_pseud)
    with django_assert_max_num_queries(4):
        page = text_of(bob_client.get(INVITATIONS))
    assert page.count("Accept</button>") == 5
    assert "?page=2" in page


# --- withdrawing and leaving -------------------------------------------------------------


def test_withdrawing_an_invitation(alice_client, invitation):
    response = alice_client.post(creators_url(invitation.work), {"pick": invitation.pk})
    assert response["Location"] == creators_url(invitation.work)
    assert not Creatorship.objects.filter(pk=invitation.pk).exists()


def test_a_cocreator_can_leave_the_work(bob, bob_client, invitation):
    actions.accept_cocreator_invite(bob, invitation)
    response = bob_client.post(creators_url(invitation.work), {"pick": invitation.pk})
    assert response["Location"] == reverse("accounts:user_works", args=["bob"])
    assert not invitation.work.is_editable_by(bob)


def test_a_cocreator_cannot_remove_another_creator(alice, bob, bob_client, invitation):
    actions.accept_cocreator_invite(bob, invitation)
    alices = invitation.work.creatorships.get(pseud=alice.default_pseud)
    assert bob_client.post(creators_url(invitation.work), {"pick": alices.pk}).status_code == 403
    assert invitation.work.is_editable_by(alice)


def test_the_last_creator_cannot_leave(alice, alice_client, work):
    mine = work.creatorships.get()
    response = alice_client.post(creators_url(work), {"pick": mine.pk})
    assert response.status_code == 400
    assert "A work needs a creator; delete or orphan it instead." in text_of(response)
    assert work.is_editable_by(alice)


def test_removing_a_creator_of_another_work_is_not_found(alice, alice_client, work):
    other = post_work(alice, "Other")
    theirs = other.creatorships.get()
    assert alice_client.post(creators_url(work), {"pick": theirs.pk}).status_code == 404
    assert alice_client.post(creators_url(work), {"pick": "x"}).status_code == 404


# --- refusals ----------------------------------------------------------------------------


def test_only_creators_may_open_the_creators_page(carol_client, bob_client, invitation):
    work = invitation.work
    assert carol_client.get(creators_url(work)).status_code == 403
    assert carol_client.post(creators_url(work), {"pseud": "carol"}).status_code == 403
    assert bob_client.get(creators_url(work)).status_code == 403
    assert not Creatorship.objects.filter(pseud__user__username="carol").exists()


def test_guest_is_sent_to_log_in(client: Client, work):
    response = client.post(creators_url(work), {"pseud": "bob"})
    assert response["Location"].startswith(reverse("accounts:login"))
    assert work.creatorships.count() == 1


def test_forged_invitation_without_csrf_token_is_refused(alice, bob, work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(creators_url(work), {"pseud": "bob"}).status_code == 403
    assert work.creatorships.count() == 1


def test_forged_accept_without_csrf_token_is_refused(bob, invitation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    assert client.post(answer_url(invitation, "accept")).status_code == 403
    invitation.refresh_from_db()
    assert not invitation.accepted
