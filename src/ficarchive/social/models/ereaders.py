"""E-readers that keep a reader's place: KOReader's progress sync.

- `ReadingDevice`: a key a reader makes in preferences for an e-reader; the device sends the
  MD5 of it (as KOReader sends of any password), stored here only as its SHA-256.
- `EpubVersion`: an EPUB of a work as the archive served it, known by KOReader's partial MD5 of
  the file (and the MD5 of its file name), with the layout that maps a KOReader position
  (an XPointer into a chapter file) to a chapter and paragraph and back.
- `DeviceProgress`: the last position a device sent for one of those files, kept as it was
  sent so that the device reads back its own words until the reader moves on elsewhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ficarchive.works.models import Work


class ReadingDevice(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_devices"
    )
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} of {self.user_id}"


class EpubVersion(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="epub_versions")
    digest = models.CharField(max_length=32, db_index=True)  # KOReader's partial MD5
    name_digest = models.CharField(max_length=32, db_index=True)  # MD5 of the file name
    # Per spine item: {"chapter": id or null, "div": the text's place among the section's
    # divs, "blocks": [[tag, starts with text], ...]}.
    layout = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "digest"], name="epub_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.digest} of {self.work_id}"


class DeviceProgress(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(EpubVersion, on_delete=models.CASCADE, related_name="+")
    progress = models.CharField(max_length=500)
    percentage = models.FloatField()
    device = models.CharField(max_length=100)
    device_id = models.CharField(max_length=100)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="device_progress_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.progress}"
