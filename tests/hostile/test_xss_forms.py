"""XSS vectors typed into the real forms and posted over HTTP: what is accepted shows no live
markup, what is refused answers 400 with the input shown back harmlessly and nothing saved."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils.html import escape

from ficarchive.accounts.models import Pseud
from ficarchive.social.models import Bookmark, Comment
from ficarchive.tags.models import GENERAL, NO_WARNINGS, Tag
from ficarchive.works.models import CommentPolicy, Work
from tests.conftest import post_work
from tests.hostile.archive import batches, packed
from tests.hostile.checker import check_html
from tests.hostile.surfaces import check_pages, explain
from tests.hostile.vectors import nastiest, xss_vectors

# Three that set window.__xss: an attribute breakout, a textarea breakout, an event handler.
CHOSEN = [n for n in nastiest() if xss_vectors()[n].startswith(('"', "</textarea>", "<img"))][:3]


def _work_form(**changes: Any) -> dict[str, Any]:
    def text(name: str) -> str:
        return packed(CHOSEN, name)

    return {
        "title": packed(CHOSEN, "title", " "),
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
        "fandoms": packed(CHOSEN, "fandom", ", "),
        "relationships": packed(CHOSEN, "relationship", ", "),
        "characters": packed(CHOSEN, "character", ", "),
        "freeforms": packed(CHOSEN, "freeform", ", "),
        "summary": text("summary"),
        "begin_notes": text("notes"),
        "end_notes": text("end-notes"),
        "language": "en",
        "expected_chapters": "1",
        "comment_policy": CommentPolicy.EVERYONE,
        "chapter_title": packed(CHOSEN, "chapter-title", " "),
        "body_format": "html",
        "body": text("body"),
        "new_series": packed(CHOSEN, "series-title", " "),
        "credits-TOTAL_FORMS": "1",
        "credits-INITIAL_FORMS": "0",
        "credits-0-role": "beta",
        "credits-0-name": xss_vectors()[CHOSEN[0]][:100],
        **changes,
    }


def test_the_vectors_chosen_are_the_ones_meant():
    assert len(CHOSEN) == 3


def test_a_work_posted_through_the_form_shows_no_live_markup(alice, alice_client: Client):
    data = _work_form(pseuds=[alice.default_pseud.pk])
    preview = alice_client.post("/works/new", {**data, "action": "preview"})
    assert preview.status_code == 200
    findings = check_html(preview.content.decode(), "the preview")

    response = alice_client.post("/works/new", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    work = Work.objects.get()
    assert xss_vectors()[CHOSEN[0]] in work.title
    for url in (f"/works/{work.pk}", f"/works/{work.pk}/edit", "/works"):
        assert check_pages(alice_client, url, findings), url
    assert not findings, explain(findings)


def test_a_guest_comment_and_a_bookmark_through_the_forms_show_no_live_markup(
    alice, carol_client: Client
):
    work = post_work(alice)
    guest = Client()
    for number in CHOSEN:
        response = guest.post(
            f"/works/{work.pk}/comments",
            {
                "text": packed([number], "guest-comment"),
                "body_format": "html",
                "guest_name": packed([number], "guest-name")[:100],
                "guest_email": "guest@example.org",
            },
            REMOTE_ADDR=f"192.0.2.{number}",
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    response = carol_client.post(
        f"/works/{work.pk}/bookmark",
        {"notes": packed(CHOSEN, "bookmark-notes"), "tags": packed(CHOSEN, "bookmark-tag", ", ")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Comment.objects.count() == len(CHOSEN) and Bookmark.objects.count() == 1
    findings: list = []
    for url in (f"/works/{work.pk}", f"/works/{work.pk}/bookmarks", "/users/carol/bookmarks"):
        assert check_pages(guest, url, findings), url
    assert not findings, explain(findings)


def test_a_pseud_named_with_markup_is_refused_and_nothing_changes(alice, alice_client: Client):
    before = list(Pseud.objects.values_list("pk", "name", "description"))
    for number in CHOSEN:
        response = alice_client.post(
            "/pseuds/new",
            {"name": xss_vectors()[number][:40], "description": packed([number], "pseud")},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "letters, digits, underscores or spaces" in page
        assert not check_html(page, "/pseuds/new"), explain(check_html(page, "/pseuds/new"))
    assert list(Pseud.objects.values_list("pk", "name", "description")) == before


def test_a_work_refused_shows_the_markup_typed_back_harmlessly(alice, alice_client: Client):
    """Too long a title: 400, the form again with every field as typed, and no work saved."""
    data = _work_form(pseuds=[alice.default_pseud.pk], title=xss_vectors()[CHOSEN[0]] * 20)
    response = alice_client.post("/works/new", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ensure this value has at most 255 characters" in page
    assert escape(xss_vectors()[CHOSEN[1]]) in page  # shown back as typed, as text
    assert not check_html(page, "/works/new"), explain(check_html(page, "/works/new"))
    assert not Work.objects.exists()


def test_an_admins_reason_for_hiding_shows_no_live_markup(alice, alice_client, ada_client):
    """The reason an admin gives reaches the work's creators on the work's page."""
    findings: list = []
    for run in batches(range(len(xss_vectors())), limit=2000):
        work = post_work(alice)
        response = ada_client.post(f"/works/{work.pk}/hide", {"reason": packed(run, "reason")})
        assert response.status_code == 302
        work.refresh_from_db()
        assert work.is_hidden and xss_vectors()[run[-1]].strip() in work.hidden_reason
        for client in (alice_client, ada_client):
            assert check_pages(client, f"/works/{work.pk}", findings)
        assert check_pages(ada_client, f"/works/{work.pk}/hide", findings)
    assert not findings, explain(findings)


def test_tags_and_credits_too_long_for_their_field_are_refused_and_nothing_is_saved(
    alice, alice_client: Client
):
    """The whole-archive tests leave out vectors too long for a name; the form refuses them."""
    longest = max(xss_vectors(), key=len)
    tags_before = set(Tag.objects.values_list("pk", flat=True))
    for changes, reason in (
        ({"freeforms": (longest + " ") * 2}, "is longer than 150 characters"),
        ({"credits-0-name": longest * 2}, "at most 100 characters"),
    ):
        data = _work_form(pseuds=[alice.default_pseud.pk], **changes)
        response = alice_client.post("/works/new", data)
        assert response.status_code == 400
        page = response.content.decode()
        assert reason in page
        assert not check_html(page, "/works/new"), explain(check_html(page, "/works/new"))
    assert not Work.objects.exists()
    assert set(Tag.objects.values_list("pk", flat=True)) == tags_before
