"""Background tasks: subscription updates reach inboxes and mailboxes outside the request.

One `fan_out` task per event finds the subscribers and queues one `deliver` task per chunk of
them; each chunk writes its inbox items in one insert and sends its emails over one connection.
"""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task

from ficarchive.accounts.models import Mute
from ficarchive.social.actions.inbox import notify
from ficarchive.social.models import InboxKind, Subscription
from ficarchive.works.models import Chapter, Creatorship, Series, SeriesPart, Work

CHUNK = 200


def _subscribers(kind: str, work: Work, series_id: int | None) -> dict[int, bool]:
    """Who hears of the event: {user id: wants email}."""
    subs = Subscription.objects.none()
    creators = Creatorship.objects.filter(work=work, accepted=True).values("pseud__user_id")
    if kind == InboxKind.CHAPTER:
        subs = Subscription.objects.filter(work=work)
    elif kind == InboxKind.WORK and work.in_anonymous_collection:
        pass  # its creators' and series' subscribers would learn who made it
    elif kind == InboxKind.WORK:
        series = SeriesPart.objects.filter(work=work).values("series_id")
        subs = Subscription.objects.filter(creator_id__in=creators) | Subscription.objects.filter(
            series_id__in=series
        )
    elif kind == InboxKind.PART and not work.in_anonymous_collection:
        subs = Subscription.objects.filter(series_id=series_id or 0)
    muters = Mute.objects.filter(muted_id__in=creators).values("muter_id")
    found: dict[int, bool] = {}
    rows = (
        subs.exclude(user_id__in=creators)
        .exclude(user_id__in=muters)
        .filter(user__is_active=True)
        .values_list("user_id", "email")
    )
    for user_id, email in rows:
        found[user_id] = found.get(user_id, False) or email
    return found


def _deliverable(work_id: int, chapter_id: int | None) -> Work | None:
    """The work, if readers may see it now (it may have been hidden or deleted since)."""
    work = Work.objects.filter(
        pk=work_id, is_draft=False, is_hidden=False, in_unrevealed_collection=False
    ).first()
    if work is None:
        return None
    if chapter_id is not None and not work.chapters.filter(pk=chapter_id, is_draft=False).exists():
        return None
    return work


@task()
def fan_out(
    kind: str, work_id: int, chapter_id: int | None = None, series_id: int | None = None
) -> int:
    """Split one event's subscribers into chunks, each delivered by its own task."""
    work = _deliverable(work_id, chapter_id)
    if work is None:
        return 0
    subscribers = sorted(_subscribers(kind, work, series_id).items())
    for start in range(0, len(subscribers), CHUNK):
        chunk = subscribers[start : start + CHUNK]
        deliver.enqueue(
            kind,
            work_id,
            chapter_id=chapter_id,
            series_id=series_id,
            user_ids=[user_id for user_id, _ in chunk],
            email_ids=[user_id for user_id, email in chunk if email],
        )
    return len(subscribers)


@task()
def deliver(
    kind: str,
    work_id: int,
    *,
    chapter_id: int | None,
    series_id: int | None,
    user_ids: list[int],
    email_ids: list[int],
) -> int:
    """Inbox items for a chunk of subscribers, and the emails those who want them get."""
    work = _deliverable(work_id, chapter_id)
    if work is None:
        return 0
    chapter = Chapter.objects.filter(pk=chapter_id).first() if chapter_id else None
    series = Series.objects.filter(pk=series_id).first() if series_id else None
    with transaction.atomic():
        notify(user_ids, kind, work=work, chapter=chapter, series=series)
    from ficarchive.accounts.models import User

    addresses = list(
        User.objects.filter(pk__in=email_ids, is_active=True).values_list("email", flat=True)
    )
    if addresses:
        _send(kind, work, chapter, series, addresses)
    return len(user_ids)


def _send(
    kind: str, work: Work, chapter: Chapter | None, series: Series | None, addresses: list[str]
) -> None:
    context = {
        "kind": kind,
        "work": work,
        "chapter": chapter,
        "series": series,
        "site_url": settings.SITE_URL.rstrip("/"),
        "SITE_NAME": settings.SITE_NAME,
    }
    subject = " ".join(render_to_string("social/email/update_subject.txt", context).split())
    body = render_to_string("social/email/update.txt", context)
    with mail.get_connection() as connection:
        messages = [
            mail.EmailMessage(subject, body, to=[address], connection=connection)
            for address in addresses
        ]
        connection.send_messages(messages)
