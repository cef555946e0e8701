from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from ficarchive.accounts.models import Pseud, User


class PseudInline(admin.TabularInline):
    model = Pseud
    extra = 0
    fields = ["name", "is_default", "description"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [PseudInline]
    list_display = ["username", "email", "is_staff", "is_active", "date_joined"]
    # Bans and roles go through the moderation pages (audit log, sessions and tokens ended).
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


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "is_default", "created_at"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]
