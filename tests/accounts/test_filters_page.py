"""The Filters page under preferences, and the POST buttons that hide and show again: who may
use them, what they write, and what hostile or forged input gets."""

from __future__ import annotations

from django.test import Client

from ficarchive.accounts import actions
from ficarchive.accounts.models import HiddenTag, HiddenWork, Mute, User
from tests.conftest import post_work

FILTERS = "/preferences/filters"


def test_a_guest_is_sent_to_log_in(client: Client):
    response = client.get(FILTERS)
    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_a_guest_cannot_hide_a_work(client: Client, work):
    response = client.post(f"{FILTERS}/works/{work.pk}/hide")
    assert response.status_code == 302
    assert response["Location"].startswith("/login")
    assert not HiddenWork.objects.exists()


def test_the_preferences_page_links_to_the_filters(carol_client: Client):
    assert FILTERS in carol_client.get("/preferences").content.decode()


def test_the_page_lists_what_the_reader_hides_with_show_again_buttons(
    carol, carol_client: Client, alice, bob
):
    work = post_work(alice, "Storm", freeforms=["Angst"])
    actions.hide_tags(carol, ["Angst"])
    actions.hide_work(carol, work)
    actions.hide_creator(carol, bob)
    html = carol_client.get(FILTERS).content.decode()
    assert "Angst" in html
    assert "Storm" in html
    assert "bob" in html
    assert html.count("Show again") == 3


def test_the_page_shows_only_the_readers_own_filters(carol, alice, work):
    actions.hide_work(carol, work)
    html = Client()
    html.force_login(alice)
    assert "The Lighthouse Keeper" not in html.get(FILTERS).content.decode()


def test_hiding_tags_by_name_saves_them(carol, carol_client: Client, alice):
    post_work(alice, freeforms=["Angst", "Rain"])
    response = carol_client.post(f"{FILTERS}/tags", {"type": "", "q": "angst, Rain, angst"})
    assert response.status_code == 302
    hidden = HiddenTag.objects.filter(user=carol).values_list("tag__name", flat=True)
    assert sorted(hidden) == ["Angst", "Rain"]


def test_hiding_an_unknown_tag_names_it_and_saves_nothing(carol, carol_client: Client, alice):
    post_work(alice, freeforms=["Angst"])
    response = carol_client.post(f"{FILTERS}/tags", {"type": "", "q": "Angst, Nonexistent"})
    assert response.status_code == 400
    assert "There is no tag named &#x27;Nonexistent&#x27;." in response.content.decode()
    assert not HiddenTag.objects.exists()


def test_a_script_as_a_tag_name_is_shown_as_text(carol_client: Client):
    response = carol_client.post(f"{FILTERS}/tags", {"q": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not HiddenTag.objects.exists()


def test_an_empty_or_huge_tag_list_is_refused(carol_client: Client):
    assert carol_client.post(f"{FILTERS}/tags", {"q": " , ,"}).status_code == 400
    huge = ", ".join(f"tag {n}" for n in range(501))
    response = carol_client.post(f"{FILTERS}/tags", {"q": huge})
    assert response.status_code == 400
    assert not HiddenTag.objects.exists()


def test_an_unknown_tag_type_is_refused(carol_client: Client, alice):
    post_work(alice, freeforms=["Angst"])
    response = carol_client.post(f"{FILTERS}/tags", {"type": "nonsense", "q": "Angst"})
    assert response.status_code == 400
    assert not HiddenTag.objects.exists()


def test_showing_a_tag_again_removes_the_filter(carol, carol_client: Client, alice):
    post_work(alice, freeforms=["Angst"])
    tag = actions.hide_tags(carol, ["Angst"])[0].tag
    response = carol_client.post(f"{FILTERS}/tags/{tag.pk}/show")
    assert response.status_code == 302
    assert not HiddenTag.objects.exists()


def test_another_readers_filters_are_untouched_by_showing_a_tag(carol, bob, alice):
    post_work(alice, freeforms=["Angst"])
    tag = actions.hide_tags(bob, ["Angst"])[0].tag
    Client().post(f"{FILTERS}/tags/{tag.pk}/show")
    client = Client()
    client.force_login(carol)
    client.post(f"{FILTERS}/tags/{tag.pk}/show")
    assert HiddenTag.objects.filter(user=bob).exists()


def test_the_switches_for_read_and_kudosed_works_save(carol, carol_client: Client):
    response = carol_client.post(FILTERS, {"hide_read_works": "on"})
    assert response.status_code == 302
    carol = User.objects.get(pk=carol.pk)
    assert carol.hide_read_works
    assert not carol.hide_kudosed_works


def test_a_forged_post_without_the_csrf_token_is_refused(carol, work):
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(carol)
    assert forger.post(f"{FILTERS}/works/{work.pk}/hide").status_code == 403
    assert forger.post(f"{FILTERS}/tags", {"q": "Rain"}).status_code == 403
    assert forger.post(FILTERS, {"hide_read_works": "on"}).status_code == 403
    assert not HiddenWork.objects.exists()
    assert not User.objects.get(pk=carol.pk).hide_read_works


def test_hiding_is_refused_over_get(carol_client: Client, work):
    assert carol_client.get(f"{FILTERS}/works/{work.pk}/hide").status_code == 405
    assert not HiddenWork.objects.exists()


def test_a_draft_cannot_be_hidden_by_a_reader_who_cannot_see_it(carol_client: Client, alice):
    draft = post_work(alice, "Unposted", draft=True)
    assert carol_client.post(f"{FILTERS}/works/{draft.pk}/hide").status_code == 404
    assert not HiddenWork.objects.exists()


def test_a_restricted_work_is_hidden_only_by_signed_in_readers(carol_client: Client, alice):
    members = post_work(alice, "Members", restricted=True)
    assert carol_client.post(f"{FILTERS}/works/{members.pk}/hide").status_code == 302
    assert HiddenWork.objects.filter(work=members).exists()


def test_next_leading_off_the_site_goes_to_the_filters_page(carol_client: Client, work):
    response = carol_client.post(
        f"{FILTERS}/works/{work.pk}/hide", {"next": "https://evil.example/"}
    )
    assert response["Location"] == FILTERS


def test_showing_a_work_again_lists_it(carol, carol_client: Client, work):
    actions.hide_work(carol, work)
    assert carol_client.post(f"{FILTERS}/works/{work.pk}/show").status_code == 302
    assert not HiddenWork.objects.exists()


def test_hiding_yourself_is_refused_with_a_message(carol, carol_client: Client):
    response = carol_client.post(f"{FILTERS}/users/{carol.username}/hide", follow=True)
    assert "You cannot mute yourself." in response.content.decode()
    assert not Mute.objects.exists()


def test_hiding_an_unknown_creator_is_a_404(carol_client: Client):
    assert carol_client.post(f"{FILTERS}/users/nobody/hide").status_code == 404


def test_showing_a_creator_again_unmutes_them(carol, carol_client: Client, alice):
    actions.hide_creator(carol, alice)
    assert carol_client.post(f"{FILTERS}/users/{alice.username}/show").status_code == 302
    assert not Mute.objects.exists()


def test_hiding_from_a_blurb_with_htmx_answers_a_note_with_show_again(
    carol, carol_client: Client, work
):
    response = carol_client.post(
        f"{FILTERS}/works/{work.pk}/hide", {"next": "/works"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="work_{work.pk}"' in html
    assert "is hidden from your listings" in html
    assert f"{FILTERS}/works/{work.pk}/show" in html
    assert HiddenWork.objects.filter(user=carol, work=work).exists()
