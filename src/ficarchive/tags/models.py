"""Typed tags. Ratings, archive warnings and categories are fixed sets; the others are free."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lower
from django.db.models.lookups import Contains, Exact, StartsWith
from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext_lazy as _

from ficarchive.tags.naming import tag_to_url

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User


_NAME_MARK = "NAMEMARK"  # unchanged by `tag_to_url` and by quoting


@lru_cache(maxsize=16)
def _around_a_name(prefix: str, view: str = "tags:works") -> tuple[str, str]:
    """What comes before and after a tag's name in the address of VIEW (its works, by
    default), on the site mounted at PREFIX: `reverse` once, with a mark in place of the name."""
    address = reverse(view, args=[_NAME_MARK])
    head, _mark, tail = address.partition(_NAME_MARK)
    return head, tail


def works_address(name: str, prefix: str) -> str:
    """The address of the works under the tag NAME on the site mounted at PREFIX: what
    `reverse("tags:works", args=[name])` gives, escaped and quoted the same way (tests check
    this), for a fraction of its cost. A page of twenty blurbs draws about three hundred tag
    links, and `reverse` was most of the cost of drawing a blurb."""
    return tag_address("tags:works", name, prefix)


def tag_address(view: str, name: str, prefix: str) -> str:
    """What `reverse(VIEW, args=[name])` gives for a page that takes a tag's name (as
    `works_address` does for the works), for lists of many tags."""
    head, tail = _around_a_name(prefix, view)
    return head + quote(tag_to_url(name), safe=RFC3986_SUBDELIMS + "/~:@") + tail


class TagType(models.TextChoices):
    RATING = "rating", _("Rating")
    WARNING = "warning", _("Archive Warning")
    CATEGORY = "category", _("Category")
    FANDOM = "fandom", _("Fandom")
    RELATIONSHIP = "relationship", _("Relationship")
    CHARACTER = "character", _("Character")
    FREEFORM = "freeform", _("Additional Tags")


class MediaType(models.TextChoices):
    """A canonical fandom's medium, as AO3's Fandoms pages sort them (the value is the slug)."""

    ANIME = "anime-manga", _("Anime & Manga")
    BOOKS = "books-literature", _("Books & Literature")
    CARTOONS = "cartoons-comics", _("Cartoons & Comics")
    CELEBRITIES = "celebrities-real-people", _("Celebrities & Real People")
    MOVIES = "movies", _("Movies")
    MUSIC = "music-bands", _("Music & Bands")
    OTHER = "other-media", _("Other Media")
    THEATER = "theater", _("Theater")
    TV = "tv-shows", _("TV Shows")
    VIDEO_GAMES = "video-games", _("Video Games")
    UNCATEGORIZED = "uncategorized", _("Uncategorized")


def media_type_named(value: str) -> MediaType:
    """The media type VALUE names: its slug ("tv-shows") or its label ("TV Shows"), in any
    case; a ValidationError names the value and lists the choices otherwise."""
    wanted = " ".join(value.split()).lower()
    for media in MediaType:
        if wanted in (media.value, media.label.lower()):
            return media
    choices = ", ".join(media.value for media in MediaType)
    raise ValidationError(f"unknown media type “{value}”; use one of {choices}")


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


# Names compare without regard to case through LOWER() on both sides, never Django's iexact,
# icontains or istartswith: on SQLite those compare with LIKE, which folds only ASCII letters
# ("Émile" would miss "émile"), while ficarchive.db makes LOWER fold every letter there, as
# PostgreSQL's does. An exact match is served by the (type, lower(name)) unique index.
def same_name(name: str, field: str = "name") -> Exact:
    """A filter: FIELD is the tag name NAME (cleaned), without regard to case."""
    return Exact(Lower(field), Lower(Value(clean_tag_name(name))))


def name_holds(text: str, field: str = "name") -> Contains:
    """A filter: FIELD holds TEXT, without regard to case."""
    return Contains(Lower(field), Lower(Value(text)))


def name_starts_with(text: str, field: str = "name") -> StartsWith:
    """A filter: FIELD starts with TEXT, without regard to case."""
    return StartsWith(Lower(field), Lower(Value(text)))


def can_wrangle(user: User | AnonymousUser) -> bool:
    """Tag wranglers hold the `tags.wrangle` permission; archive admins always may wrangle."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser or user.has_perm("tags.wrangle"))
    )


