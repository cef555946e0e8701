"""Works, their chapters, who made them (creatorships and credits) and the series they form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ficarchive.accounts.models import ORPHAN_ACCOUNT, Mute, Pseud, is_admin
from ficarchive.moderation.permissions import held_by
from ficarchive.tags.models import ADULT_RATINGS, Tag, TagType
from ficarchive.text.formats import BodyFormat
from ficarchive.works.archived import (  # the archived works' models are this app's too
    CREDIT_RELATED,
    ArchiveState,  # noqa: F401
    CreatorCredit,
    ExternalAuthor,  # noqa: F401
    ExternalAuthorName,  # noqa: F401
    ExternalCreatorship,
    credit_of,
)
from ficarchive.works.scheduled import ScheduledRelease  # this app's model too
from ficarchive.works.series import (  # this app's models too
    Series,  # noqa: F401
    SeriesPart,
    SeriesQuerySet,  # noqa: F401
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

    AnyUser = User | AnonymousUser

LANGUAGES = [
    ("en", "English"), ("ar", "العربية"), ("bg", "Български"), ("ca", "Català"),
    ("cs", "Čeština"), ("da", "Dansk"), ("de", "Deutsch"), ("el", "Ελληνικά"),
    ("es", "Español"), ("fa", "فارسی"), ("fi", "Suomi"), ("fil", "Filipino"),
    ("fr", "Français"), ("he", "עברית"), ("hi", "हिन्दी"), ("hu", "Magyar"),
    ("id", "Bahasa Indonesia"), ("it", "Italiano"), ("ja", "日本語"), ("ko", "한국어"),
    ("nl", "Nederlands"), ("no", "Norsk"), ("pl", "Polski"), ("pt-BR", "Português brasileiro"),
    ("pt-PT", "Português europeu"), ("ro", "Română"), ("ru", "Русский"), ("sv", "Svenska"),
    ("th", "ไทย"), ("tr", "Türkçe"), ("uk", "Українська"), ("vi", "Tiếng Việt"),
    ("zh", "中文"),
]  # fmt: skip
LANGUAGE_NAMES = dict(LANGUAGES)
# AO3's names for our languages where they are not ours. AO3 tells the Chinese languages apart
# ("中文-普通话 國語", "中文-广东话 粵語", …); the archive has one, so any "中文-…" is "zh".
AO3_LANGUAGE_NAMES = {"ภาษาไทย": "th"}
_LANGUAGE_CODES = {
    **{code.lower(): code for code, _ in LANGUAGES},
    **{name.casefold(): code for code, name in LANGUAGES},
    **{name.casefold(): code for name, code in AO3_LANGUAGE_NAMES.items()},
}


def language_code(text: str) -> str | None:
    """The code of a language given by its code ("en", "pt-br") or its name as the archive or
    AO3 writes it ("English", "Español", "中文-普通话 國語"), without regard to case; None when
    it is not one of the archive's."""
    key = " ".join(text.split()).casefold()
    if key.startswith("中文"):
        return "zh"
    return _LANGUAGE_CODES.get(key)


# Why a work the spam check held is hidden, as its creators' banner shows it.
HELD_REASON = "Waiting for review"


class CommentPolicy(models.TextChoices):
    EVERYONE = "all", _("Everyone, including guests")
    REGISTERED = "registered", _("Registered users only")
    NOBODY = "none", _("Nobody")


def _kept_unrevealed(user: AnyUser) -> models.QuerySet[Any, int]:
    """The ids of works in unrevealed collections that USER keeps (owns or moderates), as a
    subquery: keepers read the works they approve before the reveal."""
    from django.apps import apps

    items = apps.get_model("collections", "CollectionItem").objects
    return items.filter(
        collection__is_unrevealed=True, collection__members__user_id=user.pk
    ).values("work_id")


