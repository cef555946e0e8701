"""Comments, kudos, bookmarks, subscriptions and the inbox through the API."""

from __future__ import annotations

from typing import Any

from django.test import Client

from ficarchive.accounts.models import Block, Mute, User
from ficarchive.social import actions
from ficarchive.social.models import Bookmark, Comment, InboxItem, Kudos, Subscription
from ficarchive.tags import actions as tag_actions
from ficarchive.tags.models import Tag, TagType
from ficarchive.works import actions as work_actions
from ficarchive.works.models import Work
from tests.api.conftest import API, error_of
from tests.conftest import post_work


def _comment(client: Client, work: Work, **fields: Any) -> Any:
    return client.post(f"{API}/works/{work.pk}/comments", fields, content_type="application/json")


def test_a_reader_comments_and_the_author_replies(
    work: Work, carol_api: Client, alice_api: Client
) -> None:
    posted = _comment(carol_api, work, text="Lovely <script>x</script>")
    assert posted.status_code == 201
    comment = posted.json()
    assert comment["author"] == "carol" and "<script" not in comment["body"]
    reply = _comment(alice_api, work, text="Thank you!", parent_id=comment["id"])
    assert reply.status_code == 201
    threads = Client().get(f"{API}/works/{work.pk}/comments").json()["items"]
    assert [t["body"] for t in threads] == [comment["body"]]
    assert threads[0]["replies"][0]["author"] == "alice"


def test_comments_list_hides_what_the_page_hides(
    work: Work, alice: User, carol: User, bob: User, carol_api: Client
) -> None:
    hidden = actions.post_comment(carol, work, "Hidden one")
    actions.set_comment_hidden(alice, hidden, True)
    actions.post_comment(bob, work, "From bob")
    Mute.objects.create(muter=carol, muted=bob)
    guest_view = [
        c["body"] for c in Client().get(f"{API}/works/{work.pk}/comments").json()["items"]
    ]
    assert guest_view == ["<p>From bob</p>"]
    carol_view = [
        c["body"] for c in carol_api.get(f"{API}/works/{work.pk}/comments").json()["items"]
    ]
    assert carol_view == ["<p>Hidden one</p>"]  # her own; bob is muted


def test_moderated_comments_wait_and_show_only_to_their_author(
    alice: User, carol_api: Client
) -> None:
    work = post_work(alice, moderate_comments=True)
    posted = _comment(carol_api, work, text="Waiting").json()
    assert posted["status"] == "pending"
    assert Client().get(f"{API}/works/{work.pk}/comments").json()["items"] == []


def test_a_blocked_reader_cannot_comment_or_leave_kudos(
    work: Work, alice: User, mallory: User, mallory_api: Client
) -> None:
    Block.objects.create(blocker=alice, blocked=mallory)
    refused = _comment(mallory_api, work, text="Hi")
    assert refused.status_code == 403
    assert error_of(refused)["code"] == "forbidden"
    assert mallory_api.post(f"{API}/works/{work.pk}/kudos").status_code == 403
    assert not Comment.objects.exists() and not Kudos.objects.exists()


def test_comments_off_are_refused(alice: User, carol_api: Client) -> None:
    work = post_work(alice, comment_policy="none")
    assert _comment(carol_api, work, text="Hi").status_code == 403


def test_an_empty_comment_names_the_field(work: Work, carol_api: Client) -> None:
    response = _comment(carol_api, work, text="<script></script>", body_format="html")
    assert response.status_code == 422
    assert error_of(response)["field"] == "text"


def test_comments_on_a_draft_are_not_found(alice: User, carol_api: Client) -> None:
    draft = post_work(alice, draft=True)
    assert _comment(carol_api, draft, text="Hi").status_code == 404
    assert Client().get(f"{API}/works/{draft.pk}/comments").status_code == 404


def test_kudos_once_then_409(work: Work, carol_api: Client, alice_api: Client) -> None:
    first = carol_api.post(f"{API}/works/{work.pk}/kudos")
    assert first.status_code == 201 and first.json()["kudos"] == 1
    again = carol_api.post(f"{API}/works/{work.pk}/kudos")
    assert again.status_code == 409
    assert error_of(again)["code"] == "conflict"
    assert alice_api.post(f"{API}/works/{work.pk}/kudos").status_code == 403  # her own work


