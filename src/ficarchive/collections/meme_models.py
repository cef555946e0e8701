"""Prompt memes: a collection's challenge in which participants post prompts (tags and text,
anonymously if the meme allows) and others claim and fill them. A prompt may be filled by
several works; each fill is a work in the collection."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ficarchive.collections.matching import TAG_TYPES


class PromptMeme(models.Model):
    collection = models.OneToOneField(
        "collections.Collection", on_delete=models.CASCADE, related_name="meme"
    )
    is_open = models.BooleanField(default=True, help_text="Participants may post prompts.")
    allow_anonymous = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"Prompt meme of {self.collection_id}"


class PromptQuerySet(models.QuerySet["Prompt"]):
    def tagged(self, name: str) -> PromptQuerySet:
        """Prompts naming the tag NAME (any type, without regard to case)."""
        wanted = name.strip().casefold()
        if not wanted:
            return self
        ids = [
            prompt_id
            for prompt_id, *lists in self.values_list("id", *TAG_TYPES)
            if any(wanted == tag.casefold() for names in lists for tag in names or [])
        ]
        return self.filter(id__in=ids)


class Prompt(models.Model):
    meme = models.ForeignKey(PromptMeme, on_delete=models.CASCADE, related_name="prompts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prompts"
    )
    is_anonymous = models.BooleanField(default=False)
    fandoms = models.JSONField(default=list)
    characters = models.JSONField(default=list)
    relationships = models.JSONField(default=list)
    freeforms = models.JSONField(default=list)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PromptQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Prompt {self.pk} in {self.meme_id}"

    def tags(self) -> list[str]:
        return [name for kind in TAG_TYPES for name in getattr(self, kind) or []]

    def shown_by(self) -> str | None:
        """The prompter's name as readers see it; None when anonymous."""
        return None if self.is_anonymous else self.user.username


class Claim(models.Model):
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["prompt", "user"], name="claim_once")]

    def __str__(self) -> str:
        return f"{self.user_id} claims {self.prompt_id}"


class Fill(models.Model):
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="fills")
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="fills")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["prompt", "work"], name="fill_once")]

    def __str__(self) -> str:
        return f"{self.work_id} fills {self.prompt_id}"
