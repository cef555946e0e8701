"""Co-creators of a work, and a leaving account's works (orphaned or deleted)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ficarchive.accounts.models import Pseud
from ficarchive.accounts.standing import require_good_standing
from ficarchive.search.actions import record_change
from ficarchive.social import events as social_events
from ficarchive.works.actions.details import _require_creator
from ficarchive.works.models import (
    Creatorship,
    Series,
    Work,
)

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


# --- co-creators -------------------------------------------------------------------------


@transaction.atomic
def invite_cocreator(user: User, work: Work, pseud: Pseud) -> Creatorship:
    """Invite another user's pseud; the work names them only once they accept."""
    _require_creator(user, work)
    if pseud.user_id == user.pk:
        raise ValidationError({"pseud": [_("Add your own pseuds on the edit form instead.")]})
    if pseud.user.is_orphan_account or not pseud.user.is_active:
        raise ValidationError(
            {"pseud": [_("%(pseud)s cannot be invited.") % {"pseud": pseud.byline}]}
        )
    creatorship, created = Creatorship.objects.get_or_create(
        work=work,
        pseud=pseud,
        defaults={"accepted": False, "invited_by": user, "position": 99},
    )
    if not created:
        raise ValidationError(
            {"pseud": [_("%(pseud)s is already invited or a creator.") % {"pseud": pseud.byline}]}
        )
    transaction.on_commit(partial(social_events.cocreator_invited, creatorship.pk))
    return creatorship


@transaction.atomic
def accept_cocreator_invite(user: User, creatorship: Creatorship) -> Creatorship:
    if creatorship.pseud.user_id != user.pk:
        raise PermissionDenied("This invitation is not yours.")
    require_good_standing(user)
    creatorship.accepted = True
    creatorship.save(update_fields=["accepted"])
    record_change([creatorship.work_id])
    return creatorship


@transaction.atomic
def decline_cocreator_invite(user: User, creatorship: Creatorship) -> None:
    if creatorship.pseud.user_id != user.pk or creatorship.accepted:
        raise PermissionDenied("This invitation is not yours to decline.")
    creatorship.delete()


@transaction.atomic
def remove_creator(user: User, creatorship: Creatorship) -> None:
    """Leave a work (or withdraw an invitation); the last creator must delete it instead."""
    work = creatorship.work
    _require_creator(user, work)
    if creatorship.accepted and work.creatorships.filter(accepted=True).count() == 1:
        raise ValidationError(_("A work needs a creator; delete or orphan it instead."))
    if creatorship.accepted and creatorship.pseud.user_id != user.pk:
        raise PermissionDenied("Only a creator can remove themselves from a work.")
    creatorship.delete()
    record_change([work.pk])  # after the delete: the work's document names who is left


# --- when an account goes ----------------------------------------------------------------


@transaction.atomic
def orphan_works_of(user: User, orphan_pseud: Pseud) -> int:
    """Hand the user's works to the orphan account, so readers keep them. Returns the count."""
    mine = Creatorship.objects.filter(pseud__user=user, accepted=True)
    work_ids = list(mine.values_list("work_id", flat=True))
    for creatorship in mine.select_related("work"):
        Creatorship.objects.get_or_create(
            work=creatorship.work,
            pseud=orphan_pseud,
            defaults={"accepted": True, "position": creatorship.position},
        )
    Creatorship.objects.filter(pseud__user=user).delete()
    for series in Series.objects.filter(creators__user=user).distinct():
        series.creators.add(orphan_pseud)
    record_change(work_ids)
    return len(work_ids)


@transaction.atomic
def delete_works_of(user: User) -> int:
    """Delete the works the user made alone and leave the ones made with others."""
    mine = Creatorship.objects.filter(pseud__user=user, accepted=True).values("work_id")
    works = Work.objects.filter(id__in=mine)
    shared = (
        Creatorship.objects.filter(work__in=works, accepted=True)
        .exclude(pseud__user=user)
        .values("work_id")
    )
    alone = works.exclude(id__in=shared)
    changed = list(works.values_list("id", flat=True))
    count = alone.count()
    alone.delete()
    Creatorship.objects.filter(pseud__user=user).delete()
    record_change(changed)  # after the deletes: documents go, or lose the user's name
    return count
