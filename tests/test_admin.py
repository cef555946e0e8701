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
