"""Reading the spam queue: each held check with the live item it is of."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ficarchive.moderation.models import SpamCheck
from ficarchive.moderation.spam.checking import COMMENT, PSEUD, WORK


@dataclass
class HeldItem:
    """What a check is of, as the queue shows it; `present` is False once it is deleted."""

    label: str
    url: str
    present: bool = True


def held_items(checks: Sequence[SpamCheck]) -> dict[int, HeldItem]:
    """The live item of each check, by check id: one query per kind of item on the page."""
    from ficarchive.accounts.models import Pseud
    from ficarchive.social.models import Comment
    from ficarchive.works.models import Work

    wanted: dict[str, set[int]] = {}
    for check in checks:
        wanted.setdefault(check.target_kind, set()).add(check.target_id)
    found: dict[tuple[str, int], HeldItem] = {}
    if wanted.get(COMMENT):
        comments = Comment.objects.select_related("work").filter(pk__in=wanted[COMMENT])
        for comment in comments:
            label = _("a comment on “%(title)s”") % {"title": comment.work.title}
            found[COMMENT, comment.pk] = HeldItem(label, comment.get_absolute_url())
    if wanted.get(WORK):
        for work in Work.objects.filter(pk__in=wanted[WORK]).only("pk", "title"):
            label = _("the work “%(title)s”") % {"title": work.title}
            found[WORK, work.pk] = HeldItem(label, work.get_absolute_url())
    if wanted.get(PSEUD):
        for pseud in Pseud.objects.select_related("user").filter(pk__in=wanted[PSEUD]):
            label = _("the profile text of %(pseud)s (%(username)s)") % {
                "pseud": pseud.name,
                "username": pseud.user.username,
            }
            found[PSEUD, pseud.pk] = HeldItem(label, pseud.get_absolute_url())
    deleted = {
        COMMENT: _("a comment deleted since"),
        WORK: _("a work deleted since"),
        PSEUD: _("a pseud deleted since"),
    }
    gone = {kind: HeldItem(deleted.get(kind, kind), "", False) for kind in wanted}
    return {
        check.pk: found.get((check.target_kind, check.target_id), gone[check.target_kind])
        for check in checks
    }
