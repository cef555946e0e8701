"""Adding, editing, deleting, posting and reordering chapters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from ficarchive.works import actions
from ficarchive.works.models import Chapter, Work
from tests.conftest import logged_in, post_work
from tests.works.test_posting import NEW, form_data, text_of, unsafe_markup


def chapter_data(**changes) -> dict[str, str]:
    data = {
        "title": "The Storm",
        "summary": "",
        "begin_notes": "",
        "end_notes": "",
        "body_format": "html",
        "body": "<p>Rain on the glass.</p>",
        "action": "post",
    }
    data.update(changes)
    return data


def new_url(work: Work) -> str:
    return reverse("works:chapter_new", args=[work.pk])


def chapter_url(name: str, chapter: Chapter) -> str:
    return reverse(name, args=[chapter.work_id, chapter.pk])


def backdate(work: Work) -> Work:
    """Move the work's updated date an hour back, so a bump is visible."""
    Work.objects.filter(pk=work.pk).update(updated_at=work.updated_at - timedelta(hours=1))
    work.refresh_from_db()
    return work


@pytest.fixture
def two_chapters(alice) -> Work:
    return post_work(alice, chapters=["<p>One.</p>", "<p>Two.</p>"])


# --- adding ------------------------------------------------------------------------------


def test_new_chapter_form_shows_the_fields(alice_client, work):
    page = alice_client.get(new_url(work)).content.decode()
    for name in ("title", "summary", "begin_notes", "end_notes", "body_format", "body"):
        assert f'name="{name}"' in page
    assert 'value="draft"' in page
    assert page.count("<h1") == 1


def test_posting_a_chapter_adds_it_and_bumps_the_updated_date(alice_client, work):
    before = backdate(work).updated_at
    response = alice_client.post(new_url(work), chapter_data(summary="<p>It rains.</p>"))
    chapter = work.chapters.get(position=2)
    assert response["Location"] == chapter.get_absolute_url()
    assert (chapter.title, chapter.is_draft) == ("The Storm", False)
    assert chapter.summary == "<p>It rains.</p>"
    assert chapter.published_at is not None
    work.refresh_from_db()
    assert work.updated_at > before
    assert work.chapters_display == "2/2"
    assert work.word_count == 9


def test_chapter_count_shows_a_question_mark_while_the_total_is_unknown(alice, alice_client):
    alice_client.post(NEW, form_data(alice.default_pseud, expected_chapters=""))
    work = Work.objects.get()
    alice_client.post(new_url(work), chapter_data())
    work.refresh_from_db()
    assert work.chapters_display == "2/?"
    assert "2/?" in alice_client.get(work.get_absolute_url()).content.decode()


def test_a_draft_chapter_is_not_counted_and_does_not_bump(alice_client, work):
    before = backdate(work).updated_at
    alice_client.post(new_url(work), chapter_data(action="draft"))
    chapter = work.chapters.get(position=2)
    assert chapter.is_draft
    assert chapter.published_at is None
    work.refresh_from_db()
    assert work.updated_at == before
    assert work.chapters_display == "1/1"


def test_posting_a_draft_chapter_bumps_the_updated_date(alice, alice_client, work):
    chapter = actions.add_chapter(
        alice, work, actions.ChapterDetails(body="<p>Later.</p>"), draft=True
    )
    before = backdate(work).updated_at
    url = chapter_url("works:chapter_post", chapter)
    assert alice_client.get(url).status_code == 405
    response = alice_client.post(url)
    assert response["Location"] == chapter.get_absolute_url()
    chapter.refresh_from_db()
    assert not chapter.is_draft
    work.refresh_from_db()
    assert work.updated_at > before
    assert work.chapters_display == "2/2"


def test_posting_an_already_posted_chapter_says_so(alice_client, work):
    chapter = work.chapters.get()
    response = alice_client.post(chapter_url("works:chapter_post", chapter), follow=True)
    assert "This chapter is already posted." in text_of(response)


def test_chapters_added_to_a_draft_work_wait_for_the_work(alice, alice_client):
    draft = post_work(alice, draft=True)
    alice_client.post(new_url(draft), chapter_data())
    chapter = draft.chapters.get(position=2)
    assert chapter.is_draft
    response = alice_client.post(chapter_url("works:chapter_post", chapter), follow=True)
    assert "Post the work first" in text_of(response)
    alice_client.post(reverse("works:post_draft", args=[draft.pk]))
    chapter.refresh_from_db()
    assert not chapter.is_draft


