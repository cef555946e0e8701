"""Heartbeats: when a background process last did its round (read by /healthz)."""

from __future__ import annotations

from django.db import models

WORKER = "worker"  # the upkeep, run by a task worker every minute (ficarchive.upkeep)


class Heartbeat(models.Model):
    name = models.CharField(max_length=32, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