class WorkQuerySet(models.QuerySet["Work"]):
    def posted(self) -> WorkQuerySet:
        return self.filter(is_draft=False)

    def by_user(self, user: AnyUser) -> WorkQuerySet:
        """Works the user co-creates (accepted invitations only)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            id__in=Creatorship.objects.filter(pseud__user=user, accepted=True).values("work_id")
        )

    def by_pseud(self, pseud: Pseud) -> WorkQuerySet:
        return self.filter(
            id__in=Creatorship.objects.filter(pseud=pseud, accepted=True).values("work_id")
        )

    def visible_to(self, user: AnyUser) -> WorkQuerySet:
        """The works this user may open: the one place the visibility rule lives.

        Everyone sees posted works that are not hidden; guests do not see restricted ones.
        Creators also see their own drafts and hidden works; admins and the moderators who may hide
        works (`moderation.hide_content`) see every posted work.
        """
        if not user.is_authenticated:
            return self.filter(
                is_draft=False, is_hidden=False, restricted=False, in_unrevealed_collection=False
            )
        rule = Q(is_draft=False, is_hidden=False, in_unrevealed_collection=False)
        if is_admin(user):
            rule |= Q(is_draft=False)
        else:  # asked inside this query: no permission query for an ordinary reader
            rule |= Q(held_by(user, "hide_content"), is_draft=False)
            rule |= Q(is_draft=False, is_hidden=False, id__in=_kept_unrevealed(user))
        own = Creatorship.objects.filter(pseud__user=user, accepted=True).values("work_id")
        return self.filter(rule | Q(id__in=own))

    def bylined_for(self, reader: AnyUser) -> WorkQuerySet:
        """Leave out the works whose byline READER may not see (in an anonymous collection
        until its reveal), but for READER's own: for listings of one creator's works."""
        if not reader.is_authenticated:
            return self.filter(in_anonymous_collection=False)
        own = Creatorship.objects.filter(pseud__user=reader, accepted=True).values("work_id")
        return self.filter(Q(in_anonymous_collection=False) | Q(id__in=own))

    def public(self) -> WorkQuerySet:
        """Works a guest may open and anyone may share: posted, not hidden (nor held), not
        restricted, and by no banned account (an inactive one, the orphan account aside). The
        sitemap lists them; link previews describe only them (`Work.is_public`)."""
        banned = (
            Creatorship.objects.filter(accepted=True, pseud__user__is_active=False)
            .exclude(pseud__user__username=ORPHAN_ACCOUNT)
            .values("work_id")
        )
        return self.filter(
            is_draft=False, is_hidden=False, restricted=False, in_unrevealed_collection=False
        ).exclude(id__in=banned)

    def creator_ids(self) -> models.QuerySet[Creatorship, int]:
        """The ids of the accounts that made these works (accepted creators), as a subquery."""
        return Creatorship.objects.filter(work__in=self, accepted=True).values_list(
            "pseud__user_id", flat=True
        )

    def tagged(self, tag: Tag) -> WorkQuerySet:
        """Works found under this tag: tagged with its canonical tag or any synonym of it, and
        for a fandom with any of its sub-fandoms at any depth (or their synonyms).

        The tags are followed at query time, so wrangling shows at once without touching works.
        """
        covered = Tag.objects.covered_by(tag)
        return self.filter(id__in=Tagging.objects.filter(tag__in=covered).values("work_id"))

    def listed_for(self, user: AnyUser) -> WorkQuerySet:
        """Works for listings: visible, posted, not hidden, not left out by the reader's
        standing filters, newest update first. Every listing and its counts start here."""
        return (
            self.visible_to(user)
            .not_filtered_out_by(user)
            .filter(is_draft=False, is_hidden=False)
            .order_by("-updated_at", "-id")
        )

    def not_filtered_out_by(self, user: AnyUser) -> WorkQuerySet:
        """Leave out the works this reader's standing filters hide (accounts/filters.py): hidden
        tags, muted creators, hidden works, and read or kudosed works if asked. No extra query."""
        from ficarchive.accounts.filters import hidden_work_ids

        hidden = hidden_work_ids(user)
        return self if hidden is None else self.exclude(id__in=hidden)

    def not_muted_by(self, user: AnyUser) -> WorkQuerySet:
        """Leave out works made by accounts this user mutes."""
        if not user.is_authenticated:
            return self
        muted = Creatorship.objects.filter(pseud__user__in=Mute.objects.muted_ids(user))
        return self.exclude(id__in=muted.values("work_id"))

    def with_drafts(self) -> WorkQuerySet:
        """Draft works and works with draft chapters, each with `draft_chapters` prefetched."""
        drafts = (
            Chapter.objects.filter(is_draft=True).order_by("position").defer("body", "body_source")
        )
        return self.filter(Q(is_draft=True) | Q(id__in=drafts.values("work_id"))).prefetch_related(
            models.Prefetch("chapters", queryset=drafts, to_attr="draft_chapters")
        )

    def with_blurb_data(self, tags: bool = True) -> WorkQuerySet:
        """Everything a work blurb shows, in a fixed number of queries; without the tags if
        TAGS is false, for `read_tags_into` to read them faster."""
        return self.select_related("stats").prefetch_related(
            *(["tags"] if tags else []),
            models.Prefetch(
                "creatorships",
                queryset=Creatorship.objects.filter(accepted=True).select_related(*CREDIT_RELATED),
                to_attr="accepted_creatorships",
            ),
            models.Prefetch(
                "series_parts",
                queryset=SeriesPart.objects.select_related("series"),
            ),
        )


def read_tags_into(works: Iterable[Work]) -> None:
    """Read the tags of WORKS in one query, as plain rows, and leave them on each work as
    `read_tags` (what `all_tags` gives). One Tag object per tag however many works share it:
    a third of the time of prefetching `tags`, which makes a Tag object per tagging."""
    by_id = {work.pk: work for work in works}
    found: dict[int, list[Tag]] = {work_id: [] for work_id in by_id}
    made: dict[int, Tag] = {}
    rows = Tagging.objects.filter(work_id__in=list(by_id)).order_by(
        "work_id",
        "tag__type",
        Lower("tag__name"),  # as Tag's own ordering
    )
    for work_id, tag_id, name, tag_type, canonical, synonym_of in rows.values_list(
        "work_id", "tag_id", "tag__name", "tag__type", "tag__canonical", "tag__synonym_of_id"
    ):
        tag = made.get(tag_id)
        if tag is None:
            tag = made[tag_id] = Tag(
                id=tag_id, name=name, type=tag_type, canonical=canonical, synonym_of_id=synonym_of
            )
        found[work_id].append(tag)
    for work_id, tags in found.items():
        by_id[work_id].read_tags = tags


class Work(models.Model):
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    begin_notes = models.TextField(blank=True)
    end_notes = models.TextField(blank=True)
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en")
    tags: models.ManyToManyField[Tag, Tagging] = models.ManyToManyField(
        Tag, through="Tagging", related_name="works"
    )

    word_count = models.PositiveIntegerField(default=0, editable=False)
    chapter_count = models.PositiveIntegerField(default=0, editable=False)
    expected_chapters = models.PositiveIntegerField(
        null=True, blank=True, help_text="Leave empty if you do not know yet."
    )

    is_draft = models.BooleanField(default=True)
    restricted = models.BooleanField("Only show to registered users", default=False)
    comment_policy = models.CharField(
        "Who may comment",
        max_length=16,
        choices=CommentPolicy.choices,
        default=CommentPolicy.EVERYONE,
    )
    moderate_comments = models.BooleanField("Comments wait for my approval", default=False)
    is_hidden = models.BooleanField(default=False, editable=False)
    hidden_reason = models.TextField(blank=True, editable=False)
    # Kept by `collections.revealing` from the work's collections: until their reveal, an
    # unrevealed collection's works are seen only by their creators and the collection's
    # keepers, and an anonymous collection's works are by "Anonymous".
    in_unrevealed_collection = models.BooleanField(default=False, editable=False)
    in_anonymous_collection = models.BooleanField(default=False, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    revised_at = models.DateTimeField(auto_now=True)
    # What an imported file says of the work's first life elsewhere: its creators (as the file
    # names them, other than the importer's own pseuds) and its dates there.
    original_creators = models.CharField(max_length=300, blank=True, editable=False)
    original_published = models.DateField(null=True, blank=True, editable=False)
    original_updated = models.DateField(null=True, blank=True, editable=False)

    objects = WorkQuerySet.as_manager()
    read_tags: list[Tag] | None = None  # see `read_tags_into`

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["is_draft", "is_hidden", "-updated_at", "-id"]),
            # The few works waiting for a collection's reveal, found without reading the rest:
            # every listing asks whether the reader may see any (`search.listings`).
            models.Index(
                fields=["id"], condition=Q(in_unrevealed_collection=True), name="work_unrevealed"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:detail", args=[self.pk])

    # --- who may do what -------------------------------------------------------------------
    def is_visible_to(self, user: AnyUser) -> bool:
        return Work.objects.visible_to(user).filter(pk=self.pk).exists()

    def is_editable_by(self, user: AnyUser) -> bool:
        return bool(
            user.is_authenticated
            and self.creatorships.filter(pseud__user=user, accepted=True).exists()
        )

    @property
    def is_public(self) -> bool:
        """`Work.objects.public()` for this row: no query when its creators were prefetched
        (`with_blurb_data`)."""
        if self.is_draft or self.is_hidden or self.restricted or self.in_unrevealed_collection:
            return False
        return all(p.user.is_active or p.user.is_orphan_account for p in self.creators)

    # --- derived --------------------------------------------------------------------------
    @property
    def is_held(self) -> bool:
        """Held by the spam check until a moderator decides it in the spam queue."""
        return self.is_hidden and self.hidden_reason == HELD_REASON

    @property
    def schedule(self) -> ScheduledRelease | None:
        """When this draft posts itself, if its creators scheduled it (one query)."""
        return ScheduledRelease.objects.of(self)

    @property
    def is_complete(self) -> bool:
        return self.expected_chapters is not None and self.chapter_count >= self.expected_chapters

    @property
    def language_name(self) -> str:
        """The language's own name ("Deutsch"), or its code if unknown: `get_language_display()`
        without rebuilding the choices on each call."""
        return LANGUAGE_NAMES.get(self.language, self.language)

    @property
    def chapters_display(self) -> str:
        """ "3/?" while the total is unknown, "3/10" once it is."""
        total = "?" if self.expected_chapters is None else str(self.expected_chapters)
        return f"{self.chapter_count}/{total}"

    @property
    def all_tags(self) -> list[Tag]:
        """The work's tags: as `read_tags_into` left them, else through `tags.all()` (which
        uses the prefetch of `with_blurb_data()` when there is one)."""
        return self.read_tags if self.read_tags is not None else list(self.tags.all())

    def _tags_of(self, tag_type: str) -> list[Tag]:
        return [tag for tag in self.all_tags if tag.type == tag_type]

    @property
    def rating(self) -> Tag | None:
        ratings = self._tags_of(TagType.RATING)
        return ratings[0] if ratings else None

    @property
    def warnings(self) -> list[Tag]:
        return self._tags_of(TagType.WARNING)

    @property
    def categories(self) -> list[Tag]:
        return self._tags_of(TagType.CATEGORY)

    @property
    def fandoms(self) -> list[Tag]:
        return self._tags_of(TagType.FANDOM)

    @property
    def relationships(self) -> list[Tag]:
        return self._tags_of(TagType.RELATIONSHIP)

    @property
    def characters(self) -> list[Tag]:
        return self._tags_of(TagType.CHARACTER)

    @property
    def freeforms(self) -> list[Tag]:
        return self._tags_of(TagType.FREEFORM)

    @property
    def is_adult(self) -> bool:
        rating = self.rating
        return rating is None or rating.name in ADULT_RATINGS

    @property
    def creators(self) -> list[Pseud]:
        """The byline's pseuds, in order: none while the work is anonymous (`creator_credits`)."""
        return [credit.pseud for credit in self.creator_credits]

    @property
    def creator_credits(self) -> list[CreatorCredit]:
        """The byline as readers see it, name by name: none ("Anonymous") while the work is in
        an anonymous collection, else `actual_credits`. Every page, feed, download and API
        answer names creators through it."""
        if self.in_anonymous_collection:
            return []
        return self.actual_credits

    @property
    def actual_creators(self) -> list[Pseud]:
        """Accepted creators' pseuds, anonymous or not: for the creators' own pages, the
        moderators, and writes (series, co-creators)."""
        return [credit.pseud for credit in self.actual_credits]

    @property
    def actual_credits(self) -> list[CreatorCredit]:
        """Each accepted creator's pseud, with the external author's name on the archivist's
        while an imported work waits for its author (`archived`); uses the blurb prefetch when
        present."""
        if hasattr(self, "accepted_creatorships"):
            return [credit_of(c) for c in self.accepted_creatorships]
        accepted = self.creatorships.filter(accepted=True).select_related(*CREDIT_RELATED)
        return [credit_of(c) for c in accepted]

    @property
    def byline_text(self) -> str:
        """The byline as plain text: "Pim [archived by Ada], Bob", or "Anonymous"."""
        return ", ".join(credit.text for credit in self.creator_credits) or gettext("Anonymous")

    def posted_chapters(self) -> models.QuerySet[Chapter]:
        return self.chapters.filter(is_draft=False).order_by("position")

    def chapters_visible_to(self, user: AnyUser) -> models.QuerySet[Chapter]:
        if self.is_editable_by(user):
            return self.chapters.order_by("position")
        return self.posted_chapters()

    def refresh_counts(self) -> None:
        """Recompute word and chapter counts from the posted chapters."""
        posted = self.chapters.filter(is_draft=False)
        self.word_count = posted.aggregate(total=Sum("word_count"))["total"] or 0
        self.chapter_count = posted.count()


