"""Reading works through the API: one work, a chapter, search, a creator's works, downloads."""

from __future__ import annotations

from typing import Any

from django.test import Client

from ficarchive.accounts.actions import hide_tags
from ficarchive.accounts.models import Mute, User
from ficarchive.works import actions
from ficarchive.works.models import Work
from tests.api.conftest import API, error_of
from tests.conftest import post_work


def test_guest_reads_a_posted_work_with_tags_creators_and_chapters(work: Work) -> None:
    response = Client().get(f"{API}/works/{work.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "The Lighthouse Keeper"
    assert body["tags"]["fandom"] == ["Original Work"]
    assert body["tags"]["rating"] == ["General Audiences"]
    assert body["creators"][0]["username"] == "alice"
    assert [c["number"] for c in body["chapter_list"]] == [1]
    assert set(body["downloads"]) == {"epub", "html", "txt"}


def test_a_chapter_comes_with_its_sanitized_text(alice: User) -> None:
    work = post_work(alice, chapters=["<p>One</p>", "<p>Two<script>alert(1)</script></p>"])
    second = work.posted_chapters()[1]
    body = Client().get(f"{API}/works/{work.pk}/chapters/{second.pk}").json()
    assert body["number"] == 2
    assert "Two" in body["body"]
    assert "script" not in body["body"]


def test_guest_is_asked_for_a_token_for_a_restricted_work(alice: User, carol_api: Client) -> None:
    restricted = post_work(alice, restricted=True)
    response = Client().get(f"{API}/works/{restricted.pk}")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert carol_api.get(f"{API}/works/{restricted.pk}").status_code == 200


def test_another_users_draft_is_not_found(
    alice: User, carol_api: Client, alice_api: Client
) -> None:
    draft = post_work(alice, draft=True)
    response = carol_api.get(f"{API}/works/{draft.pk}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert alice_api.get(f"{API}/works/{draft.pk}").json()["draft"] is True


def test_a_hidden_work_is_not_found_but_for_its_creators_and_admins(
    work: Work, ada: User, carol_api: Client, alice_api: Client
) -> None:
    actions.hide_work(ada, work, "spam")
    assert carol_api.get(f"{API}/works/{work.pk}").status_code == 404
    assert Client().get(f"{API}/works/{work.pk}").status_code == 404
    assert alice_api.get(f"{API}/works/{work.pk}").status_code == 200


def test_a_draft_chapter_is_only_for_the_creators(
    work: Work, alice: User, alice_api: Client
) -> None:
    draft = actions.add_chapter(alice, work, actions.ChapterDetails(body="<p>Soon</p>"), draft=True)
    assert Client().get(f"{API}/works/{work.pk}/chapters/{draft.pk}").status_code == 404
    assert alice_api.get(f"{API}/works/{work.pk}/chapters/{draft.pk}").status_code == 200
    assert len(Client().get(f"{API}/works/{work.pk}").json()["chapter_list"]) == 1


def test_search_takes_the_search_pages_parameters_and_gives_facets(alice: User) -> None:
    post_work(alice, "Storm", fandoms=["Weather"])
    post_work(alice, "Calm", fandoms=["Sea"])
    body = Client().get(f"{API}/works", {"include": "Weather"}).json()
    assert body["total"] == 1
    assert [w["title"] for w in body["works"]] == ["Storm"]
    assert {"name": "Weather", "count": 1} in body["facets"]["fandom"]
    everything = Client().get(f"{API}/works", {"per_page": 1}).json()
    assert everything["total"] == 2 and everything["pages"] == 2
    assert "page=2" in everything["next"]


def test_search_results_kept_in_the_cache_follow_edits_and_kudos(alice: User, carol: User) -> None:
    from ficarchive.social.actions.kudos import give_kudos

    work = post_work(alice, "Storm")
    first = Client().get(f"{API}/works").json()["works"][0]
    assert (first["title"], first["stats"]["kudos"]) == ("Storm", 0)
    give_kudos(carol, work)
    assert Client().get(f"{API}/works").json()["works"][0]["stats"]["kudos"] == 1
    actions.delete_work(alice, work)
    assert Client().get(f"{API}/works").json()["works"] == []


def test_a_malformed_search_is_refused_naming_the_parameter(db: Any) -> None:
    # Not a range at all: the schema's pattern refuses it (422).
    response = Client().get(f"{API}/works", {"words": "lots"})
    assert response.status_code == 422
    assert error_of(response)["field"] == "words"
    # A range the pattern allows but the search cannot use: the search's 400.
    response = Client().get(f"{API}/works", {"words": "500-100"})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "bad_request"
    assert error["field"] == "words"
    # "²" passed str.isdigit() and then failed int(): a 500.
    response = Client().get(f"{API}/works", {"q": "words:>²"})
    assert response.status_code == 400
    assert "whole number" in error_of(response)["message"]


def test_sql_in_a_search_is_only_text(work: Work) -> None:
    response = Client().get(f"{API}/works", {"q": "'; DROP TABLE works_work; --"})
    assert response.status_code == 200
    assert response.json()["total"] == 0
    assert Work.objects.filter(pk=work.pk).exists()


def test_search_and_creator_listings_leave_out_muted_creators(
    work: Work, alice: User, carol: User, carol_api: Client
) -> None:
    Mute.objects.create(muter=carol, muted=alice)
    assert carol_api.get(f"{API}/works").json()["total"] == 0
    assert carol_api.get(f"{API}/users/alice/works").json()["items"] == []
    assert Client().get(f"{API}/users/alice/works").json()["items"][0]["id"] == work.pk


def test_a_creators_works_come_in_pages_by_cursor(alice: User) -> None:
    titles = [f"Work {n}" for n in range(5)]
    for title in titles:
        post_work(alice, title)
    seen: list[str] = []
    url: str | None = f"{API}/users/alice/works?limit=2"
    while url:
        body = Client().get(url).json()
        seen += [w["title"] for w in body["items"]]
        url = body["next"]
    assert seen == list(reversed(titles))


def test_a_forged_cursor_is_a_400(work: Work) -> None:
    response = Client().get(f"{API}/users/alice/works", {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert error_of(response)["field"] == "cursor"


def test_an_unknown_creator_is_a_404(db: Any) -> None:
    assert Client().get(f"{API}/users/nobody/works").status_code == 404


def test_downloads_come_in_three_formats_and_answer_304_when_unchanged(work: Work) -> None:
    client = Client()
    epub = client.get(f"{API}/works/{work.pk}/download/epub")
    assert epub.status_code == 200
    assert epub["Content-Type"] == "application/epub+zip"
    assert epub.content[:2] == b"PK"
    txt = client.get(f"{API}/works/{work.pk}/download/txt")
    assert "The lamp turned all night." in txt.content.decode()
    again = client.get(f"{API}/works/{work.pk}/download/epub", HTTP_IF_NONE_MATCH=epub["ETag"])
    assert again.status_code == 304


def test_a_restricted_download_needs_a_token(alice: User, carol_api: Client) -> None:
    restricted = post_work(alice, restricted=True)
    assert Client().get(f"{API}/works/{restricted.pk}/download/html").status_code == 401
    assert carol_api.get(f"{API}/works/{restricted.pk}/download/html").status_code == 200


def test_an_unknown_format_is_refused(work: Work) -> None:
    response = Client().get(f"{API}/works/{work.pk}/download/pdf")
    assert response.status_code == 422
    assert error_of(response)["field"] == "fmt"


def test_reads_carry_an_etag_and_answer_304(work: Work) -> None:
    first = Client().get(f"{API}/works/{work.pk}")
    assert first["ETag"]
    again = Client().get(f"{API}/works/{work.pk}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    actions.update_work(
        work.creators[0].user,
        work,
        actions.WorkDetails(
            title="Renamed",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Original Work"],
            rating="General Audiences",
        ),
    )
    changed = Client().get(f"{API}/works/{work.pk}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200


def test_huge_ids_are_refused_not_crashed(db: Any) -> None:
    response = Client().get(f"{API}/works/{2**70}")
    assert response.status_code == 422
    assert error_of(response)["field"] == "work_id"


def test_a_page_of_works_costs_the_same_queries_whatever_its_size(
    alice: User, django_assert_max_num_queries: Any
) -> None:
    for number in range(3):
        post_work(alice, f"Work {number}", freeforms=[f"Tag {number}"])
    client = Client()
    client.get(f"{API}/users/alice/works")  # warm: the rate-limit counter exists
    with django_assert_max_num_queries(10) as few:
        client.get(f"{API}/users/alice/works")
    for number in range(3, 12):
        post_work(alice, f"Work {number}", freeforms=[f"Tag {number}"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{API}/users/alice/works").json()["items"]) == 12


def test_listings_and_search_obey_the_readers_standing_filters(
    alice: User, carol: User, carol_api: Client
) -> None:
    post_work(alice, "Storm", freeforms=["Storms"])
    calm = post_work(alice, "Calm")
    hide_tags(carol, ["Storms"])
    listed = carol_api.get(f"{API}/users/alice/works").json()["items"]
    assert [w["title"] for w in listed] == ["Calm"]
    found = carol_api.get(f"{API}/works").json()
    assert [w["id"] for w in found["works"]] == [calm.pk]
    assert found["total"] == 1
    assert Client().get(f"{API}/works").json()["total"] == 2
