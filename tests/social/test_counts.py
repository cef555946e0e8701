"""Counts stay exact when the things counted go away with a chapter or an account."""

from __future__ import annotations

from ficarchive.accounts.actions import delete_account
from ficarchive.social import actions
from ficarchive.social.models import Comment, WorkStats
from ficarchive.works import actions as work_actions
from tests.conftest import post_work


def test_comments_on_a_deleted_chapter_stay_on_the_work(alice, carol):
    work = post_work(alice, chapters=["<p>One.</p>", "<p>Two.</p>"])
    second = work.posted_chapters().last()
    actions.post_comment(carol, work, "On two.", chapter=second)
    work_actions.delete_chapter(alice, second)
    assert Comment.objects.get().chapter is None
    assert WorkStats.objects.get(work=work).comments == 1


def test_a_deleted_accounts_kudos_stay_counted_and_its_bookmarks_leave(alice, carol, work):
    actions.give_kudos(carol, work)
    actions.save_bookmark(carol, actions.BookmarkDetails(), work=work)
    actions.subscribe(carol, work=work)
    actions.post_comment(carol, work, "Bye.")
    delete_account(carol, "orphan")
    stats = WorkStats.objects.get(work=work)
    assert (stats.kudos, stats.bookmarks, stats.subscriptions, stats.comments) == (1, 0, 0, 1)
    assert Comment.objects.get().author_name == "Deleted account"