def test_a_reader_bookmarks_edits_and_deletes(work: Work, carol: User, carol_api: Client) -> None:
    made = carol_api.put(
        f"{API}/works/{work.pk}/bookmark",
        {"notes": "Read <b>this</b>", "tags": ["comfort"], "rec": True},
        content_type="application/json",
    )
    assert made.status_code == 200
    bookmark = made.json()
    assert bookmark["rec"] is True and bookmark["tags"] == ["comfort"]
    listed = Client().get(f"{API}/works/{work.pk}/bookmarks").json()["items"]
    assert [b["id"] for b in listed] == [bookmark["id"]]
    private = carol_api.put(
        f"{API}/works/{work.pk}/bookmark", {"private": True}, content_type="application/json"
    ).json()
    assert private["id"] == bookmark["id"] and private["private"] is True
    assert Client().get(f"{API}/works/{work.pk}/bookmarks").json()["items"] == []
    assert Client().get(f"{API}/users/carol/bookmarks").json()["items"] == []
    assert len(carol_api.get(f"{API}/users/carol/bookmarks").json()["items"]) == 1
    assert Client().get(f"{API}/bookmarks/{bookmark['id']}").status_code == 404
    assert carol_api.delete(f"{API}/bookmarks/{bookmark['id']}").status_code == 204
    assert not Bookmark.objects.exists()


def test_nobody_deletes_another_readers_bookmark(
    work: Work, carol: User, alice_api: Client
) -> None:
    mark = actions.save_bookmark(carol, actions.BookmarkDetails(notes="mine"), work=work)
    response = alice_api.delete(f"{API}/bookmarks/{mark.pk}")
    assert response.status_code == 403
    assert Bookmark.objects.filter(pk=mark.pk).exists()


