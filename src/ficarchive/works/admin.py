"""The Django admin shows works read-only; admins hide works from the work page, and
authors' text changes only through the actions that sanitize it."""

from django.contrib import admin

from ficarchive.readonly_admin import ReadOnlyAdmin
from ficarchive.works.models import Series, Work


@admin.register(Work)
class WorkAdmin(ReadOnlyAdmin):
    list_display = ["title", "is_draft", "is_hidden", "restricted", "word_count", "updated_at"]
    list_filter = ["is_draft", "is_hidden", "restricted", "language"]
    search_fields = ["title"]


@admin.register(Series)
class SeriesAdmin(ReadOnlyAdmin):
    list_display = ["title", "is_complete", "updated_at"]
    search_fields = ["title"]
