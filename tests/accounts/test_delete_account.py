from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import ORPHAN_ACCOUNT, User
from ficarchive.works import actions as work_actions
from ficarchive.works.models import Work
from tests.conftest import PASSWORD, post_work

DELETE = reverse("accounts:delete_account")


def test_guest_is_sent_to_login_to_delete_an_account(client, db):
    response = client.get(DELETE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_delete_page_asks_for_password_and_what_to_do_with_works(alice_client):
    page = alice_client.get(DELETE).content.decode()
    assert 'type="password"' in page
    assert 'type="radio" name="works" value="orphan"' in page
    assert 'type="radio" name="works" value="delete"' in page


def test_orphaning_keeps_the_works_under_orphan_account(alice_client, alice, work, client):
    response = alice_client.post(DELETE, {"password": PASSWORD, "works": "orphan"})
    assert response.status_code == 302
    assert response.url == reverse("home")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Your account is deleted and your works orphaned."]
    assert "_auth_user_id" not in alice_client.session
    assert not User.objects.filter(username="alice").exists()

    work.refresh_from_db()
    assert [p.user.username for p in work.creators] == [ORPHAN_ACCOUNT]
    page = client.get(reverse("accounts:user_works", args=[ORPHAN_ACCOUNT])).content.decode()
    assert work.title in page
    assert f'rel="author" href="/users/{ORPHAN_ACCOUNT}/pseuds/{ORPHAN_ACCOUNT}"' in page


def test_deleting_works_keeps_those_made_with_others(alice_client, alice, bob):
    solo = post_work(alice, "Alone at Sea")
    shared = post_work(alice, "Two Keepers")
    invite = work_actions.invite_cocreator(alice, shared, bob.default_pseud)
    work_actions.accept_cocreator_invite(bob, invite)

    response = alice_client.post(DELETE, {"password": PASSWORD, "works": "delete"})
    assert response.status_code == 302
    assert not Work.objects.filter(pk=solo.pk).exists()
    shared.refresh_from_db()
    assert shared.creators == [bob.default_pseud]
    assert not User.objects.filter(username="alice").exists()


def test_wrong_password_refuses_deletion_and_changes_nothing(alice_client, alice, work):
    response = alice_client.post(DELETE, {"password": "not my password", "works": "delete"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
    assert Work.objects.filter(pk=work.pk).exists()
    assert alice_client.session["_auth_user_id"] == str(alice.pk)


def test_deletion_needs_a_choice_for_the_works(alice_client, alice, work):
    response = alice_client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 400
    assert "Choose whether to orphan or delete your works." in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()


def test_forged_deletion_without_csrf_token_is_refused(alice, work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(DELETE, {"password": PASSWORD, "works": "delete"})
    assert response.status_code == 403
    assert User.objects.filter(pk=alice.pk).exists()
    assert Work.objects.filter(pk=work.pk).exists()
