"""The Django admin shows the audit log read-only: entries are written by the actions alone
and never edited or deleted (the moderation pages have the filters and Undo)."""

from django.contrib import admin

from ficarchive.moderation.models import AuditEntry
from ficarchive.readonly_admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "actor_name", "verb", "target_label", "reason"]
    list_filter = ["verb", "target_kind"]
    search_fields = ["actor_name", "target_label", "subject__username"]
    list_select_related = ["subject"]
