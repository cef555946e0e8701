from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from ficarchive.accounts.models import Pseud, User


class PseudInline(admin.TabularInline):
    model = Pseud
    extra = 0
    fields = ["name", "is_default", "description"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [PseudInline]
    list_display = ["username", "email", "is_staff", "is_active", "date_joined"]
    # Bans and roles go through the moderation pages (audit log, sessions and tokens ended);
    # a change of staff status made here is written to the audit log (`save_model`).
    readonly_fields = ["is_active", "is_superuser", "groups", "user_permissions"]
    fieldsets = [
        *(BaseUserAdmin.fieldsets or ()),
        (
            "Preferences",
            {
                "fields": [
                    "skip_adult_notice",
                    "hide_warnings",
                    "hide_freeform",
                    "view_full_work",
                    "time_zone",
                    "keep_history",
                    "hide_read_works",
                    "hide_kudosed_works",
                ]
            },
        ),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Accounts are deleted by their owners (who choose what becomes of their works) or
        banned on the moderation pages; the admin's delete would skip both."""
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        from ficarchive.moderation.audit import record

        was_staff = User.objects.filter(pk=obj.pk).values_list("is_staff", flat=True).first()
        super().save_model(request, obj, form, change)
        if change and was_staff is not None and was_staff != obj.is_staff:
            record(
                request.user,
                "change_staff",
                target_kind="user",
                target_id=obj.pk,
                target_label=obj.username,
                subject=obj,
                before={"is_staff": was_staff},
                after={"is_staff": obj.is_staff},
            )


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "is_default", "created_at"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]
