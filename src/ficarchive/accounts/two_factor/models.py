"""Passkeys (WebAuthn credentials). The authenticator app and the backup codes are django-otp's
`TOTPDevice` and `StaticDevice` rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ficarchive.accounts.models import User

MAX_NAME = 60


class PasskeyQuerySet(models.QuerySet["Passkey"]):
    def of(self, user: User) -> PasskeyQuerySet:
        return self.filter(user=user).order_by("created", "pk")


class Passkey(models.Model):
    """A public key an authenticator made for one account on this archive's host name."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys"
    )
    name = models.CharField(_("name"), max_length=MAX_NAME)
    # base64url of the credential id (at most 1023 bytes, so at most 1364 characters)
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    objects = PasskeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("passkey")
        verbose_name_plural = _("passkeys")

    def __str__(self) -> str:
        return self.name
