"""The Django admin shows works read-only; admins hide works from the work page, and
authors' text changes only through the actions that sanitize it.

It lists only what the admin may open on the site (`visible_to`): every posted work, hidden
ones included, but no one's drafts except the admin's own, which stay their authors' alone.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ficarchive.readonly_admin import ReadOnlyAdmin
from ficarchive.works.models import ExternalAuthor, Series, Work


@admin.register(Work)
class WorkAdmin(ReadOnlyAdmin):
    list_display = ["title", "is_draft", "is_hidden", "restricted", "word_count", "updated_at"]
    list_filter = ["is_draft", "is_hidden", "restricted", "language"]
    search_fields = ["title"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Work]:
        return super().get_queryset(request).visible_to(request.user)  # type: ignore[attr-defined,no-any-return]


@admin.register(Series)
class SeriesAdmin(ReadOnlyAdmin):
    list_display = ["title", "is_complete", "updated_at"]
    search_fields = ["title"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Series]:
        return super().get_queryset(request).visible_to(request.user)  # type: ignore[attr-defined,no-any-return]


@admin.register(ExternalAuthor)
class ExternalAuthorAdmin(ReadOnlyAdmin):
    """Authors archivists imported works for: who claimed them, who refused imports."""

    list_display = ["email", "do_not_import", "claimed_by", "created_at"]
    list_filter = ["do_not_import"]
    search_fields = ["email", "names__name"]
