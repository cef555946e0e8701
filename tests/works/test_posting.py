"""Posting a new work: the form, preview, drafts, and every way a post is refused."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.actions import create_pseud
from ficarchive.accounts.models import Pseud
from ficarchive.tags.models import GENERAL, NO_WARNINGS, Tag, TagType
from ficarchive.works import actions
from ficarchive.works.models import Chapter, CommentPolicy, Series, Work
from tests.conftest import logged_in

NEW = reverse("works:new")


def form_data(pseud: Pseud | None = None, **changes: Any) -> dict[str, Any]:
    """A complete, valid posting form as the browser sends it, with three blank credit rows."""
    data: dict[str, Any] = {
        "pseuds": [pseud.pk] if pseud else [],
        "title": "The Lighthouse Keeper",
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
        "categories": [],
        "fandoms": "Original Work",
        "relationships": "",
        "characters": "",
        "freeforms": "",
        "summary": "",
        "begin_notes": "",
        "end_notes": "",
        "language": "en",
        "expected_chapters": "1",
        "comment_policy": CommentPolicy.EVERYONE,
        "series": "",
        "new_series": "",
        "chapter_title": "",
        "body_format": "html",
        "body": "<p>The lamp turned all night.</p>",
        "credits-TOTAL_FORMS": "3",
        "credits-INITIAL_FORMS": "0",
        "credits-MIN_NUM_FORMS": "0",
        "credits-MAX_NUM_FORMS": "30",
        "action": "post",
    }
    for row in range(3):
        data[f"credits-{row}-role"] = ""
        data[f"credits-{row}-name"] = ""
    data.update(changes)
    return data


def _is_our_script(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """The archive's own scripts (htmx and the tag suggestions) are served from its static files."""
    return tag == "script" and (dict(attrs).get("src") or "").startswith("/static/ficarchive/")


class _UnsafeMarkupFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed") and not _is_our_script(tag, attrs):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src") and value.startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
            if name == "style" and "position" in value:
                self.found.append(f"<{tag} style={value}>")


def unsafe_markup(page: str) -> list[str]:
    """Elements and attributes in the page that could run script or cover the page."""
    finder = _UnsafeMarkupFinder()
    finder.feed(page)
    return finder.found


def text_of(response: Any) -> str:
    """The page as a reader sees its text: entities turned back into characters."""
    return html.unescape(response.content.decode())


# --- the form ----------------------------------------------------------------------------


def test_guest_is_sent_to_log_in(client: Client, alice):
    assert client.get(NEW)["Location"].startswith(reverse("accounts:login"))
    response = client.post(NEW, form_data(alice.default_pseud))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Work.objects.exists()


def test_new_work_form_offers_the_users_pseuds_with_the_default_checked(alice, alice_client):
    other = create_pseud(alice, "Lamplighter")
    page = alice_client.get(NEW).content.decode()
    assert f'name="pseuds" value="{alice.default_pseud.pk}"' in page
    assert f'value="{alice.default_pseud.pk}" id="id_pseuds_0" checked' in page
    assert f'name="pseuds" value="{other.pk}"' in page
    assert f'value="{other.pk}" id="id_pseuds_1" checked' not in page
    for text in ("Teen And Up Audiences", NO_WARNINGS, "F/M", "Chapters expected", "Markdown"):
        assert text in page
    for button in ('value="preview"', 'value="draft"', 'value="post"'):
        assert button in page
    assert page.count("<h1") == 1


