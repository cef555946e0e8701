"""The Django admin shows works, series and tags but never changes them behind the actions."""

from __future__ import annotations

import pytest

from ficarchive.tags.models import Tag


@pytest.mark.parametrize("model", ["works/work", "works/series", "tags/tag"])
def test_admins_can_look_but_not_change(ada_client, work, model):
    assert ada_client.get(f"/admin/{model}/").status_code == 200
    assert ada_client.get(f"/admin/{model}/add/").status_code == 403


def test_a_tag_cannot_be_renamed_in_the_admin(ada_client, db):
    tag = Tag.objects.create(type="fandom", name="Original Work")
    response = ada_client.post(f"/admin/tags/tag/{tag.pk}/change/", {"name": "Renamed"})
    assert response.status_code == 403
    tag.refresh_from_db()
    assert tag.name == "Original Work"


def test_readers_are_sent_away_from_the_admin(carol_client):
    response = carol_client.get("/admin/works/work/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admins_do_not_see_the_titles_of_others_drafts(ada_client, ada, alice, work):
    from ficarchive.works import actions
    from tests.conftest import post_work

    draft = post_work(alice, "Secret Unfinished Draft", draft=True)
    hidden = post_work(alice, "Hidden But Posted")
    actions.hide_work(ada, hidden)
    own = post_work(ada, "Ada's Own Draft", draft=True)
    listing = ada_client.get("/admin/works/work/").content.decode()
    assert "Secret Unfinished Draft" not in listing
    assert "Hidden But Posted" in listing
    assert work.title in listing
    assert "Ada&#x27;s Own Draft" in listing
    response = ada_client.get(f"/admin/works/work/{draft.pk}/change/", follow=True)
    assert "Secret Unfinished Draft" not in response.content.decode()
    assert ada_client.get(f"/admin/works/work/{own.pk}/change/").status_code == 200
