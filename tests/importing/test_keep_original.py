"""An imported work keeps what its file says of its first life elsewhere: the creators it names
(other than the importer's own pseuds) and its published and updated dates there, shown on the
work page as "Originally by" and "Originally posted"."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.importing.actions import import_work
from ficarchive.importing.parsed import ParsedChapter, ParsedWork
from ficarchive.tags.models import GENERAL, NO_WARNINGS


def parsed(creators: list[str], published: date | None, updated: date | None) -> ParsedWork:
    return ParsedWork(
        source="lighthouse.html",
        format="html",
        title="The Lighthouse Keeper",
        creators=creators,
        rating=GENERAL,
        warnings=[NO_WARNINGS],
        fandoms=["Original Work"],
        published=published,
        updated=updated,
        chapters=[ParsedChapter(title="One", body="<p>The lamp turned all night.</p>")],
    ).finish()


def test_an_imported_work_keeps_its_original_creators_and_dates(alice: User) -> None:
    work = import_work(
        alice, parsed(["Margaret Hale", "alice"], date(2012, 3, 4), date(2013, 5, 6))
    )
    assert work.original_creators == "Margaret Hale"
    assert (work.original_published, work.original_updated) == (date(2012, 3, 4), date(2013, 5, 6))
    page = Client().get(work.get_absolute_url()).content.decode()
    assert '<dd class="original">Margaret Hale</dd>' in page
    assert "Originally posted:" in page and ">2012-03-04</time>, updated <time" in page


def test_the_importers_own_names_are_not_original_creators(alice: User) -> None:
    work = import_work(alice, parsed(["ALICE"], date(2020, 1, 2), None))
    assert work.original_creators == ""
    assert work.original_published == date(2020, 1, 2)
    assert "Originally by" not in Client().get(work.get_absolute_url()).content.decode()


def test_dates_the_file_cannot_mean_are_left_out(alice: User) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    future = import_work(alice, parsed([], tomorrow, None))
    assert future.original_published is None
    backwards = import_work(alice, parsed([], date(2015, 6, 1), date(2014, 1, 1)))
    assert (backwards.original_published, backwards.original_updated) == (date(2015, 6, 1), None)


def test_a_work_posted_here_says_nothing_of_an_original(alice: User) -> None:
    from tests.conftest import post_work

    work = post_work(alice)
    assert (work.original_creators, work.original_published) == ("", None)
    assert "Originally" not in Client().get(work.get_absolute_url()).content.decode()


def test_an_import_the_spam_check_holds_is_kept_whole_waiting_for_review(
    alice: User, settings
) -> None:
    settings.SPAM_BASE_POINTS = 2.0  # everything alice posts now scores high
    given = parsed([], None, None)
    given.chapters.append(ParsedChapter(title="Two", body="<p>The gull came back.</p>"))
    work = import_work(alice, given.finish(), draft=False)
    assert work.is_held and not work.is_draft
    assert work.chapters.filter(is_draft=False).count() == 2
    assert Client().get(work.get_absolute_url()).status_code == 404
