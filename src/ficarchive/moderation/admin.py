"""The Django admin shows the audit log read-only: entries are written by the actions alone
and never edited or deleted (the moderation pages have the filters and Undo). The role groups
are read-only too: their permissions are kept to their lists by code after every migrate, and
roles are given on the roles page, audited."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from ficarchive.moderation.models import AuditEntry, Role
from ficarchive.readonly_admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "actor_name", "verb", "target_label", "reason"]
    list_filter = ["verb", "target_kind"]
    search_fields = ["actor_name", "target_label", "subject__username"]
    list_select_related = ["subject"]


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    @staticmethod
    def _is_role(group: Group | None) -> bool:
        return group is not None and group.name in Role.values

    def has_change_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        return not self._is_role(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        return not self._is_role(obj) and super().has_delete_permission(request, obj)