def test_posting_stores_every_field(alice, alice_client):
    data = form_data(
        alice.default_pseud,
        title="Salt and Light",
        rating="Teen And Up Audiences",
        warnings=[NO_WARNINGS, "Major Character Death"],
        categories=["F/F", "Gen"],
        fandoms="Original Work, Lighthouses",
        relationships="Keeper/Gull",
        characters="The Keeper, The Gull",
        freeforms="Slow Burn, Sea",
        summary="<p>A keeper and a <em>gull</em>.</p>",
        begin_notes="Written for a friend.",
        end_notes="<p>Thanks for reading.</p>",
        language="fr",
        expected_chapters="1",
        restricted="on",
        comment_policy=CommentPolicy.REGISTERED,
        moderate_comments="on",
        new_series="Coastal Tales",
        chapter_title="The Storm",
        body="<p>One two three four five.</p>",
        **{
            "credits-0-role": "beta",
            "credits-0-name": "bob",
            "credits-2-role": "translator",
            "credits-2-name": "Marie",
        },
    )
    response = alice_client.post(NEW, data, follow=False)
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()
    assert not work.is_draft
    assert work.published_at is not None
    assert work.title == "Salt and Light"
    assert work.rating.name == "Teen And Up Audiences"
    assert {t.name for t in work.warnings} == {NO_WARNINGS, "Major Character Death"}
    assert {t.name for t in work.categories} == {"F/F", "Gen"}
    assert {t.name for t in work.fandoms} == {"Original Work", "Lighthouses"}
    assert [t.name for t in work.relationships] == ["Keeper/Gull"]
    assert {t.name for t in work.characters} == {"The Keeper", "The Gull"}
    assert {t.name for t in work.freeforms} == {"Slow Burn", "Sea"}
    assert work.summary == "<p>A keeper and a <em>gull</em>.</p>"
    assert "Written for a friend." in work.begin_notes
    assert work.end_notes == "<p>Thanks for reading.</p>"
    assert work.language == "fr"
    assert work.restricted
    assert work.comment_policy == CommentPolicy.REGISTERED
    assert work.moderate_comments
    assert work.word_count == 5
    assert work.chapters_display == "1/1"
    assert work.creators == [alice.default_pseud]
    credits = sorted((c.get_role_display(), c.name) for c in work.credits.all())
    assert credits == [("Beta reader", "bob"), ("Translator", "Marie")]
    part = work.series_parts.get()
    assert (part.series.title, part.position) == ("Coastal Tales", 1)
    chapter = work.chapters.get()
    assert (chapter.title, chapter.position, chapter.is_draft) == ("The Storm", 1, False)
    assert chapter.body_source == "<p>One two three four five.</p>"


def test_posting_says_so_on_the_work_page(alice, alice_client):
    response = alice_client.post(NEW, form_data(alice.default_pseud), follow=True)
    assert response.status_code == 200
    assert "Work posted." in text_of(response)


def test_posting_into_one_of_my_series_puts_the_work_at_its_end(alice, alice_client, work):
    series = actions.create_series(alice, "Coastal Tales")
    actions.add_work_to_series(alice, work, series)
    alice_client.post(NEW, form_data(alice.default_pseud, title="Second", series=series.pk))
    second = Work.objects.get(title="Second")
    assert [(p.work, p.position) for p in series.parts.order_by("position")] == [
        (work, 1),
        (second, 2),
    ]


def test_posting_into_someone_elses_series_is_refused(alice, alice_client, bob):
    theirs = actions.create_series(bob, "Bob's Tales")
    response = alice_client.post(NEW, form_data(alice.default_pseud, series=theirs.pk))
    assert response.status_code == 400
    assert "Select a valid choice" in text_of(response)
    assert not Work.objects.exists()


def test_choosing_a_series_and_a_new_title_at_once_is_refused(alice, alice_client):
    mine = actions.create_series(alice, "Coastal Tales")
    data = form_data(alice.default_pseud, series=mine.pk, new_series="Another")
    response = alice_client.post(NEW, data)
    assert response.status_code == 400
    assert "Choose one of your series or a new title, not both." in text_of(response)
    assert not Work.objects.exists()


def test_posting_under_two_pseuds_names_both(alice, alice_client):
    other = create_pseud(alice, "Lamplighter")
    alice_client.post(NEW, form_data(pseuds=[alice.default_pseud.pk, other.pk]))
    assert set(Work.objects.get().creators) == {alice.default_pseud, other}


def test_empty_expected_chapters_shows_a_question_mark(alice, alice_client):
    alice_client.post(NEW, form_data(alice.default_pseud, expected_chapters=""))
    work = Work.objects.get()
    assert work.expected_chapters is None
    assert work.chapters_display == "1/?"


def test_blank_credit_rows_are_ignored(alice, alice_client):
    data = form_data(alice.default_pseud, **{"credits-1-role": "artist"})
    alice_client.post(NEW, data)
    assert not Work.objects.get().credits.exists()


