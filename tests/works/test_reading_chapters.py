"""Reading a multi-chapter work: one chapter at a time, the whole work, and the chapter index."""

from __future__ import annotations

from django.test import Client

from ficarchive.works import actions
from tests.conftest import logged_in, post_work

THREE = ["<p>First chapter text.</p>", "<p>Second chapter text.</p>", "<p>Third chapter text.</p>"]


def chapter_ids(work) -> list[int]:
    return list(work.chapters.order_by("position").values_list("pk", flat=True))


def test_single_chapter_work_shows_its_chapter_without_chapter_navigation(client: Client, work):
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "The lamp turned all night." in page
    assert "Chapter index" not in page
    assert "Entire work" not in page


def test_multi_chapter_work_opens_at_chapter_one_with_navigation(client: Client, alice):
    work = post_work(alice, chapters=THREE)
    first, second, _ = chapter_ids(work)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "First chapter text." in page
    assert "Second chapter text." not in page
    assert f'<a href="/works/{work.pk}/chapters/{first}">Chapter 1</a>' in page
    assert f'href="/works/{work.pk}/chapters/{second}">Next chapter' in page
    assert "Previous chapter" not in page
    assert f'href="/works/{work.pk}/navigate">Chapter index' in page
    assert f'href="/works/{work.pk}?view_full_work=true">Entire work' in page


def test_chapter_page_shows_that_chapter_with_previous_and_next(client: Client, alice):
    work = post_work(alice, chapters=THREE)
    first, second, third = chapter_ids(work)
    page = client.get(f"/works/{work.pk}/chapters/{second}").content.decode()
    assert "Second chapter text." in page
    assert "First chapter text." not in page
    assert f'href="/works/{work.pk}/chapters/{first}">← Previous chapter' in page
    assert f'href="/works/{work.pk}/chapters/{third}">Next chapter' in page


def test_chapter_shows_its_title_summary_and_notes(client: Client, alice):
    work = post_work(alice, chapters=THREE[:1])
    actions.add_chapter(
        alice,
        work,
        actions.ChapterDetails(
            body="<p>The storm came.</p>",
            title="The Storm",
            summary="Wind and rain.",
            begin_notes="Before the storm.",
            end_notes="After the storm.",
        ),
    )
    chapter = work.chapters.get(position=2)
    page = client.get(f"/works/{work.pk}/chapters/{chapter.pk}").content.decode()
    order = ["Chapter 2</a>: The Storm", "Wind and rain.", "Before the storm.", "The storm came."]
    order.append("After the storm.")
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)


def test_work_summary_and_notes_frame_the_work_not_every_chapter(client: Client, alice):
    work = post_work(alice, chapters=THREE, summary="The summary.", end_notes="The end notes.")
    *_, last = chapter_ids(work)
    first_page = client.get(f"/works/{work.pk}").content.decode()
    assert "The summary." in first_page
    assert "The end notes." not in first_page
    last_page = client.get(f"/works/{work.pk}/chapters/{last}").content.decode()
    assert "The summary." not in last_page
    assert "The end notes." in last_page


def test_entire_work_shows_every_chapter_on_one_page(client: Client, alice):
    work = post_work(alice, chapters=THREE, summary="The summary.", end_notes="The end notes.")
    page = client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    order = ["The summary.", "First chapter", "Second chapter", "Third chapter", "The end notes."]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Next chapter" not in page
    assert "Chapter by chapter" in page


def test_full_work_preference_opens_the_whole_work(carol, alice):
    carol.view_full_work = True
    carol.save()
    work = post_work(alice, chapters=THREE)
    client = logged_in(carol)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "Third chapter text." in page
    one_at_a_time = client.get(f"/works/{work.pk}?view_full_work=false").content.decode()
    assert "Third chapter text." not in one_at_a_time


def test_chapter_numbers_count_only_chapters_the_reader_can_see(client: Client, alice):
    work = post_work(alice, chapters=THREE[:1])
    actions.add_chapter(alice, work, actions.ChapterDetails(body="<p>Unready.</p>"), draft=True)
    actions.add_chapter(alice, work, actions.ChapterDetails(body="<p>Ready.</p>"))
    draft, posted = work.chapters.filter(position__gt=1).order_by("position")
    page = client.get(f"/works/{work.pk}/chapters/{posted.pk}").content.decode()
    assert f'<a href="/works/{work.pk}/chapters/{posted.pk}">Chapter 2</a>' in page
    assert "Unready." not in client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    index = client.get(f"/works/{work.pk}/navigate").content.decode()
    assert "Chapter 3" not in index
    assert f'href="/works/{work.pk}/chapters/{draft.pk}"' not in index


def test_creator_sees_draft_chapters_marked_draft(alice_client: Client, alice):
    work = post_work(alice, chapters=THREE[:1])
    draft = actions.add_chapter(
        alice, work, actions.ChapterDetails(body="<p>Unready.</p>"), draft=True
    )
    page = alice_client.get(f"/works/{work.pk}/chapters/{draft.pk}").content.decode()
    assert "Unready." in page
    assert '<span class="badge draft">Draft</span>' in page
    assert f'action="/works/{work.pk}/chapters/{draft.pk}/post"' in page
    assert f'href="/works/{work.pk}/chapters/{draft.pk}/edit"' in page
    index = alice_client.get(f"/works/{work.pk}/navigate").content.decode()
    assert "Chapter 2" in index
    assert "Draft" in index


def test_reader_cannot_open_a_draft_chapter(client: Client, carol_client: Client, alice):
    work = post_work(alice, chapters=THREE[:1])
    draft = actions.add_chapter(
        alice, work, actions.ChapterDetails(body="<p>Unready.</p>"), draft=True
    )
    assert client.get(f"/works/{work.pk}/chapters/{draft.pk}").status_code == 404
    assert carol_client.get(f"/works/{work.pk}/chapters/{draft.pk}").status_code == 404


def test_chapter_of_another_work_is_not_found(client: Client, alice):
    work = post_work(alice, "One", chapters=THREE)
    other = post_work(alice, "Other")
    chapter = other.chapters.get()
    assert client.get(f"/works/{work.pk}/chapters/{chapter.pk}").status_code == 404
    assert client.get(f"/works/{work.pk}/chapters/99999").status_code == 404


def test_chapter_index_lists_chapters_with_dates(client: Client, alice):
    work = post_work(alice, chapters=THREE)
    actions.add_chapter(alice, work, actions.ChapterDetails(body="<p>Four.</p>", title="Coda"))
    first = work.chapters.get(position=1)
    page = client.get(f"/works/{work.pk}/navigate").content.decode()
    assert "Chapter index for" in page
    assert f'href="/works/{work.pk}/chapters/{first.pk}">Chapter 1</a>' in page
    assert "Chapter 4: Coda" in page
    assert first.published_at.strftime("%Y-%m-%d") in page


def test_chapter_index_shows_dates_in_the_readers_time_zone(carol, alice):
    work = post_work(alice, chapters=THREE)
    chapter = work.chapters.get(position=1)
    chapter.published_at = chapter.published_at.replace(year=2024, month=3, day=1, hour=2)
    chapter.save()
    carol.time_zone = "America/Los_Angeles"
    carol.save()
    page = logged_in(carol).get(f"/works/{work.pk}/navigate").content.decode()
    assert "2024-02-29" in page
