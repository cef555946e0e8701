from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from ficarchive.accounts.standing import require_good_standing
from ficarchive.social.actions.rules import creator_ids, require_not_blocked, require_readable
from ficarchive.social.models import Kudos, bump_counts
from ficarchive.works.models import Work

if TYPE_CHECKING:
    from ficarchive.social.actions.rules import AnyUser

ALREADY = "You have already left kudos here. :)"


@transaction.atomic
def give_kudos(user: AnyUser, work: Work, guest_token: str = "") -> Kudos:
    """Leave kudos on a work: once per account, or once per guest token for guests."""
    require_good_standing(user)
    require_readable(user, work)
    if user.is_authenticated:
        creators = creator_ids(work)
        if user.pk in creators:
            raise PermissionDenied("You cannot leave kudos on your own work.")
        require_not_blocked(user, creators, "leave kudos on this work")
    elif not guest_token:
        raise ValidationError("Your browser must accept cookies to leave kudos as a guest.")
    kudos = Kudos(
        work=work,
        user_id=user.pk if user.is_authenticated else None,
        guest_token="" if user.is_authenticated else guest_token,
    )
    try:
        with transaction.atomic():
            kudos.save()
    except IntegrityError as exc:
        raise ValidationError(ALREADY) from exc
    bump_counts(work.pk, kudos=1)
    return kudos
