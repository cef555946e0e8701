from django.contrib import admin

from ficarchive.readonly_admin import ReadOnlyAdmin
from ficarchive.tags.models import Tag


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    """Tags are wrangled on the wrangling pages, where every change is checked and logged."""

    list_display = ["name", "type", "created_at"]
    list_filter = ["type"]
    search_fields = ["name"]