def test_an_empty_chapter_is_refused(alice_client, work):
    for body in ("", "<script>alert(1)</script>", "<p> </p>"):
        response = alice_client.post(new_url(work), chapter_data(body=body))
        assert response.status_code == 400
        assert "The chapter text is empty" in text_of(response)
    assert work.chapters.count() == 1


def test_a_too_long_chapter_title_is_refused(alice_client, work):
    response = alice_client.post(new_url(work), chapter_data(title="x" * 256))
    assert response.status_code == 400
    assert "Ensure this value has at most 255 characters" in text_of(response)
    assert work.chapters.count() == 1


def test_hostile_html_in_a_chapter_comes_out_inert(alice_client, work):
    hostile = (
        "<script>alert(1)</script><img src=x onerror=alert(2)>"
        '<a href="javascript:alert(3)">x</a><iframe src="https://evil.example"></iframe>'
        '<p style="position:fixed">Words here.</p>'
    )
    data = chapter_data(title="<script>alert(4)</script>", summary=hostile, body=hostile)
    alice_client.post(new_url(work), data)
    chapter = work.chapters.get(position=2)
    page = alice_client.get(chapter.get_absolute_url()).content.decode()
    assert "Words here." in page
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in page
    assert unsafe_markup(page) == []


# --- editing -----------------------------------------------------------------------------


def test_edit_form_shows_the_source_and_its_format(alice, alice_client, work):
    chapter = work.chapters.get()
    actions.update_chapter(
        alice, chapter, actions.ChapterDetails(body="Some *words*.", body_format="markdown")
    )
    page = alice_client.get(chapter_url("works:chapter_edit", chapter)).content.decode()
    assert "\nSome *words*.</textarea>" in page
    assert 'value="markdown" required id="id_body_format_1" checked' in page


def test_editing_a_chapter_does_not_bump_the_updated_date(alice_client, work):
    chapter = work.chapters.get()
    before = backdate(work).updated_at
    data = chapter_data(body="Now in *Markdown*.", body_format="markdown")
    response = alice_client.post(chapter_url("works:chapter_edit", chapter), data)
    assert response["Location"] == chapter.get_absolute_url()
    chapter.refresh_from_db()
    assert chapter.body == "<p>Now in <em>Markdown</em>.</p>"
    assert chapter.body_source == "Now in *Markdown*."
    assert chapter.title == "The Storm"
    work.refresh_from_db()
    assert work.updated_at == before
    assert work.word_count == 3


def test_a_bad_chapter_edit_changes_nothing(alice_client, work):
    chapter = work.chapters.get()
    url = chapter_url("works:chapter_edit", chapter)
    response = alice_client.post(url, chapter_data(body="<iframe></iframe>", title="New"))
    assert response.status_code == 400
    assert "The chapter text is empty" in text_of(response)
    chapter.refresh_from_db()
    assert chapter.body == "<p>The lamp turned all night.</p>"
    assert chapter.title == ""


def test_a_chapter_of_another_work_is_not_found(alice, alice_client, work):
    other = post_work(alice, "Other")
    chapter = other.chapters.get()
    url = reverse("works:chapter_edit", args=[work.pk, chapter.pk])
    assert alice_client.get(url).status_code == 404


# --- deleting ----------------------------------------------------------------------------


def test_deleting_a_chapter_asks_then_deletes_and_renumbers(alice_client, two_chapters):
    first = two_chapters.chapters.get(position=1)
    url = chapter_url("works:chapter_delete", first)
    assert "Delete Chapter 1 of" in text_of(alice_client.get(url))
    response = alice_client.post(url)
    assert response["Location"] == two_chapters.get_absolute_url()
    remaining = two_chapters.chapters.get()
    assert (remaining.position, remaining.body) == (1, "<p>Two.</p>")
    two_chapters.refresh_from_db()
    assert two_chapters.chapter_count == 1


def test_the_only_chapter_cannot_be_deleted(alice_client, work):
    chapter = work.chapters.get()
    response = alice_client.post(chapter_url("works:chapter_delete", chapter))
    assert response.status_code == 400
    assert "A work needs at least one chapter" in text_of(response)
    assert work.chapters.count() == 1


# --- reordering --------------------------------------------------------------------------