def test_a_credit_with_a_name_needs_a_role(alice, alice_client):
    data = form_data(alice.default_pseud, **{"credits-0-name": "Marie"})
    response = alice_client.post(NEW, data)
    assert response.status_code == 400
    assert "Choose what this person did." in text_of(response)
    assert not Work.objects.exists()


# --- preview and drafts ------------------------------------------------------------------


def test_preview_shows_the_work_and_the_form_and_writes_nothing(alice, alice_client):
    tags_before = Tag.objects.count()
    data = form_data(
        alice.default_pseud,
        action="preview",
        title="Salt and Light",
        fandoms="A Brand New Fandom",
        summary="<p>A keeper and a gull.</p>",
        body="# Heading\n\nSome *lovely* words.",
        body_format="markdown",
        new_series="Coastal Tales",
        **{"credits-0-role": "beta", "credits-0-name": "Marie"},
    )
    response = alice_client.post(NEW, data)
    page = text_of(response)
    assert response.status_code == 200
    assert "Nothing is saved until you post it" in page
    assert "Salt and Light" in page
    assert "A Brand New Fandom" in page
    assert "<p>A keeper and a gull.</p>" in page
    assert "<h1>Heading</h1>" in page
    assert "<em>lovely</em>" in page
    assert "Beta reader: Marie" in page
    assert "Words:</dt><dd>4</dd>" in page
    # The form comes again, filled in, ready to post.
    assert 'name="title" value="Salt and Light"' in page
    assert 'value="post"' in page
    assert "Some *lovely* words." in page
    assert not Work.objects.exists()
    assert not Chapter.objects.exists()
    assert not Series.objects.exists()
    assert Tag.objects.count() == tags_before


def test_preview_with_bad_input_shows_the_errors(alice, alice_client):
    response = alice_client.post(NEW, form_data(alice.default_pseud, action="preview", title=""))
    assert response.status_code == 400
    assert "A work needs a title." in text_of(response)


def test_preview_of_a_body_that_is_only_unsafe_markup_is_refused(alice, alice_client):
    data = form_data(alice.default_pseud, action="preview", body="<script>alert(1)</script>")
    response = alice_client.post(NEW, data)
    assert response.status_code == 400
    assert "The chapter text is empty (after removing unsafe markup)." in text_of(response)


def test_a_draft_is_saved_unposted_and_posted_later(alice, alice_client, carol_client):
    response = alice_client.post(NEW, form_data(alice.default_pseud, action="draft"))
    work = Work.objects.get()
    assert response["Location"] == work.get_absolute_url()
    assert work.is_draft
    assert work.published_at is None
    assert work.chapters.get().is_draft
    assert carol_client.get(work.get_absolute_url()).status_code == 404
    assert "The Lighthouse Keeper" in alice_client.get(reverse("works:drafts")).content.decode()

    response = alice_client.post(reverse("works:post_draft", args=[work.pk]))
    assert response["Location"] == work.get_absolute_url()
    work.refresh_from_db()
    assert not work.is_draft
    assert work.published_at is not None
    assert work.chapters_display == "1/1"
    assert carol_client.get(work.get_absolute_url()).status_code == 200


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "A work needs a title."),
        ("title", "   ", "A work needs a title."),
        ("fandoms", "", "Name at least one fandom."),
        ("fandoms", " , ,", "Name at least one fandom."),
        ("warnings", [], "Choose at least one archive warning."),
        ("rating", "", "Choose a rating."),
        ("rating", "Very Spicy", "Select a valid choice."),
        ("body", "", "The chapter text is empty."),
        ("pseuds", [], "Post under at least one of your pseuds."),
        ("expected_chapters", "0", "Ensure this value is greater than or equal to 1."),
        ("language", "xx", "Select a valid choice."),
        ("title", "x" * 256, "Ensure this value has at most 255 characters"),
        ("freeforms", "y" * 151, "is longer than 150 characters"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    alice, alice_client, field, value, message
):
    tags_before = Tag.objects.count()
    response = alice_client.post(NEW, form_data(alice.default_pseud, **{field: value}))
    assert response.status_code == 400
    page = text_of(response)
    assert message in page
    assert 'class="field has-errors' in page or 'class="field choices has-errors' in page
    assert not Work.objects.exists()
    assert not Chapter.objects.exists()
    assert Tag.objects.count() == tags_before