def test_a_private_and_rec_bookmark_is_refused(work: Work, carol_api: Client) -> None:
    response = carol_api.put(
        f"{API}/works/{work.pk}/bookmark",
        {"private": True, "rec": True},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Bookmark.objects.exists()


def test_subscribe_list_and_unsubscribe(work: Work, carol_api: Client) -> None:
    made = carol_api.post(
        f"{API}/me/subscriptions", {"work_id": work.pk}, content_type="application/json"
    )
    assert made.status_code == 201
    again = carol_api.post(
        f"{API}/me/subscriptions", {"work_id": work.pk}, content_type="application/json"
    )
    assert again.status_code == 409
    listed = carol_api.get(f"{API}/me/subscriptions").json()["items"]
    assert [s["work_id"] for s in listed] == [work.pk]
    creator = carol_api.post(
        f"{API}/me/subscriptions", {"username": "alice"}, content_type="application/json"
    )
    assert creator.json()["kind"] == "creator"
    assert carol_api.delete(f"{API}/me/subscriptions/{made.json()['id']}").status_code == 204
    assert Subscription.objects.count() == 1


def test_subscribing_needs_exactly_one_target(work: Work, carol_api: Client) -> None:
    response = carol_api.post(
        f"{API}/me/subscriptions",
        {"work_id": work.pk, "username": "alice"},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_nobody_removes_another_readers_subscription(
    work: Work, carol: User, alice_api: Client
) -> None:
    mine = actions.subscribe(carol, work=work)
    assert alice_api.delete(f"{API}/me/subscriptions/{mine.pk}").status_code == 404
    assert Subscription.objects.filter(pk=mine.pk).exists()


def test_the_inbox_lists_and_marks_read(
    work: Work, alice: User, carol: User, alice_api: Client, carol_api: Client
) -> None:
    actions.post_comment(carol, work, "Hello")
    inbox = alice_api.get(f"{API}/me/inbox").json()
    assert inbox["unread"] == 1
    item = inbox["items"][0]
    assert item["kind"] == "comment" and item["actor"] == "carol"
    assert carol_api.post(
        f"{API}/me/inbox/read", {"ids": [item["id"]]}, content_type="application/json"
    ).json() == {"changed": 0, "unread": 0}
    marked = alice_api.post(
        f"{API}/me/inbox/read", {"ids": [item["id"]]}, content_type="application/json"
    )
    assert marked.json() == {"changed": 1, "unread": 0}
    assert InboxItem.objects.get().is_read
    assert alice_api.get(f"{API}/me/inbox", {"unread": "true"}).json()["items"] == []


def test_series_show_only_visible_parts(alice: User, carol_api: Client) -> None:
    first = post_work(alice, "One")
    series = work_actions.create_series(alice, "Weather")
    work_actions.add_work_to_series(alice, first, series)
    draft = post_work(alice, "Two", draft=True)
    work_actions.add_work_to_series(alice, draft, series)
    body = Client().get(f"{API}/series/{series.pk}").json()
    assert [p["work"]["title"] for p in body["works"]] == ["One"]
    detail = Client().get(f"{API}/works/{first.pk}").json()
    assert detail["series"] == [{"id": series.pk, "title": "Weather", "part": 1, "of": 1}]
    only_draft = work_actions.create_series(alice, "Hidden")
    work_actions.add_work_to_series(alice, draft, only_draft)
    assert carol_api.get(f"{API}/series/{only_draft.pk}").status_code == 404


def test_tags_lookup_and_autocomplete(alice: User) -> None:
    post_work(alice, fandoms=["Weather Fandom"])
    tag = Client().get(f"{API}/tags", {"name": "weather fandom"}).json()
    assert tag["name"] == "Weather Fandom" and tag["type"] == "fandom"
    assert "include=Weather+Fandom" in tag["works"]
    assert Client().get(f"{API}/tags", {"name": "Nothing"}).status_code == 404
    bad = Client().get(f"{API}/tags/autocomplete", {"type": "rating", "q": "x"})
    assert bad.status_code == 422
    assert error_of(bad)["field"] == "type"
    assert Client().get(f"{API}/tags/autocomplete", {"type": "fandom", "q": "wea"}).json() == {
        "items": []  # unwrangled tags are never offered
    }


def test_a_fandoms_tag_tree_ranks_its_cast_by_visible_works(alice: User, ada: User) -> None:
    post_work(alice, fandoms=["Sea Stories"], characters=["Captain"])
    post_work(alice, fandoms=["Sea Stories"], characters=["Captain"], restricted=True)
    fandom = Tag.objects.get(name="Sea Stories")
    captain = Tag.objects.get(name="Captain", type=TagType.CHARACTER)
    tag_actions.wrangle_tags(ada, [fandom], "canonical", [])
    tag_actions.wrangle_tags(ada, [captain], "canonical", [])
    captain.parents.add(fandom)
    tree = Client().get(f"{API}/tags/tree", {"name": "sea stories"}).json()
    assert tree["name"] == "Sea Stories"
    assert tree["cast"] == [{"name": "Captain", "type": "character", "canonical": True, "uses": 1}]
    assert tree["sub_fandoms"] == []
    assert Client().get(f"{API}/tags/tree", {"name": "Captain"}).status_code == 404


def test_a_deleted_comment_with_replies_stays_as_an_empty_placeholder(
    work: Work, alice: User, carol: User
) -> None:
    first = actions.post_comment(carol, work, "Secret words")
    actions.post_comment(alice, work, "A reply", parent=first)
    actions.delete_comment(carol, first)
    thread = Client().get(f"{API}/works/{work.pk}/comments").json()["items"][0]
    assert thread["deleted"] is True
    assert thread["body"] == "" and thread["author"] == "" and thread["username"] is None
    assert thread["replies"][0]["body"] == "<p>A reply</p>"


def test_a_page_of_threads_costs_the_same_queries_whatever_its_size(
    work: Work, alice: User, carol: User, django_assert_max_num_queries: Any, settings: Any
) -> None:
    settings.COMMENT_LIMIT = 100  # volume, not the new-account comment limit
    first = actions.post_comment(carol, work, "One")
    actions.post_comment(alice, work, "Reply", parent=first)
    client = Client()
    client.get(f"{API}/works/{work.pk}/comments")
    with django_assert_max_num_queries(12) as few:
        client.get(f"{API}/works/{work.pk}/comments")
    for number in range(6):
        parent = actions.post_comment(carol, work, f"More {number}")
        actions.post_comment(alice, work, "Reply", parent=parent)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{API}/works/{work.pk}/comments").json()["items"]) == 7
