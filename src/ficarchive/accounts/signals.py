"""Every account has its default pseud, named like the account, however the account was made:
sign-up, the archive's setup, `ficarchive users create`, `ficarchive createsuperuser`, the admin
site. Works are posted as pseuds, so an account without one could not post or import."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from ficarchive.accounts.models import Pseud, User


@receiver(post_save, sender=User, dispatch_uid="accounts.give_default_pseud")
def give_default_pseud(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    """A new account's default pseud (not for rows loaded as they are, as fixtures are)."""
    if created and not kwargs.get("raw", False):
        Pseud.objects.create(user=instance, name=instance.username, is_default=True)
