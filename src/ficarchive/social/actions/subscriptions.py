from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from ficarchive.accounts.standing import require_good_standing
from ficarchive.social.actions.rules import require_readable
from ficarchive.social.models import Subscription, bump_counts
from ficarchive.works.models import Series, Work

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


@transaction.atomic
def subscribe(
    user: User,
    *,
    work: Work | None = None,
    series: Series | None = None,
    creator: User | None = None,
    email: bool = True,
) -> Subscription:
    """Follow a work (new chapters), a series (new parts) or a creator (new works)."""
    require_good_standing(user)
    if sum(target is not None for target in (work, series, creator)) != 1:
        raise ValidationError("Subscribe to one work, series or creator.")
    if work is not None:
        require_readable(user, work)
    if series is not None and not series.parts_visible_to(user).exists():
        raise PermissionDenied("You cannot see this series.")
    if creator is not None and (creator.pk == user.pk or creator.is_orphan_account):
        raise ValidationError("You cannot subscribe to this account.")
    subscription = Subscription(user=user, work=work, series=series, creator=creator, email=email)
    try:
        with transaction.atomic():
            subscription.save()
    except IntegrityError as exc:
        raise ValidationError("You are already subscribed.") from exc
    if work is not None:
        bump_counts(work.pk, subscriptions=1)
    return subscription


@transaction.atomic
def unsubscribe(user: User, subscription: Subscription) -> None:
    if subscription.user_id != user.pk:
        raise PermissionDenied("This subscription is not yours.")
    deleted, _ = Subscription.objects.filter(pk=subscription.pk).delete()
    if deleted and subscription.work_id is not None:
        bump_counts(subscription.work_id, subscriptions=-1)


@transaction.atomic
def set_subscription_email(user: User, subscription: Subscription, email: bool) -> Subscription:
    """Turn the emails of one of the user's subscriptions on or off (the inbox always hears)."""
    if subscription.user_id != user.pk:
        raise PermissionDenied("This subscription is not yours.")
    subscription.email = email
    subscription.save(update_fields=["email"])
    return subscription