@pytest.fixture
def three_chapters(alice) -> Work:
    return post_work(alice, chapters=["<p>One.</p>", "<p>Two.</p>", "<p>Three.</p>"])


def bodies(work: Work) -> list[str]:
    return [c.body for c in work.chapters.order_by("position")]


def test_reorder_page_lists_every_chapter_with_its_place(alice_client, three_chapters):
    page = alice_client.get(reverse("works:chapter_order", args=[three_chapters.pk])).content
    page = page.decode()
    for chapter in three_chapters.chapters.all():
        assert f'name="position_{chapter.pk}" value="{chapter.position}"' in page
    assert "Chapter 3" in page


def test_moving_the_last_chapter_first(alice_client, three_chapters):
    one, two, three = three_chapters.chapters.order_by("position")
    url = reverse("works:chapter_order", args=[three_chapters.pk])
    data = {f"position_{one.pk}": "1", f"position_{two.pk}": "2", f"position_{three.pk}": "1"}
    response = alice_client.post(url, data)
    assert response["Location"] == three_chapters.get_absolute_url()
    assert bodies(three_chapters) == ["<p>Three.</p>", "<p>One.</p>", "<p>Two.</p>"]


def test_swapping_two_chapters(alice_client, three_chapters):
    one, two, three = three_chapters.chapters.order_by("position")
    url = reverse("works:chapter_order", args=[three_chapters.pk])
    data = {f"position_{one.pk}": "3", f"position_{two.pk}": "2", f"position_{three.pk}": "1"}
    alice_client.post(url, data)
    assert bodies(three_chapters) == ["<p>Three.</p>", "<p>Two.</p>", "<p>One.</p>"]


def test_reordering_with_a_bad_place_is_refused(alice_client, three_chapters):
    one, two, three = three_chapters.chapters.order_by("position")
    url = reverse("works:chapter_order", args=[three_chapters.pk])
    for bad in ("4", "0", "first", ""):
        data = {f"position_{one.pk}": bad, f"position_{two.pk}": "2", f"position_{three.pk}": "3"}
        response = alice_client.post(url, data)
        assert response.status_code == 400
        assert 'class="error"' in response.content.decode()
    assert bodies(three_chapters) == ["<p>One.</p>", "<p>Two.</p>", "<p>Three.</p>"]


# --- refusals ----------------------------------------------------------------------------


def test_another_user_cannot_touch_the_chapters(carol_client, two_chapters):
    chapter = two_chapters.chapters.get(position=1)
    urls = [
        new_url(two_chapters),
        chapter_url("works:chapter_edit", chapter),
        chapter_url("works:chapter_delete", chapter),
        reverse("works:chapter_order", args=[two_chapters.pk]),
    ]
    for url in urls:
        assert carol_client.get(url).status_code == 403
        assert carol_client.post(url, chapter_data()).status_code == 403
    assert carol_client.post(chapter_url("works:chapter_post", chapter)).status_code == 403
    assert bodies(two_chapters) == ["<p>One.</p>", "<p>Two.</p>"]


def test_another_user_cannot_see_the_chapters_of_a_draft(carol_client, alice):
    draft = post_work(alice, draft=True)
    chapter = draft.chapters.get()
    assert carol_client.get(new_url(draft)).status_code == 404
    assert carol_client.get(chapter_url("works:chapter_edit", chapter)).status_code == 404


def test_an_invited_cocreator_may_add_chapters_only_after_accepting(alice, bob, work):
    invitation = actions.invite_cocreator(alice, work, bob.default_pseud)
    bob_client = logged_in(bob)
    assert bob_client.post(new_url(work), chapter_data()).status_code == 403
    actions.accept_cocreator_invite(bob, invitation)
    assert bob_client.post(new_url(work), chapter_data()).status_code == 302
    assert work.chapters.count() == 2


def test_guest_is_sent_to_log_in(client: Client, work):
    chapter = work.chapters.get()
    for url in (new_url(work), chapter_url("works:chapter_edit", chapter)):
        assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    response = client.post(chapter_url("works:chapter_delete", chapter))
    assert response["Location"].startswith(reverse("accounts:login"))
    assert work.chapters.count() == 1


def test_forged_chapter_post_without_csrf_token_is_refused(alice, work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(new_url(work), chapter_data()).status_code == 403
    assert work.chapters.count() == 1
