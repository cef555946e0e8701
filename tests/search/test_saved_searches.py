"""Saved searches: saved from the search page, listed, changed and deleted; their alerts reach
the inbox exactly once per new matching work (after the reader's standing filters), and the
daily and weekly emails gather them; a default search on tag pages."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.actions import hide_tags
from ficarchive.accounts.models import User
from ficarchive.search.saved import SavedSearch, SavedSearchHit
from ficarchive.search.saved_actions import (
    check_saved_searches,
    save_search,
    send_digests,
    update_search,
)
from ficarchive.social.models import InboxItem
from ficarchive.upkeep import run_upkeep
from ficarchive.works import actions as works
from tests.conftest import logged_in, make_user, post_work


def later(minutes: float = 1) -> Any:
    return timezone.now() + timedelta(minutes=minutes)


def post_fluff(author: User, title: str, **more: Any) -> Any:
    return post_work(author, title, freeforms=["Fluff"], **more)


def test_a_search_is_saved_from_its_page_and_listed(carol: User, carol_client: Client) -> None:
    page = carol_client.get("/works/search?include=Fluff&sort=kudos").content.decode()
    assert (
        "Save this search" in page and 'name="query" value="include=Fluff&amp;sort=kudos"' in page
    )
    response = carol_client.post(
        "/searches/save",
        {"name": "Fluff by kudos", "alert": "inbox", "query": "include=Fluff&sort=kudos&page=3"},
        follow=True,
    )
    assert "Saved the search “Fluff by kudos”." in response.content.decode()
    saved = SavedSearch.objects.get(user=carol)
    assert (saved.query, saved.alert) == ("include=Fluff&sort=kudos", "inbox")
    listing = carol_client.get("/searches").content.decode()
    assert '<a href="/works/search?include=Fluff&amp;sort=kudos">Fluff by kudos</a>' in listing
    assert "Saved searches" in carol_client.get("/inbox").content.decode(), "in the reader's menu"


def test_bad_searches_and_names_are_refused_with_the_reason(
    carol: User, carol_client: Client
) -> None:
    bad = carol_client.post(
        "/searches/save", {"name": "Words", "query": "words=lots"}, follow=True
    ).content.decode()
    assert "The search was not saved" in bad and "&#x27;lots&#x27; is not" in bad
    save_search(carol, "Mine", "include=Fluff")
    twice = carol_client.post("/searches/save", {"name": "mine", "query": ""}, follow=True)
    assert "You have a saved search called mine already." in twice.content.decode()
    empty = carol_client.post("/searches/save", {"name": "  ", "query": ""}, follow=True)
    assert "Name the search" in empty.content.decode()
    assert SavedSearch.objects.count() == 1
    assert Client().post("/searches/save", {"name": "x", "query": ""}).status_code == 302


def test_a_new_matching_work_alerts_once_and_others_do_not(
    alice: User, carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    saved = save_search(carol, "Fluff", "include=Fluff", alert="inbox")
    post_work(alice, "Angst Only", freeforms=["Angst"])
    fluff = post_fluff(alice, "Warm Cocoa")
    draft = post_work(alice, "Unposted Fluff", freeforms=["Fluff"], draft=True)
    assert check_saved_searches(later()) == 1
    assert check_saved_searches(later(2)) == 0, "a work alerts once"
    [item] = InboxItem.objects.filter(user=carol, kind="search")
    assert item.work == fluff and item.text == "Fluff"
    page = logged_in(carol).get("/inbox").content.decode()
    assert "“Warm Cocoa”</a>, found by your saved search “Fluff”" in page
    assert not SavedSearchHit.objects.filter(work=draft).exists()
    saved.refresh_from_db()
    assert saved.checked_at > timezone.now()


def test_works_posted_before_the_search_was_saved_do_not_alert(alice: User, carol: User) -> None:
    post_fluff(alice, "Old Fluff")
    save_search(carol, "Fluff", "include=Fluff", alert="inbox")
    assert check_saved_searches(later()) == 0
    assert not InboxItem.objects.filter(user=carol).exists()


def test_the_reader_s_standing_filters_and_visibility_apply(alice: User, carol: User) -> None:
    save_search(carol, "Fluff", "include=Fluff", alert="inbox")
    post_work(alice, "Hidden Crossover", freeforms=["Fluff", "Crossover"])
    hide_tags(carol, ["Crossover"])
    restricted = post_work(alice, "Members Only", freeforms=["Fluff"], restricted=True)
    assert check_saved_searches(later()) == 1
    assert [i.work for i in InboxItem.objects.filter(user=carol)] == [restricted]


def test_no_alert_means_no_check(alice: User, carol: User) -> None:
    save_search(carol, "Fluff", "include=Fluff")
    post_fluff(alice, "Warm Cocoa")
    assert check_saved_searches(later()) == 0
    assert not SavedSearchHit.objects.exists()


def test_the_upkeep_checks_saved_searches(alice: User, carol: User) -> None:
    save_search(carol, "Fluff", "include=Fluff", alert="inbox")
    SavedSearch.objects.update(checked_at=timezone.now() - timedelta(minutes=5))
    post_fluff(alice, "Warm Cocoa")
    assert run_upkeep()["search_alerts"] == 1


def test_daily_emails_gather_the_day_s_works_into_one(alice: User, carol: User) -> None:
    save_search(carol, "Fluff", "include=Fluff", alert="daily")
    save_search(carol, "Cocoa", "q=cocoa", alert="daily")
    post_fluff(alice, "Warm Cocoa")
    post_fluff(alice, "Cold Tea")
    check_saved_searches(later())
    mail.outbox.clear()
    assert send_digests(later()) == 1
    [message] = mail.outbox
    assert message.to == ["carol@example.org"]
    assert "New works for your saved searches" in message.subject
    assert "Warm Cocoa" in message.body and "Cold Tea" in message.body and "Cocoa\n" in message.body
    SavedSearch.objects.update(checked_at=timezone.now())  # checked up to now
    post_fluff(alice, "Hot Milk")
    check_saved_searches(later(3))
    assert send_digests(later(4)) == 0, "not twice a day"
    assert send_digests(timezone.now() + timedelta(days=1, minutes=5)) == 1
    assert "Hot Milk" in mail.outbox[-1].body and "Warm Cocoa" not in mail.outbox[-1].body


def test_weekly_emails_wait_a_week(alice: User, carol: User) -> None:
    saved = save_search(carol, "Fluff", "include=Fluff", alert="weekly")
    SavedSearch.objects.filter(pk=saved.pk).update(emailed_at=timezone.now())
    post_fluff(alice, "Warm Cocoa")
    check_saved_searches(later())
    assert send_digests(timezone.now() + timedelta(days=3)) == 0
    assert send_digests(timezone.now() + timedelta(days=7, minutes=1)) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_checking_at_once_alert_once() -> None:
    alice, carol = make_user("alice"), make_user("carol")
    save_search(carol, "Fluff", "include=Fluff", alert="inbox")
    for n in range(3):
        post_fluff(alice, f"Fluff {n}")
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def worker() -> None:
        try:
            barrier.wait()
            counts.append(check_saved_searches(later()))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 3]
    assert InboxItem.objects.filter(user=carol, kind="search").count() == 3


def test_saved_searches_are_changed_and_deleted_only_by_their_reader(
    carol: User, carol_client: Client, mallory: User
) -> None:
    saved = save_search(carol, "Fluff", "include=Fluff")
    other = logged_in(mallory)
    assert other.post(f"/searches/{saved.pk}", {"name": "Mine now"}).status_code == 404
    assert other.post(f"/searches/{saved.pk}/delete").status_code == 404
    response = carol_client.post(
        f"/searches/{saved.pk}", {"name": "Soft", "alert": "weekly"}, follow=True
    )
    assert "Saved the changes to “Soft”." in response.content.decode()
    saved.refresh_from_db()
    assert (saved.name, saved.alert) == ("Soft", "weekly")
    bad = carol_client.post(
        f"/searches/{saved.pk}", {"name": "Soft", "alert": "hourly"}, follow=True
    )
    assert "&#x27;hourly&#x27; is not an alert." in bad.content.decode()
    carol_client.post(f"/searches/{saved.pk}/delete")
    assert not SavedSearch.objects.exists()


def test_a_default_search_shows_tag_pages_through_it(alice: User, carol: User) -> None:
    post_work(alice, "Short Fluff", freeforms=["Fluff"], chapters=["<p>Short.</p>"])
    post_work(alice, "Long Fluff", freeforms=["Fluff"], chapters=["<p>" + "word " * 300 + "</p>"])
    first = save_search(carol, "Long ones", "words=200-")
    second = save_search(carol, "Other", "complete=true")
    update_search(carol, second, name="Other", alert="none", tag_default=True)
    update_search(carol, first, name="Long ones", alert="none", tag_default=True)
    second.refresh_from_db()
    assert not second.tag_default, "one default at most"
    client = logged_in(carol)
    response = client.get("/tags/Fluff/works", follow=True)
    page = response.content.decode()
    assert "/works/search?" in response.redirect_chain[-1][0]
    assert "Shown through your default search “Long ones”." in page
    assert "Long Fluff" in page and "Short Fluff" not in page
    everything = client.get("/tags/Fluff/works?all=1").content.decode()
    assert "Short Fluff" in everything and "Long Fluff" in everything
    guest = Client().get("/tags/Fluff/works").content.decode()
    assert "Short Fluff" in guest


def test_alerts_stop_with_the_work_hidden_before_the_email(alice: User, carol: User) -> None:
    save_search(carol, "Fluff", "include=Fluff", alert="daily")
    work = post_fluff(alice, "Warm Cocoa")
    check_saved_searches(later())
    works.hide_work(User.objects.create_superuser("boss", "boss@example.org", "pw"), work, "Spam")
    mail.outbox.clear()
    assert send_digests(later()) == 0
    assert not mail.outbox
