"""NUL bytes and lone surrogates are refused at every entry, and the archive stays as it was."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.social.models import Bookmark, Comment
from ficarchive.text.characters import check_text, unusable_character, unusable_in
from ficarchive.works.models import Work
from tests.api.conftest import API, bearer, error_of, token_for

LONE = "\udc80"

NUL_ADDRESSES = [
    "/tags/a%00b/works",
    "/tags/a%00b",
    "/users/a%00b",
    "/users/alice/pseuds/a%00b",
    "/users/a%00b/bookmarks",
    "/works/search?q=a%00b",
    "/works/search?include=a%00b",
    "/works/search?x%00=1",
    "/api/v1/works?q=a%00b",
    "/api/v1/tags/a%00b",
]


@pytest.mark.parametrize("address", NUL_ADDRESSES)
def test_a_nul_in_the_address_is_refused_with_400(db: Any, address: str) -> None:
    response = Client().get(address)
    assert response.status_code == 400
    if address.startswith("/api/"):
        assert error_of(response)["code"] == "bad_request"
        assert "NUL" in error_of(response)["message"]
    else:
        assert b"Bad request" in response.content
        assert b"NUL character" in response.content


def test_an_address_without_nul_still_answers(db: Any, alice: User) -> None:
    assert Client().get("/users/alice").status_code == 200
    assert Client().get("/works/search?q=lighthouse").status_code == 200


def _put_json(client: Client, address: str, raw: str) -> Any:
    return client.put(address, raw, content_type="application/json")


def test_a_lone_surrogate_in_a_bookmark_tag_is_refused_and_the_bookmark_kept(
    carol: User, work: Work
) -> None:
    client = bearer(token_for(carol))
    saved = _put_json(
        client, f"{API}/works/{work.pk}/bookmark", '{"notes": "Lovely", "tags": ["Fluff"]}'
    )
    assert saved.status_code == 200
    # JSON spells the lone surrogate as an escape; json.dumps keeps it so.
    raw = json.dumps({"notes": "Changed", "tags": ["Fluff", LONE]})
    assert "\\udc80" in raw
    refused = _put_json(client, f"{API}/works/{work.pk}/bookmark", raw)
    assert refused.status_code == 400
    error = error_of(refused)
    assert error["field"] == "tags[1]"
    assert "lone surrogate U+DC80" in error["message"]
    bookmark = Bookmark.objects.get(user=carol)
    assert "Lovely" in bookmark.notes
    for page in (
        f"/works/{work.pk}/bookmarks",
        "/users/carol/bookmarks",
        f"/bookmarks/{bookmark.pk}",
    ):
        assert Client().get(page).status_code == 200


def test_a_nul_in_an_api_comment_is_refused_and_nothing_is_stored(carol: User, work: Work) -> None:
    client = bearer(token_for(carol))
    raw = json.dumps({"body": "Great\u0000 story"})
    response = client.post(f"{API}/works/{work.pk}/comments", raw, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["field"] == "body"
    assert not Comment.objects.exists()


def test_a_json_body_that_is_not_utf8_is_refused(carol: User, work: Work) -> None:
    client = bearer(token_for(carol))
    response = client.post(
        f"{API}/works/{work.pk}/comments", b'{"body": "\xff\xfe"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "not UTF-8" in error_of(response)["message"]
    assert not Comment.objects.exists()


def test_a_nul_in_a_form_post_is_refused_by_the_form(carol: User, work: Work) -> None:
    client = Client()
    client.force_login(carol)
    response = client.post(
        f"/works/{work.pk}/comments", {"text": "Nice\x00 one", "text_format": "plain"}
    )
    assert response.status_code in (200, 400)
    assert b"Null characters are not allowed" in response.content
    assert not Comment.objects.exists()


def test_surrogates_sent_in_a_form_arrive_as_replacement_characters(
    carol: User, work: Work
) -> None:
    """Form posts cannot carry a lone surrogate: its UTF-8-like bytes decode as U+FFFD."""
    client = Client()
    client.force_login(carol)
    response = client.post(
        f"/works/{work.pk}/bookmark",
        "notes=A%ED%B2%80B&tags=&is_private=&is_rec=",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 302)
    notes = Bookmark.objects.get(user=carol).notes
    assert unusable_character(notes) is None
    assert "\ufffd" in notes


def test_the_rule_names_the_character_and_where_it_is() -> None:
    assert unusable_character("plain text, ünïcode, 漢字, 🙂") is None
    assert unusable_character("ab\x00") == "it holds a NUL character (at character 3)"
    assert "U+D800" in (unusable_character("\ud800x") or "")
    assert unusable_in({"a": [{"b": "ok"}, {"c": "x\udfff"}]}) == (
        "a[1].c",
        "it holds a lone surrogate U+DFFF (at character 2), "
        "which is not a character of any text encoding",
    )
    assert unusable_in({"k\x00": 1}) is not None
    with pytest.raises(Exception, match="Title cannot be used"):
        check_text("x\x00", name="Title")