def test_posting_under_another_users_pseud_is_refused(alice, alice_client, bob):
    response = alice_client.post(NEW, form_data(bob.default_pseud))
    assert response.status_code == 400
    assert "You can only post under your own pseuds." in text_of(response)
    assert not Work.objects.exists()


def test_forged_post_without_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(NEW, form_data(alice.default_pseud))
    assert response.status_code == 403
    assert not Work.objects.exists()


# --- hostile and formatted text ----------------------------------------------------------

HOSTILE = (
    '<script>alert("x")</script>'
    '<img src="x" onerror="alert(1)">'
    '<a href="javascript:alert(2)">click</a>'
    '<iframe src="https://evil.example/"></iframe>'
    '<p style="position:fixed; top:0">overlay</p>'
)


def test_hostile_html_comes_out_inert_on_the_work_page(alice, alice_client):
    data = form_data(
        alice.default_pseud,
        title='<script>alert("title")</script> Storm',
        summary=HOSTILE + "<p>Summary words.</p>",
        begin_notes=HOSTILE + "<p>Begin notes.</p>",
        end_notes=HOSTILE + "<p>End notes.</p>",
        freeforms='<script>alert("tag")</script>, <b onmouseover=alert(3)>bold</b>',
        characters='<img src=x onerror="alert(4)">',
        body=HOSTILE + "<p>Body words.</p>",
    )
    alice_client.post(NEW, data)
    work = Work.objects.get()
    assert work.title == '<script>alert("title")</script> Storm'
    page = alice_client.get(work.get_absolute_url()).content.decode()
    for text in ("Summary words.", "Begin notes.", "End notes.", "Body words.", "overlay"):
        assert text in page
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; Storm" in page
    assert unsafe_markup(page) == []
    assert "&lt;script&gt;alert(&quot;tag&quot;)&lt;/script&gt;" in page


def test_hostile_html_comes_out_inert_in_the_preview(alice, alice_client):
    data = form_data(
        alice.default_pseud,
        action="preview",
        title="<script>alert(1)</script>",
        summary=HOSTILE,
        body=HOSTILE + "<p>Body words.</p>",
    )
    response = alice_client.post(NEW, data)
    preview = response.content.decode().split('<h2 id="edit">')[0]
    assert "Body words." in preview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview
    assert unsafe_markup(preview) == []


def test_markdown_body_renders_to_paragraphs(alice, alice_client):
    body = "First *para*.\n\nSecond para with [a link](https://example.org).\n"
    alice_client.post(NEW, form_data(alice.default_pseud, body=body, body_format="markdown"))
    chapter = Chapter.objects.get()
    assert chapter.body_source == body
    assert chapter.body_format == "markdown"
    assert "<p>First <em>para</em>.</p>" in chapter.body
    assert 'href="https://example.org"' in chapter.body
    page = alice_client.get(chapter.work.get_absolute_url()).content.decode()
    assert "<p>First <em>para</em>.</p>" in page


def test_plain_text_body_renders_to_paragraphs_and_keeps_scene_breaks(alice, alice_client):
    body = "The lamp turned.\nAll night.\n\n* * *\n\nMorning came."
    alice_client.post(NEW, form_data(alice.default_pseud, body=body, body_format="plain"))
    chapter = Chapter.objects.get()
    assert "<p>The lamp turned.<br>\nAll night.</p>" in chapter.body
    assert '<p align="center">* * *</p>' in chapter.body
    assert "<p>Morning came.</p>" in chapter.body
    assert chapter.work.word_count == 7
    page = alice_client.get(chapter.work.get_absolute_url()).content.decode()
    assert '<p align="center">* * *</p>' in page


def test_plain_text_body_shows_markup_as_text(alice, alice_client):
    body = "Use <b>bold</b> here."
    alice_client.post(NEW, form_data(alice.default_pseud, body=body, body_format="plain"))
    assert Chapter.objects.get().body == "<p>Use &lt;b&gt;bold&lt;/b&gt; here.</p>"


def test_another_user_cannot_see_a_draft_posted_through_the_form(alice, carol):
    logged_in(alice).post(NEW, form_data(alice.default_pseud, action="draft"))
    work = Work.objects.get()
    assert logged_in(carol).get(work.get_absolute_url()).status_code == 404
    assert Tag.objects.of_type(TagType.FANDOM).named("Original Work").exists()
