from django.test import Client
from django.urls import reverse

from ficarchive.accounts import actions
from ficarchive.accounts.models import Pseud
from tests.conftest import logged_in, post_work

NEW = reverse("accounts:pseud_new")


def edit_url(pseud):
    return reverse("accounts:pseud_edit", args=[pseud.pk])


def delete_url(pseud):
    return reverse("accounts:pseud_delete", args=[pseud.pk])


def test_pseud_list_shows_names_descriptions_and_owner_links(alice_client, alice, client):
    pseud = actions.create_pseud(alice, "Night Keeper", "Writes <b>after dark</b>.")
    url = reverse("accounts:pseuds", args=["alice"])
    page = alice_client.get(url).content.decode()
    assert "Night Keeper" in page
    assert "Writes &lt;b&gt;after dark&lt;/b&gt;." in page
    assert edit_url(pseud) in page
    assert delete_url(pseud) in page
    assert delete_url(alice.default_pseud) not in page
    guest_page = client.get(url).content.decode()
    assert "Night Keeper" in guest_page
    assert edit_url(pseud) not in guest_page


def test_guest_is_sent_to_login_to_create_a_pseud(client, db):
    response = client.get(NEW)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_user_creates_a_pseud(alice_client, alice):
    response = alice_client.post(NEW, {"name": "Night Keeper", "description": "After dark."})
    pseud = Pseud.objects.get(user=alice, name="Night Keeper")
    assert response.status_code == 302
    assert response.url == pseud.get_absolute_url()
    assert pseud.description == "After dark."
    assert not pseud.is_default


def test_duplicate_pseud_name_is_refused_in_any_case(alice_client, alice):
    actions.create_pseud(alice, "Night Keeper")
    response = alice_client.post(NEW, {"name": "night keeper"})
    assert response.status_code == 400
    assert "You already have a pseud named" in response.content.decode()
    assert Pseud.objects.of(alice).count() == 2


def test_bad_pseud_name_is_refused(alice_client, alice):
    response = alice_client.post(NEW, {"name": "<script>"})
    assert response.status_code == 400
    assert "Use 1 to 40 letters, digits, underscores or spaces" in response.content.decode()
    assert Pseud.objects.of(alice).count() == 1


def test_forged_pseud_creation_without_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(NEW, {"name": "Night Keeper"}).status_code == 403
    assert Pseud.objects.of(alice).count() == 1


def test_user_edits_a_pseud(alice_client, alice):
    pseud = actions.create_pseud(alice, "Night Keeper")
    page = alice_client.get(edit_url(pseud)).content.decode()
    assert 'value="Night Keeper"' in page
    response = alice_client.post(edit_url(pseud), {"name": "Day Keeper", "description": "Sun."})
    assert response.status_code == 302
    pseud.refresh_from_db()
    assert (pseud.name, pseud.description) == ("Day Keeper", "Sun.")


def test_editing_to_an_empty_name_is_refused(alice_client, alice):
    pseud = actions.create_pseud(alice, "Night Keeper")
    response = alice_client.post(edit_url(pseud), {"name": "", "description": "Sun."})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    pseud.refresh_from_db()
    assert pseud.name == "Night Keeper"


def test_another_user_cannot_edit_a_pseud(alice, carol_client):
    pseud = actions.create_pseud(alice, "Night Keeper")
    assert carol_client.get(edit_url(pseud)).status_code == 403
    response = carol_client.post(edit_url(pseud), {"name": "Stolen", "description": ""})
    assert response.status_code == 403
    pseud.refresh_from_db()
    assert pseud.name == "Night Keeper"


def test_unknown_pseud_id_is_not_found(alice_client):
    assert alice_client.get(reverse("accounts:pseud_edit", args=[9999])).status_code == 404
    assert alice_client.post(reverse("accounts:pseud_delete", args=[9999])).status_code == 404


def test_deleting_a_pseud_moves_its_works_to_the_default(alice_client, alice):
    pseud = actions.create_pseud(alice, "Night Keeper")
    work = post_work(alice)
    work.creatorships.update(pseud=pseud)
    assert "cannot be undone" in alice_client.get(delete_url(pseud)).content.decode()
    response = alice_client.post(delete_url(pseud))
    assert response.status_code == 302
    assert response.url == reverse("accounts:pseuds", args=["alice"])
    assert not Pseud.objects.filter(pk=pseud.pk).exists()
    assert work.creators == [alice.default_pseud]


def test_default_pseud_cannot_be_deleted(alice_client, alice):
    default = alice.default_pseud
    assert "cannot be deleted" in alice_client.get(delete_url(default)).content.decode()
    response = alice_client.post(delete_url(default))
    assert response.status_code == 400
    assert "The default pseud cannot be deleted." in response.content.decode()
    assert Pseud.objects.filter(pk=default.pk).exists()


def test_another_user_cannot_delete_a_pseud(alice, carol):
    pseud = actions.create_pseud(alice, "Night Keeper")
    client = logged_in(carol)
    assert client.get(delete_url(pseud)).status_code == 403
    assert client.post(delete_url(pseud)).status_code == 403
    assert Pseud.objects.filter(pk=pseud.pk).exists()


def test_delete_by_get_only_asks(alice_client, alice):
    pseud = actions.create_pseud(alice, "Night Keeper")
    assert alice_client.get(delete_url(pseud)).status_code == 200
    assert Pseud.objects.filter(pk=pseud.pk).exists()


def test_forged_pseud_deletion_without_csrf_token_is_refused(alice):
    pseud = actions.create_pseud(alice, "Night Keeper")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(delete_url(pseud)).status_code == 403
    assert Pseud.objects.filter(pk=pseud.pk).exists()
