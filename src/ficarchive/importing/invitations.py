"""The invitation an external author receives when an archivist imported their works: one
mail listing the works, with a signed link to the page where they claim, orphan or remove
them (`importing.claiming`).

The link carries the author's id and address, signed with the site's secret and dated: it
cannot be guessed nor altered, and it lapses after `CLAIM_LINK_DAYS`.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import mail, signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from ficarchive.works.archived import ArchiveState, ExternalAuthor, ExternalCreatorship
from ficarchive.works.models import Work

SALT = "ficarchive.importing.claim"
CLAIM_LINK_DAYS = 180
# How long a queue that can wait waits before mailing, so that works an archivist posts one by
# one in a sitting reach their author in one mail.
INVITATION_DELAY = timedelta(minutes=10)


class BadClaimLink(Exception):
    """A claim link that was altered, forged, or is too old; `expired` says which."""

    def __init__(self, reason: str, *, expired: bool = False) -> None:
        super().__init__(reason)
        self.expired = expired


def claim_token(author: ExternalAuthor) -> str:
    return signing.dumps({"author": author.pk, "email": author.email}, salt=SALT)


def claim_url(author: ExternalAuthor) -> str:
    return reverse("importing:claim", args=[claim_token(author)])


def author_of_token(token: str) -> ExternalAuthor:
    """The external author a claim link names, or BadClaimLink."""
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=CLAIM_LINK_DAYS))
    except signing.SignatureExpired as exc:
        raise BadClaimLink(
            _("This link is more than %(days)s days old. Ask the archive for a new one.")
            % {"days": CLAIM_LINK_DAYS},
            expired=True,
        ) from exc
    except signing.BadSignature as exc:
        raise BadClaimLink(_("This link is not one the archive sent, or it was changed.")) from exc
    author = ExternalAuthor.objects.filter(pk=data.get("author"), email=data.get("email")).first()
    if author is None:
        raise BadClaimLink(_("This link names no author the archive knows."))
    return author


def waiting_works(author: ExternalAuthor) -> list[Work]:
    """The works still waiting for AUTHOR, in the order they were imported, with their
    bylines read."""
    ids = ExternalCreatorship.objects.filter(
        name__author=author, state=ArchiveState.WAITING
    ).values("work_id")
    return list(Work.objects.filter(id__in=ids).with_blurb_data(tags=False).order_by("id"))


def queue_invitation(author_id: int) -> None:
    """Queue the invitation of one author, after `INVITATION_DELAY` where the queue can wait."""
    queued = send_invitation
    if queued.get_backend().supports_defer:
        queued = queued.using(run_after=timezone.now() + INVITATION_DELAY)
    queued.enqueue(author_id)


@task()
def send_invitation(author_id: int) -> int:
    """Mail the author the works not yet in a mail (with the others still waiting); how many
    new ones (0: nothing new, no mail)."""
    author = ExternalAuthor.objects.filter(pk=author_id).first()
    if author is None:
        return 0
    now = timezone.now()
    with transaction.atomic():  # taken once: a second task for the author finds nothing new
        new = ExternalCreatorship.objects.filter(
            name__author=author, state=ArchiveState.WAITING, invited_at__isnull=True
        ).update(invited_at=now)
    if not new:
        return 0
    works = waiting_works(author)
    names = sorted(set(author.names.values_list("name", flat=True)))
    context = {
        "author": author,
        "names": names,
        "works": works,
        "claim_url": settings.SITE_URL.rstrip("/") + claim_url(author),
        "site_url": settings.SITE_URL.rstrip("/"),
        "SITE_NAME": settings.SITE_NAME,
        "days": CLAIM_LINK_DAYS,
    }
    with translation.override(settings.LANGUAGE_CODE):  # not an account: the archive's language
        subject = " ".join(
            render_to_string("importing/email/invitation_subject.txt", context).split()
        )
        body = render_to_string("importing/email/invitation.txt", context)
    mail.EmailMessage(subject, body, to=[author.email]).send()
    return new
