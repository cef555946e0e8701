"""Second factors in the Django admin: listed without their secrets, and removable, so that a
superadmin can help someone who lost both their second factor and their backup codes (once sure
it is them). Nobody adds or changes one there: only its owner does, in preferences.

django-otp registers admins of its own that show and edit the secrets; `register` (called when
the app is ready, after the admin has loaded every app's admin module) puts these in their place.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ficarchive.accounts.two_factor.models import Passkey


class ShownOnly(admin.ModelAdmin):
    """Listed and removable; never added or changed here."""

    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class PasskeyAdmin(ShownOnly):
    list_display = ("user", "name", "created", "last_used")
    fields = ("user", "name", "created", "last_used")
    readonly_fields = fields


class DeviceAdmin(ShownOnly):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields


def register(site: admin.AdminSite = admin.site) -> None:
    for model in (TOTPDevice, StaticDevice, Passkey):
        if site.is_registered(model):
            site.unregister(model)
    site.register(Passkey, PasskeyAdmin)
    site.register(TOTPDevice, DeviceAdmin)
    site.register(StaticDevice, DeviceAdmin)
