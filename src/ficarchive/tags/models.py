"""Typed tags. Ratings, archive warnings and categories are fixed sets; the others are free."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse


class TagType(models.TextChoices):
    RATING = "rating", "Rating"
    WARNING = "warning", "Archive Warning"
    CATEGORY = "category", "Category"
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional Tags"


FIXED_TYPES = (TagType.RATING, TagType.WARNING, TagType.CATEGORY)
FREE_TYPES = (TagType.FANDOM, TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM)

NOT_RATED = "Not Rated"
GENERAL = "General Audiences"
TEEN = "Teen And Up Audiences"
MATURE = "Mature"
EXPLICIT = "Explicit"
RATINGS = [NOT_RATED, GENERAL, TEEN, MATURE, EXPLICIT]
ADULT_RATINGS = {NOT_RATED, MATURE, EXPLICIT}

CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"
NO_WARNINGS = "No Archive Warnings Apply"
WARNINGS = [
    CHOSE_NOT_TO_WARN,
    NO_WARNINGS,
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "Rape/Non-Con",
    "Underage Sex",
]
CATEGORIES = ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"]
FIXED_TAGS: dict[str, list[str]] = {
    TagType.RATING: RATINGS,
    TagType.WARNING: WARNINGS,
    TagType.CATEGORY: CATEGORIES,
}
MAX_TAG_LENGTH = 150


def validate_tag_name(name: str) -> None:
    if "," in name:
        raise ValidationError(f"Tag {name!r} cannot contain a comma; commas separate tags.")
    if not name.strip():
        raise ValidationError("A tag cannot be empty.")
    if len(name) > MAX_TAG_LENGTH:
        raise ValidationError(f"Tag {name[:40]!r}… is longer than {MAX_TAG_LENGTH} characters.")


def clean_tag_name(name: str) -> str:
    """Collapse inner whitespace and trim, as a tag is stored."""
    return " ".join(name.split())


class TagQuerySet(models.QuerySet["Tag"]):
    def of_type(self, tag_type: str) -> TagQuerySet:
        return self.filter(type=tag_type)

    def named(self, name: str) -> TagQuerySet:
        return self.filter(name__iexact=clean_tag_name(name))


class Tag(models.Model):
    """A typed tag. A free tag is canonical, a synonym of one canonical tag, or unwrangled.

    `parents` are a character's or relationship's fandoms, or a fandom's parent fandoms
    (metatags); `characters` are a relationship's characters.
    """

    type = models.CharField(max_length=16, choices=TagType.choices)
    name = models.CharField(max_length=MAX_TAG_LENGTH, validators=[validate_tag_name])
    canonical = models.BooleanField(default=False)
    synonym_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="synonyms"
    )
    parents = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="children"
    )
    characters = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="relationships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["type", Lower("name")]
        constraints = [
            models.UniqueConstraint(F("type"), Lower("name"), name="tag_name_unique_per_type"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tags:works", args=[self.name])

    @property
    def is_wrangled(self) -> bool:
        return self.canonical or self.synonym_of_id is not None

    @property
    def merger(self) -> Tag:
        """The canonical tag this one stands for: itself, or the tag it is a synonym of."""
        return self.synonym_of if self.synonym_of_id and self.synonym_of else self

    @property
    def is_adult_rating(self) -> bool:
        return self.type == TagType.RATING and self.name in ADULT_RATINGS
