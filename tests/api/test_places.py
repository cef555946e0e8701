"""A reader's place through the API: an app reads where the web left off and writes where the
reader is, and the web page offers to continue there."""

from __future__ import annotations

from django.test import Client

from ficarchive.accounts.actions import update_preferences
from ficarchive.accounts.models import User
from ficarchive.social.models import ChapterRead
from tests.api.conftest import API, bearer, error_of, token_for
from tests.conftest import logged_in, post_work

JSON = "application/json"


def test_an_app_and_the_web_share_the_reader_s_place(alice: User, carol: User) -> None:
    work = post_work(alice, "Saga", chapters=["<p>One.</p>", "<p>Two.</p>", "<p>Three.</p>"])
    second, third = work.chapters.get(position=2), work.chapters.get(position=3)
    app = bearer(token_for(carol))
    address = f"{API}/works/{work.pk}/place"

    empty = app.get(address).json()
    assert empty["chapter_id"] is None and empty["read_chapter_ids"] == []

    kept = app.put(address, {"chapter_id": third.pk, "paragraph": 7}, content_type=JSON)
    assert kept.status_code == 200, kept.content
    body = kept.json()
    assert (body["chapter_id"], body["chapter_number"], body["paragraph"]) == (third.pk, 3, 7)
    assert body["url"].endswith(f"/works/{work.pk}/chapters/{third.pk}#p-7")
    page = logged_in(carol).get(f"/works/{work.pk}").content.decode()
    assert "Continue reading: Chapter 3" in page

    # The web marks chapter 2 read; the app sees it.
    logged_in(carol).post(f"/works/{work.pk}/chapters/{second.pk}/read", {"read": "1"})
    assert app.get(address).json()["read_chapter_ids"] == [second.pk]
    finished = app.put(
        address, {"chapter_id": third.pk, "paragraph": 9, "finished": True}, content_type=JSON
    ).json()
    assert sorted(finished["read_chapter_ids"]) == sorted([second.pk, third.pk])


def test_places_are_refused_where_the_reader_may_not_read(alice: User, carol: User) -> None:
    work = post_work(alice, "Saga")
    draft = post_work(alice, "Unposted", draft=True)
    app = bearer(token_for(carol))
    one = work.chapters.get()
    assert app.get(f"{API}/works/{draft.pk}/place").status_code == 404
    refused = app.put(
        f"{API}/works/{draft.pk}/place", {"chapter_id": draft.chapters.get().pk}, content_type=JSON
    )
    assert refused.status_code == 404
    other = post_work(alice, "Other").chapters.get()
    wrong = app.put(f"{API}/works/{work.pk}/place", {"chapter_id": other.pk}, content_type=JSON)
    assert wrong.status_code == 404
    bad = app.put(
        f"{API}/works/{work.pk}/place", {"chapter_id": one.pk, "paragraph": -3}, content_type=JSON
    )
    assert bad.status_code == 422 and error_of(bad)["field"] == "paragraph"
    reader = bearer(token_for(carol, "read"))
    assert reader.get(f"{API}/works/{work.pk}/place").status_code == 200
    assert (
        reader.put(f"{API}/works/{work.pk}/place", {"chapter_id": one.pk}, content_type=JSON)
    ).status_code == 403
    assert Client().get(f"{API}/works/{work.pk}/place").status_code == 401

    update_preferences(carol, keep_history=False)
    off = app.put(f"{API}/works/{work.pk}/place", {"chapter_id": one.pk}, content_type=JSON)
    assert off.status_code == 409 and "history is off" in error_of(off)["message"]
    assert not ChapterRead.objects.exists()