class Tagging(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="taggings")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="tagging_unique")]
        # A tag's works from the index alone: tag pages, hidden tags, the search index build.
        indexes = [models.Index(fields=["tag", "work"], name="tagging_tag_work")]

    def __str__(self) -> str:
        return f"{self.tag} on {self.work_id}"


class Chapter(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True)
    begin_notes = models.TextField(blank=True)
    end_notes = models.TextField(blank=True)
    body_source = models.TextField()
    body_format = models.CharField(
        max_length=16, choices=BodyFormat.choices, default=BodyFormat.HTML
    )
    body = models.TextField(help_text="Sanitized HTML rendered from the source.")
    word_count = models.PositiveIntegerField(default=0)
    is_draft = models.BooleanField(default=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revised_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["work", "position"]
        constraints = [
            models.UniqueConstraint(fields=["work", "position"], name="chapter_position_unique"),
        ]

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("works:chapter", args=[self.work_id, self.pk])

    @property
    def heading(self) -> str:
        """The heading chapters read under: "Chapter 2: The Storm"."""
        return (
            gettext("Chapter %(number)s: %(title)s")
            % {"number": self.position, "title": self.title}
            if self.title
            else gettext("Chapter %(number)s") % {"number": self.position}
        )


class CreatorshipQuerySet(models.QuerySet["Creatorship"]):
    def invitations_for(self, user: AnyUser) -> CreatorshipQuerySet:
        """The user's pending co-creator invitations, newest first."""
        if not user.is_authenticated:
            return self.none()
        return (
            self.filter(pseud__user=user, accepted=False)
            .select_related("work", "pseud__user", "invited_by")
            .order_by("-created_at", "-id")
        )


class Creatorship(models.Model):
    """A pseud's part in a work. Invited co-creators count once they accept."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="creatorships")
    accepted = models.BooleanField(default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # An archivist's creatorship of a work imported for its author, while it waits for them.
    archived_for = models.ForeignKey(
        ExternalCreatorship, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CreatorshipQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="creatorship_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.pseud} on {self.work}"


class CreditRole(models.TextChoices):
    BETA = "beta", _("Beta reader")
    TRANSLATOR = "translator", _("Translator")
    ARTIST = "artist", _("Artist")
    ORIGINAL_AUTHOR = "original_author", _("Original author")


class Credit(models.Model):
    """Somebody who helped, named with or without an account on the archive."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=20, choices=CreditRole.choices)
    name = models.CharField(max_length=100)
    pseud = models.ForeignKey(
        Pseud, null=True, blank=True, on_delete=models.SET_NULL, related_name="credits"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["role", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"