# The tags a filter on one tag includes: the tag's canonical tag, and for a canonical fandom every
# sub-fandom at any depth; then every synonym of those. UNION (not UNION ALL) keeps the
# recursion finite even if a cycle slipped into the data.
def covering_sql(seed: str) -> str:
    """SQL for the ids of every tag a filter on some canonical tags covers.

    SEED is a SELECT of `id, type` rows: the canonical tags. A fandom among them also covers its
    sub-fandoms at any depth; then every synonym of all those. The recursion takes two more
    parameters after SEED's: the fandom type, twice. UNION keeps it finite even on a cycle.
    """
    return f"""
WITH RECURSIVE family(id, type) AS (
    {seed}
    UNION
    SELECT child.id, child.type
    FROM tags_tag_parents link
    JOIN tags_tag child ON child.id = link.from_tag_id
    JOIN family ON link.to_tag_id = family.id
    WHERE family.type = %s AND child.type = %s
)
SELECT id FROM family
UNION
SELECT synonym.id FROM tags_tag synonym WHERE synonym.synonym_of_id IN (SELECT id FROM family)
"""  # noqa: S608 - SEED is a constant of ours; values are bound parameters


_COVERED_SQL = covering_sql("SELECT id, type FROM tags_tag WHERE id = %s")


class TagQuerySet(models.QuerySet["Tag"]):
    def of_type(self, tag_type: str) -> TagQuerySet:
        return self.filter(type=tag_type)

    def named(self, name: str) -> TagQuerySet:
        """Tags named NAME without regard to case (one per type at most). Every type is named,
        so that the (type, lower(name)) index finds them: without, the tags are scanned."""
        return self.filter(same_name(name), type__in=TagType.values)

    def free(self) -> TagQuerySet:
        return self.filter(type__in=FREE_TYPES)

    def canonical(self) -> TagQuerySet:
        return self.filter(canonical=True)

    def unwrangled(self) -> TagQuerySet:
        """Free tags that are neither canonical nor a synonym: work for a wrangler."""
        return self.free().filter(canonical=False, synonym_of__isnull=True)

    def covered_by(self, tag: Tag) -> TagQuerySet:
        """The tags a filter on TAG includes, so that wrangling never rewrites a work.

        That is TAG's canonical tag and its synonyms; for a fandom also its sub-fandoms at any
        depth and their synonyms. An unwrangled tag covers only itself.
        """
        fandom = TagType.FANDOM.value
        # A constant query with bound parameters: nothing user-typed reaches the SQL text.
        covered = RawSQL(_COVERED_SQL, (tag.merger.pk, fandom, fandom))  # noqa: S611
        return self.filter(id__in=covered)

    def with_unwrangled_counts(self) -> TagQuerySet:
        """Fandoms, each with `unwrangled`: how many unwrangled characters, relationships and
        additional tags the posted works tagged with it (or a synonym of it) carry. Most first.
        """
        in_fandom = Q(taggings__work__taggings__tag=OuterRef("pk")) | Q(
            taggings__work__taggings__tag__synonym_of=OuterRef("pk")
        )
        counted = (
            Tag.objects.unwrangled()
            .exclude(type=TagType.FANDOM)
            .filter(in_fandom, taggings__work__is_draft=False)
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT", template="COUNT(DISTINCT %(expressions)s)"))
            .values("n")
        )
        return self.annotate(
            unwrangled=Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)
        ).order_by("-unwrangled", Lower("name"), "pk")

    def used_by(self, works: models.QuerySet[Any]) -> TagQuerySet:
        """Tags some of WORKS carry, themselves or through one of their synonyms (one pass
        over the works' taggings, whose tag ids the database keeps as a set)."""
        carried = Tag.works.through.objects.filter(work__in=works).values("tag_id")
        synonyms = Tag.objects.filter(pk__in=carried, synonym_of__isnull=False)
        return self.filter(Q(pk__in=carried) | Q(pk__in=synonyms.values("synonym_of_id")))

    def with_use_counts(self, works: models.QuerySet[Any]) -> TagQuerySet:
        """Each tag with `uses`: how many of WORKS carry it, most used first."""
        return (
            self.filter(taggings__work__in=works)
            .annotate(uses=Count("taggings__work", distinct=True))
            .order_by("-uses", Lower("name"), "pk")
        )


