"""Writes of the web app: a background process's heartbeat."""

from __future__ import annotations

from django.utils import timezone

from ficarchive.web.models import WORKER, Heartbeat


def beat(name: str = WORKER) -> int:
    """Note that NAME did its round now (one row per name, written over); 1, as a count of the
    upkeep's jobs."""
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})
    return 1
