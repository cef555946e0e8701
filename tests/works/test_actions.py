"""The posting actions themselves: series on posting, drafts and invitations queries."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ficarchive.tags.models import GENERAL, NO_WARNINGS
from ficarchive.works import actions
from ficarchive.works.models import Creatorship, Series, Work
from tests.conftest import post_work


def details(title: str = "Salt and Light") -> actions.WorkDetails:
    return actions.WorkDetails(
        title=title, rating=GENERAL, warnings=[NO_WARNINGS], fandoms=["Original Work"]
    )


def body() -> actions.ChapterDetails:
    return actions.ChapterDetails(body="<p>Words.</p>")


def test_post_work_can_start_a_new_series(alice):
    work = actions.post_work(alice, [alice.default_pseud], details(), body(), new_series="Tales")
    part = work.series_parts.select_related("series").get()
    assert (part.series.title, part.position) == ("Tales", 1)
    assert part.series.updated_at == work.updated_at


def test_post_work_goes_at_the_end_of_an_existing_series(alice, work):
    series = actions.create_series(alice, "Tales")
    actions.add_work_to_series(alice, work, series)
    second = actions.post_work(alice, [alice.default_pseud], details(), body(), series=series)
    assert [(p.work, p.position) for p in series.parts.order_by("position")] == [
        (work, 1),
        (second, 2),
    ]


def test_post_work_with_a_bad_series_title_writes_nothing(alice):
    with pytest.raises(ValidationError) as caught:
        actions.post_work(alice, [alice.default_pseud], details(), body(), new_series="x" * 300)
    assert "new_series" in caught.value.error_dict
    assert not Work.objects.exists()
    assert not Series.objects.exists()


def test_post_work_into_someone_elses_series_writes_nothing(alice, bob):
    theirs = actions.create_series(bob, "Bob's")
    with pytest.raises(PermissionDenied):
        actions.post_work(alice, [alice.default_pseud], details(), body(), series=theirs)
    assert not Work.objects.exists()


def test_post_work_under_another_users_pseud_is_refused(alice, bob):
    with pytest.raises(PermissionDenied):
        actions.post_work(alice, [bob.default_pseud], details(), body())
    assert not Work.objects.exists()


def test_adding_to_a_series_at_a_position_shifts_later_parts(alice):
    series = actions.create_series(alice, "Tales")
    works = [post_work(alice, f"Part {n}") for n in range(3)]
    for work in works:
        actions.add_work_to_series(alice, work, series)
    newcomer = post_work(alice, "Newcomer")
    actions.add_work_to_series(alice, newcomer, series, position=1)
    assert [p.work.title for p in series.parts.order_by("position")] == [
        "Newcomer",
        "Part 0",
        "Part 1",
        "Part 2",
    ]


def test_with_drafts_finds_draft_works_and_works_with_draft_chapters(alice):
    draft = post_work(alice, "Draft", draft=True)
    ongoing = post_work(alice, "Ongoing")
    chapter = actions.add_chapter(alice, ongoing, body(), draft=True)
    post_work(alice, "Done")
    found = {work.title: work for work in Work.objects.by_user(alice).with_drafts()}
    assert set(found) == {"Draft", "Ongoing"}
    assert [c.pk for c in found["Ongoing"].draft_chapters] == [chapter.pk]
    assert [c.position for c in found["Draft"].draft_chapters] == [1]
    assert draft.pk == found["Draft"].pk


def test_invitations_for_lists_only_the_users_pending_invitations(alice, bob, carol, work):
    invitation = actions.invite_cocreator(alice, work, bob.default_pseud)
    actions.invite_cocreator(alice, work, carol.default_pseud)
    assert list(Creatorship.objects.invitations_for(bob)) == [invitation]
    actions.accept_cocreator_invite(bob, invitation)
    assert not Creatorship.objects.invitations_for(bob).exists()


def test_only_chapter_bodies_count_toward_the_word_count(alice):
    many = "<p>" + " ".join(["word"] * 50) + "</p>"
    work = post_work(
        alice,
        chapters=["<p>One two three.</p>"],
        summary=many,
        begin_notes=many,
        end_notes=many,
        expected_chapters=2,
    )
    chapter = actions.add_chapter(
        alice,
        work,
        actions.ChapterDetails(
            body="<p>灯塔 and four more.</p>",
            title="Title words here",
            summary=many,
            begin_notes=many,
            end_notes=many,
        ),
    )
    work.refresh_from_db()
    assert chapter.word_count == 5
    assert work.word_count == 8
