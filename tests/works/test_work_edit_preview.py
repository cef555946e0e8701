"""Previewing a work's edited details: shown sanitized as the page will show them, nothing
saved; then saved from the preview's own form."""

from __future__ import annotations

from django.test import Client

from tests.conftest import logged_in
from tests.works.test_posting import text_of, unsafe_markup
from tests.works.test_posting_edit import edit_data, edit_url


def preview_data(work, pseud, **changes):
    """The edit form sent with its Preview button."""
    return edit_data(work, pseud, **changes) | {"action": "preview"}


def preview_part(page: str) -> str:
    start = page.index('<article class="work preview"')
    return page[start : page.index("</article>", start)]


def test_the_edit_form_offers_a_preview(alice_client: Client, work):
    page = alice_client.get(edit_url(work)).content.decode()
    assert 'name="action" value="preview"' in page and ">Save changes</button>" in page


def test_an_edit_previews_its_details_and_changes_nothing(alice, alice_client: Client, work):
    data = preview_data(
        work, alice.default_pseud, title="Renamed", summary="A new summary.", fandoms="Lighthouses"
    )
    response = alice_client.post(edit_url(work), data)
    assert response.status_code == 200
    page = response.content.decode()
    shown = preview_part(page)
    assert '<h2 class="title">Renamed</h2>' in shown
    assert "by alice" in shown and "A new summary." in shown
    assert "Nothing is saved until you save your changes" in page
    assert '<dd><ul class="commas"><li>Lighthouses</li></ul></dd>' in page
    assert f'action="{edit_url(work)}"' in page, "the form below saves the edit"
    assert ">Save changes</button>" in page and 'value="post"' not in page
    work.refresh_from_db()
    assert work.title == "The Lighthouse Keeper"
    assert [t.name for t in work.fandoms] == ["Original Work"]


def test_saving_from_the_preview_saves_the_edit(alice, alice_client: Client, work):
    data = edit_data(work, alice.default_pseud, title="Renamed")
    response = alice_client.post(edit_url(work), data)
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "Renamed"


def test_an_edit_preview_of_hostile_markup_comes_out_inert(alice, alice_client: Client, work):
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)><p>Kept words.</p>"
    data = preview_data(work, alice.default_pseud, summary=hostile)
    page = alice_client.post(edit_url(work), data).content.decode()
    shown = preview_part(page)
    assert "Kept words." in shown
    assert unsafe_markup(shown) == []


def test_a_bad_edit_preview_is_refused_with_the_reason(alice, alice_client: Client, work):
    data = preview_data(work, alice.default_pseud, title=" ")
    response = alice_client.post(edit_url(work), data)
    assert response.status_code == 400
    assert "title" in text_of(response).lower()
    assert '<article class="work preview"' not in response.content.decode()


def test_only_the_creators_may_preview_an_edit(alice, carol, work, client: Client):
    data = preview_data(work, alice.default_pseud, title="Mine now")
    assert logged_in(carol).post(edit_url(work), data).status_code == 403
    response = client.post(edit_url(work), data)
    assert response.status_code == 302 and "/login" in response["Location"]
    work.refresh_from_db()
    assert work.title == "The Lighthouse Keeper"


def test_an_edit_preview_names_the_co_creators_too(alice, bob, alice_client: Client, work):
    from ficarchive.works import actions

    actions.accept_cocreator_invite(bob, actions.invite_cocreator(alice, work, bob.default_pseud))
    page = alice_client.post(edit_url(work), preview_data(work, alice.default_pseud)).content
    assert "by alice, bob" in preview_part(page.decode())