class Tag(models.Model):
    """A typed tag. A free tag is canonical, a synonym of one canonical tag, or unwrangled.

    `parents` are a character's or relationship's fandoms, or a fandom's parent fandoms
    (metatags); `characters` are a relationship's characters.
    """

    type = models.CharField(max_length=16, choices=TagType.choices)
    name = models.CharField(max_length=MAX_TAG_LENGTH, validators=[validate_tag_name])
    canonical = models.BooleanField(default=False)
    # Only a fandom's says anything (the Fandoms pages list canonical fandoms by medium).
    # The database's default too: the OTW dump's loader inserts rows with its own statements.
    media = models.CharField(
        max_length=32,
        choices=MediaType.choices,
        default=MediaType.UNCATEGORIZED,
        db_default=MediaType.UNCATEGORIZED,
    )
    synonym_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="synonyms"
    )
    parents = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="children")
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
        permissions = [("wrangle", _("Can wrangle tags"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return works_address(self.name, get_script_prefix())

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

    @property
    def is_fixed(self) -> bool:
        return self.type in FIXED_TYPES

    @property
    def state(self) -> str:
        if self.canonical:
            return "canonical"
        return "synonym" if self.synonym_of_id else "unwrangled"

    def family(self, works: models.QuerySet[Any] | Callable[[], models.QuerySet[Any]]) -> TagFamily:
        """What the tag page shows around a tag, one query per part that applies to its type.

        A fandom's characters and relationships come ranked by how many of WORKS carry them
        (or one of their synonyms). WORKS may be a function that makes them, called only then.
        """
        if self.synonym_of_id or self.is_fixed:
            return TagFamily()
        # Only canonical tags have children: sub-fandoms, characters, relationships.
        fandom = self.type == TagType.FANDOM and self.canonical
        children = list(self.children.all()) if fandom else []
        cast = [tag for tag in children if tag.type in CAST_TYPES and tag.canonical]
        return TagFamily(
            synonyms=list(self.synonyms.all()) if self.canonical else [],
            parents=list(self.parents.all()),
            sub_fandoms=[tag for tag in children if tag.type == TagType.FANDOM],
            cast=rank_by_works(cast, works() if callable(works) else works) if cast else [],
            characters=(list(self.characters.all()) if self.type == TagType.RELATIONSHIP else []),
            relationships=(
                list(self.relationships.all()) if self.type == TagType.CHARACTER else []
            ),
        )


CAST_TYPES = (TagType.CHARACTER, TagType.RELATIONSHIP)


@dataclass(frozen=True)
class Ranked:
    tag: Tag
    uses: int


def rank_by_works(tags: list[Tag], works: models.QuerySet[Any]) -> list[Ranked]:
    """TAGS (canonical), each with how many of WORKS carry the tag or a synonym of it.

    Most used first, then by name; one query whatever the number of tags.
    """
    if not tags:
        return []
    counts = dict(
        Tag.objects.filter(Q(pk__in=[tag.pk for tag in tags]) | Q(synonym_of__in=tags))
        .filter(taggings__work__in=works)
        .annotate(merged_into=Coalesce("synonym_of_id", "id"))
        .values("merged_into")
        .annotate(uses=Count("taggings__work", distinct=True))
        .values_list("merged_into", "uses")
    )
    ranked = [Ranked(tag, counts.get(tag.pk, 0)) for tag in tags]
    return sorted(ranked, key=lambda item: (-item.uses, item.tag.name.lower()))


@dataclass
class TagFamily:
    """A tag's synonyms, parents and children, as its page lists them. `cast` is a fandom's
    canonical characters and relationships, ranked by works."""

    synonyms: list[Tag] = field(default_factory=list)
    parents: list[Tag] = field(default_factory=list)
    sub_fandoms: list[Tag] = field(default_factory=list)
    cast: list[Ranked] = field(default_factory=list)
    characters: list[Tag] = field(default_factory=list)
    relationships: list[Tag] = field(default_factory=list)


class ChangeKind(models.TextChoices):
    CANONICAL = "canonical", "Made canonical"
    SYNONYM = "synonym", "Made a synonym"
    MERGE = "merge", "Merged"
    PARENTS = "parents", "Set fandoms"
    CHARACTERS = "characters", "Set characters"
    UNWRANGLE = "unwrangle", "Unwrangled"
    LOAD = "load", "Loaded from a file"
    UNDO = "undo", "Undid a change"


class WranglingChangeQuerySet(models.QuerySet["WranglingChange"]):
    def newest_first(self) -> WranglingChangeQuerySet:
        return self.select_related("tag", "user", "reverts__tag").order_by("-created_at", "-id")


class WranglingChange(models.Model):
    """One wrangling change: who, when, what, and every touched tag's state before and after.

    `before` and `after` map tag ids (as strings) to {"canonical", "synonym_of", "parents",
    "characters"}, so a change can be undone while the tags still look as it left them.
    """

    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="wrangling_changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wrangling_changes",
    )
    description = models.CharField(max_length=1000)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    reverts = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reverted_by"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WranglingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.description
