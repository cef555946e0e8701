"""The moderation pages for content: a confirmation form asking the reason, the action, the way
back; the moderator links on the work page, on comments and in the case fragment."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from ficarchive.moderation.actions import content
from ficarchive.moderation.models import AuditEntry, Case
from ficarchive.social import actions as social
from ficarchive.social.models import Bookmark, Comment
from ficarchive.tags.models import TagType
from ficarchive.works import actions as work_actions
from ficarchive.works.models import Work
from tests.conftest import logged_in, make_user, post_work
from tests.moderation.content_helpers import REFUSED, polly, refused_user
from tests.works.test_posting import text_of


@pytest.fixture
def bobs_work(bob):
    return post_work(bob, "Secret Harbour", fandoms=["Lighthouses"], freeforms=["Rain"])


@pytest.fixture
def comment(bobs_work, carol):
    return social.post_comment(carol, bobs_work, "Spam at example.com")


@pytest.fixture
def bookmark(bobs_work, mallory):
    return social.save_bookmark(mallory, social.BookmarkDetails(notes="Spam"), work=bobs_work)


def client_for(who: str, *, reader, author) -> Client:
    user = refused_user(who, reader=reader, author=author)
    return logged_in(user) if user.is_authenticated else Client()


def test_the_confirmation_page_asks_the_reason(bobs_work):
    page = text_of(logged_in(polly()).get(f"/moderation/works/{bobs_work.pk}/hide?next=/works"))
    assert "Hide “Secret Harbour”" in page
    assert 'name="reason"' in page and 'value="/works"' in page


def test_a_moderator_hides_a_work_and_goes_back_to_next(bobs_work):
    moderator = polly()
    answer = logged_in(moderator).post(
        f"/moderation/works/{bobs_work.pk}/hide", {"reason": "Spam.", "next": "/works?page=2"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/works?page=2"
    assert Work.objects.get(pk=bobs_work.pk).is_hidden
    assert AuditEntry.objects.get().actor == moderator


def test_a_foreign_next_is_not_followed(bobs_work):
    answer = logged_in(polly()).post(
        f"/moderation/works/{bobs_work.pk}/hide",
        {"reason": "Spam.", "next": "https://evil.example/"},
    )
    assert answer["Location"] == bobs_work.get_absolute_url()


def test_the_case_is_kept_on_the_entry(bobs_work, bob):
    case = Case.objects.create(target_kind="work", target_id=bobs_work.pk, label="x", subject=bob)
    logged_in(polly()).post(
        f"/moderation/works/{bobs_work.pk}/hide", {"reason": "Spam.", "case": case.pk}
    )
    assert AuditEntry.objects.get().case == case


def test_without_next_the_action_goes_back_to_the_case(bobs_work, bob):
    case = Case.objects.create(target_kind="work", target_id=bobs_work.pk, label="x", subject=bob)
    answer = logged_in(polly()).post(
        f"/moderation/works/{bobs_work.pk}/hide", {"reason": "Spam.", "case": case.pk}
    )
    assert answer["Location"] == f"/moderation/cases/{case.pk}"


def test_hiding_without_a_reason_shows_the_error_next_to_it(bobs_work):
    answer = logged_in(polly()).post(f"/moderation/works/{bobs_work.pk}/hide", {"reason": ""})
    assert answer.status_code == 400
    assert "Give a reason" in text_of(answer)
    assert not Work.objects.get(pk=bobs_work.pk).is_hidden


def test_an_unknown_action_is_not_found(bobs_work):
    assert logged_in(polly()).get(f"/moderation/works/{bobs_work.pk}/burn").status_code == 404


def test_a_moderator_edits_tags_on_the_tags_page(bobs_work):
    client = logged_in(polly())
    page = text_of(client.get(f"/moderation/works/{bobs_work.pk}/tags"))
    assert 'value="Lighthouses"' in page and 'value="Rain"' in page
    answer = client.post(
        f"/moderation/works/{bobs_work.pk}/tags",
        {
            "rating": "General Audiences",
            "warnings": ["No Archive Warnings Apply"],
            "fandoms": "Lighthouses",
            "freeforms": "Fluff, Storms",
            "reason": "Tags were spam.",
        },
    )
    assert answer.status_code == 302
    names = work_actions.tag_names_of(bobs_work)
    assert names[TagType.FREEFORM] == ["Fluff", "Storms"]
    assert AuditEntry.objects.get().verb == "edit_work_tags"


def test_a_moderator_deletes_a_work_on_its_page(bobs_work):
    answer = logged_in(polly()).post(
        f"/moderation/works/{bobs_work.pk}/delete", {"reason": "Illegal."}
    )
    assert answer["Location"] == "/"
    assert not Work.objects.filter(pk=bobs_work.pk).exists()


def test_a_moderator_hides_freezes_and_deletes_a_comment(comment):
    client = logged_in(polly())
    base = f"/moderation/comments/{comment.pk}"
    assert client.post(f"{base}/hide", {"reason": "Spam."}).status_code == 302
    assert client.post(f"{base}/freeze", {"reason": "Closed."}).status_code == 302
    found = Comment.objects.get(pk=comment.pk)
    assert found.is_hidden and found.is_frozen
    assert client.post(f"{base}/delete", {"reason": "Spam."}).status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()
    verbs = list(AuditEntry.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["hide_comment", "freeze_thread", "delete_comment"]


def test_a_moderator_hides_a_bookmark(bookmark, mallory):
    answer = logged_in(polly()).post(
        f"/moderation/bookmarks/{bookmark.pk}/hide", {"reason": "Spam notes."}
    )
    assert answer["Location"] == "/users/mallory/bookmarks"
    assert Bookmark.objects.get(pk=bookmark.pk).is_hidden
    assert "Spam" not in text_of(Client().get(f"/works/{bookmark.work_id}/bookmarks"))


PAGES = [
    ("works", "hide"),
    ("works", "delete"),
    ("works", "tags"),
    ("comments", "hide"),
    ("comments", "delete"),
    ("comments", "freeze"),
    ("bookmarks", "hide"),
]


@pytest.mark.parametrize("who", [name for name in REFUSED if name != "guest"])
def test_the_pages_refuse_those_without_the_permission(who, alice, carol, comment, bookmark):
    client = client_for(who, reader=carol, author=alice)
    ids = {"works": comment.work_id, "comments": comment.pk, "bookmarks": bookmark.pk}
    for kind, verb in PAGES:
        address = f"/moderation/{kind}/{ids[kind]}/{verb}"
        assert client.get(address).status_code == 403, address
        assert client.post(address, {"reason": "x"}).status_code == 403, address
    assert not AuditEntry.objects.exists()
    assert not Work.objects.get(pk=comment.work_id).is_hidden


def test_the_pages_send_guests_to_log_in(comment):
    answer = Client().post(f"/moderation/comments/{comment.pk}/hide", {"reason": "x"})
    assert answer.status_code == 302 and answer["Location"].startswith("/login")


def test_the_action_refuses_a_forged_post_without_csrf_token(bobs_work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(polly())
    answer = client.post(f"/moderation/works/{bobs_work.pk}/hide", {"reason": "x"})
    assert answer.status_code == 403
    assert not Work.objects.get(pk=bobs_work.pk).is_hidden


# --- the admin hide page ---------------------------------------------------------------------


def test_the_works_hide_page_uses_the_same_action_and_writes_the_audit_entry(bobs_work, bob):
    moderator = polly()
    logged_in(moderator).post(f"/works/{bobs_work.pk}/hide", {"reason": "Spam."})
    entry = AuditEntry.objects.get()
    assert (entry.verb, entry.actor, entry.subject) == ("hide_work", moderator, bob)


@pytest.mark.parametrize("who", ["wrangler", "support"])
def test_the_works_hide_page_refuses_roles_without_the_permission(who, bobs_work, alice, carol):
    client = client_for(who, reader=carol, author=alice)
    assert client.post(f"/works/{bobs_work.pk}/hide", {"reason": "x"}).status_code == 403


# --- moderator links -------------------------------------------------------------------------


def test_the_work_page_shows_moderator_links_to_moderators_only(bobs_work, carol):
    links = [
        f'href="/works/{bobs_work.pk}/hide"',
        f'href="/moderation/works/{bobs_work.pk}/tags',
        f'href="/moderation/works/{bobs_work.pk}/delete"',
    ]
    page = logged_in(polly()).get(bobs_work.get_absolute_url()).content.decode()
    assert all(link in page for link in links)
    wrangler_page = client_for("wrangler", reader=carol, author=carol).get(f"/works/{bobs_work.pk}")
    for page in (logged_in(carol).get(f"/works/{bobs_work.pk}"), wrangler_page):
        assert not any(link in page.content.decode() for link in links)


def page_queries(client: Client, work: Work) -> int:
    """The queries a load of the work page makes: the fewer of two loads, so that a check the
    page makes once a while (a refresh due by the clock) does not count as one per comment."""
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(work.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    return min(counts)


def test_each_comment_has_moderator_links_without_a_query_per_comment(bobs_work, carol, comment):
    client = logged_in(polly())
    page = client.get(bobs_work.get_absolute_url()).content.decode()
    assert f'href="/moderation/comments/{comment.pk}/hide?next=' in page
    assert f'href="/moderation/comments/{comment.pk}/freeze?next=' in page
    one = page_queries(client, bobs_work)
    for n in range(4):
        social.post_comment(make_user(f"reader{n}"), bobs_work, f"More {n}")
    assert page_queries(client, bobs_work) == one
    assert (
        "/moderation/comments/"
        not in logged_in(carol).get(f"/works/{bobs_work.pk}").content.decode()
    )


def rendered(target_kind: str, target, user, case=None) -> str:
    request = RequestFactory().get("/moderation/cases/1")
    request.user = user
    context = {"target_kind": target_kind, "target": target, "subject": None, "case": case}
    return render_to_string("moderation/_content_actions.html", context, request=request)


def test_the_case_fragment_offers_the_actions_for_each_kind(bobs_work, comment, bookmark, bob):
    moderator = polly()
    case = Case.objects.create(target_kind="work", target_id=bobs_work.pk, label="x", subject=bob)
    work_html = rendered("work", bobs_work, moderator, case)
    for address in ("hide", "delete", "tags"):
        assert f"/moderation/works/{bobs_work.pk}/{address}" in work_html
    assert f'name="case" value="{case.pk}"' in work_html
    assert 'name="next" value="/moderation/cases/1"' in work_html
    chapter_html = rendered("chapter", bobs_work.chapters.get(), moderator)
    assert f"/moderation/works/{bobs_work.pk}/hide" in chapter_html
    comment_html = rendered("comment", comment, moderator)
    for address in ("hide", "delete", "freeze"):
        assert f"/moderation/comments/{comment.pk}/{address}" in comment_html
    assert f"/moderation/bookmarks/{bookmark.pk}/hide" in rendered("bookmark", bookmark, moderator)
    content.hide_work(moderator, bobs_work, "Spam.")
    assert f"/moderation/works/{bobs_work.pk}/unhide" in rendered("work", bobs_work, moderator)


def test_the_case_fragment_is_empty_for_roles_without_the_permission(bobs_work, comment, alice):
    support = refused_user("support", reader=alice, author=alice)
    assert "/moderation/" not in rendered("work", bobs_work, support)
    assert "/moderation/" not in rendered("comment", comment, support)


def test_the_case_fragment_of_a_series_lists_its_works_to_hide(bobs_work, bob):
    series = work_actions.create_series(bob, "Harbours")
    work_actions.add_work_to_series(bob, bobs_work, series)
    html = rendered("series", series, polly())
    assert f"/moderation/works/{bobs_work.pk}/hide?next=" in html
    assert "Secret Harbour" in html
