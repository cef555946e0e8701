"""Subscriptions: following works, series and creators; updates reach inboxes and email."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from ficarchive.social import actions
from ficarchive.social.models import InboxItem, Subscription, WorkStats
from ficarchive.social.tasks import deliver, fan_out
from ficarchive.works import actions as work_actions
from tests.conftest import logged_in, make_user, post_work

pytestmark = pytest.mark.usefixtures("immediate_tasks")


def add_chapter(author, work, body="<p>The storm came.</p>", **kwargs):
    return work_actions.add_chapter(author, work, work_actions.ChapterDetails(body=body), **kwargs)


def test_reader_subscribes_to_a_work_from_its_page(carol, carol_client: Client, work):
    page = carol_client.get(f"/works/{work.pk}").content.decode()
    assert ">Subscribe</button>" in page
    response = carol_client.post(f"/works/{work.pk}/subscribe", {"email": "on"}, follow=True)
    assert "Subscribed" in response.content.decode()
    assert ">Unsubscribe</button>" in response.content.decode()
    subscription = Subscription.objects.get(user=carol)
    assert subscription.work == work and subscription.email
    assert WorkStats.objects.get(work=work).subscriptions == 1


def test_subscribing_twice_is_refused_with_a_message(carol, carol_client: Client, work):
    actions.subscribe(carol, work=work)
    response = carol_client.post(f"/works/{work.pk}/subscribe", follow=True)
    assert "You are already subscribed." in response.content.decode()
    assert Subscription.objects.count() == 1


def test_new_chapter_reaches_work_subscribers_inbox_and_email(
    alice, carol, bob, work, django_capture_on_commit_callbacks
):
    actions.subscribe(carol, work=work, email=True)
    actions.subscribe(bob, work=work, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        chapter = add_chapter(alice, work)
    assert InboxItem.objects.filter(user=carol, kind="chapter", chapter=chapter).exists()
    assert InboxItem.objects.filter(user=bob, kind="chapter", chapter=chapter).exists()
    assert not InboxItem.objects.filter(user=alice).exists()
    assert [message.to for message in mail.outbox] == [["carol@example.org"]]
    assert "Chapter 2 of “The Lighthouse Keeper”" in mail.outbox[0].subject
    assert f"/works/{work.pk}/chapters/{chapter.pk}" in mail.outbox[0].body
    carol.refresh_from_db()
    assert carol.unread_inbox == 1


def test_draft_chapter_reaches_nobody_until_posted(
    alice, carol, work, django_capture_on_commit_callbacks
):
    actions.subscribe(carol, work=work)
    with django_capture_on_commit_callbacks(execute=True):
        chapter = add_chapter(alice, work, draft=True)
    assert not InboxItem.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        work_actions.post_chapter(alice, chapter)
    assert InboxItem.objects.filter(user=carol, chapter=chapter).count() == 1


def test_new_work_reaches_the_creators_subscribers(
    alice, carol, client, django_capture_on_commit_callbacks
):
    actions.subscribe(carol, creator=alice)
    with django_capture_on_commit_callbacks(execute=True):
        work = post_work(alice, "Brand New")
    item = InboxItem.objects.get(user=carol)
    assert (item.kind, item.work) == ("work", work)
    assert "A new work: “Brand New”" in mail.outbox[0].subject


def test_new_part_reaches_the_series_subscribers(
    alice, carol, work, django_capture_on_commit_callbacks
):
    series = work_actions.create_series(alice, "The Coast")
    work_actions.add_work_to_series(alice, work, series)
    actions.subscribe(carol, series=series)
    second = post_work(alice, "Part Two")
    with django_capture_on_commit_callbacks(execute=True):
        work_actions.add_work_to_series(alice, second, series)
    item = InboxItem.objects.get(user=carol)
    assert (item.kind, item.work, item.series) == ("part", second, series)


def test_updates_skip_subscribers_who_muted_the_creator(
    alice, carol, work, django_capture_on_commit_callbacks
):
    from ficarchive.accounts.actions import mute_user

    actions.subscribe(carol, work=work)
    mute_user(carol, alice)
    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(alice, work)
    assert not InboxItem.objects.exists()


def test_fan_out_delivers_in_chunks(alice, work, monkeypatch):
    from ficarchive.social import tasks

    monkeypatch.setattr(tasks, "CHUNK", 3)
    readers = [make_user(f"reader{n}") for n in range(7)]
    for reader in readers:
        actions.subscribe(reader, work=work)
    chapter = add_chapter(alice, work)
    chunks = []

    class Recording:
        @staticmethod
        def enqueue(*args, **kwargs):
            chunks.append(kwargs["user_ids"])
            return deliver.enqueue(*args, **kwargs)

    monkeypatch.setattr(tasks, "deliver", Recording)
    assert fan_out.call("chapter", work.pk, chapter_id=chapter.pk) == 7
    assert [len(chunk) for chunk in chunks] == [3, 3, 1]
    assert InboxItem.objects.filter(kind="chapter").count() == 7
    assert len(mail.outbox) == 7


def test_nothing_is_sent_in_the_request(alice, carol, carol_client, work, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    actions.subscribe(carol, work=work)
    logged_in(alice).post(
        f"/works/{work.pk}/chapters/new", {"body": "<p>New.</p>", "body_format": "html"}
    )
    assert mail.outbox == []
    assert not InboxItem.objects.exists()


def test_subscriptions_page_lists_and_unsubscribes(carol, carol_client: Client, alice, work):
    subscription = actions.subscribe(carol, work=work)
    actions.subscribe(carol, creator=alice, email=False)
    page = carol_client.get("/subscriptions").content.decode()
    assert "The Lighthouse Keeper" in page and ">alice</a>" in page
    carol_client.post(f"/subscriptions/{subscription.pk}/delete")
    assert not Subscription.objects.filter(work=work).exists()
    assert WorkStats.objects.get(work=work).subscriptions == 0


def test_subscriber_turns_emails_off_and_keeps_the_inbox(
    alice, carol, carol_client: Client, work, django_capture_on_commit_callbacks
):
    subscription = actions.subscribe(carol, work=work, email=True)
    page = carol_client.get("/subscriptions").content.decode()
    assert ">Stop emails</button>" in page
    response = carol_client.post(f"/subscriptions/{subscription.pk}/email", follow=True)
    assert "Emails off." in response.content.decode()
    assert ">Email me too</button>" in response.content.decode()
    subscription.refresh_from_db()
    assert not subscription.email
    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(alice, work)
    assert InboxItem.objects.filter(user=carol, kind="chapter").exists()
    assert mail.outbox == []
    carol_client.post(f"/subscriptions/{subscription.pk}/email", {"email": "on"})
    subscription.refresh_from_db()
    assert subscription.email


def test_nobody_can_switch_someone_elses_subscription_emails(carol, bob, client, work):
    subscription = actions.subscribe(carol, work=work, email=True)
    url = f"/subscriptions/{subscription.pk}/email"
    assert logged_in(bob).post(url).status_code == 404
    response = client.post(url)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert logged_in(carol).get(url).status_code == 405
    with pytest.raises(PermissionDenied):
        actions.set_subscription_email(bob, subscription, False)
    subscription.refresh_from_db()
    assert subscription.email


def test_nobody_can_remove_someone_elses_subscription(carol, bob, work):
    subscription = actions.subscribe(carol, work=work)
    assert logged_in(bob).post(f"/subscriptions/{subscription.pk}/delete").status_code == 404
    assert Subscription.objects.exists()


def test_subscribing_needs_login_post_csrf_and_a_visible_work(alice, carol, client, work):
    response = client.post(f"/works/{work.pk}/subscribe")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert logged_in(carol).get(f"/works/{work.pk}/subscribe").status_code == 405
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(carol)
    assert forged.post(f"/works/{work.pk}/subscribe").status_code == 403
    draft = post_work(alice, draft=True)
    assert logged_in(carol).post(f"/works/{draft.pk}/subscribe").status_code == 404
    assert not Subscription.objects.exists()


def test_nobody_subscribes_to_a_series_they_cannot_see(alice, carol):
    draft = post_work(alice, "Unposted", draft=True)
    series = work_actions.create_series(alice, "Hidden Coast")
    work_actions.add_work_to_series(alice, draft, series)
    assert logged_in(carol).post(f"/series/{series.pk}/subscribe").status_code == 403
    assert logged_in(carol).post("/series/999/subscribe").status_code == 404
    assert not Subscription.objects.exists()


def test_subscribe_to_a_creator_and_a_series_from_their_pages(alice, carol, work):
    series = work_actions.create_series(alice, "The Coast")
    work_actions.add_work_to_series(alice, work, series)
    client = logged_in(carol)
    client.post("/users/alice/subscribe", {"email": "on"})
    client.post(f"/series/{series.pk}/subscribe")
    assert Subscription.objects.filter(user=carol, creator=alice).exists()
    assert Subscription.objects.filter(user=carol, series=series).exists()
    response = client.post("/users/carol/subscribe", follow=True)
    assert "You cannot subscribe to this account." in response.content.decode()


@pytest.mark.parametrize("count", [3, 15])
def test_subscriptions_page_runs_a_fixed_number_of_queries(
    count, alice, carol, django_assert_max_num_queries
):
    for number in range(count):
        actions.subscribe(carol, work=post_work(alice, f"Work {number}"))
    client = logged_in(carol)
    with django_assert_max_num_queries(5):
        response = client.get("/subscriptions")
    assert f"Work {count - 1}" in response.content.decode()
