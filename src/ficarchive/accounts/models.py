"""Users, their pseuds (the names they post under) and their reading preferences."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

NAME_RULE = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_ ]{0,38}[A-Za-z0-9_]$|^[A-Za-z0-9]$",
    _("Use 1 to 40 letters, digits, underscores or spaces, starting with a letter or digit."),
)
USERNAME_RULE = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_]{2,39}$",
    _("Use 3 to 40 letters, digits or underscores, starting with a letter or digit."),
)
ORPHAN_ACCOUNT = "orphan_account"


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            gettext("%(value)s is not a known time zone.") % {"value": repr(value)}
        )


def username_is(username: str, field: str = "username") -> Exact:
    """A filter: FIELD is the user name USERNAME without regard to case, through the
    lower(username) unique index (Django's iexact compares with LIKE on SQLite, which scans
    the accounts and folds only ASCII letters)."""
    return Exact(Lower(field), Lower(Value(username)))


class User(AbstractUser):
    """An account. Preferences live here so every page has them without another query."""

    username = models.CharField(
        _("user name"),
        max_length=40,
        unique=True,
        validators=[USERNAME_RULE],
        help_text=_("3 to 40 letters, digits or underscores. It is your address on the archive."),
        error_messages={"unique": _("That user name is taken.")},
    )
    email = models.EmailField(_("email address"), unique=True)

    skip_adult_notice = models.BooleanField(
        _("Show me adult content without asking"),
        default=False,
        help_text=_("Skip the notice before works rated Mature, Explicit or Not Rated."),
    )
    hide_warnings = models.BooleanField(
        _("Hide archive warnings"),
        default=False,
        help_text=_("Warnings stay hidden until you choose to show them."),
    )
    hide_freeform = models.BooleanField(
        _("Hide additional tags"),
        default=False,
        help_text=_("Additional tags stay hidden until you choose to show them."),
    )
    view_full_work = models.BooleanField(
        _("Show the whole work by default"),
        default=False,
        help_text=_("Open multi-chapter works as one page instead of chapter by chapter."),
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    language = models.CharField(
        _("Interface language"),
        max_length=16,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Leave it empty to follow your browser's language."),
    )
    keep_history = models.BooleanField(
        _("Keep my reading history"),
        default=True,
        help_text=_("The works you open are listed in your history, which only you can see."),
    )
    hide_read_works = models.BooleanField(
        _("Hide works I have read"),
        default=False,
        help_text=_("Works in your reading history are left out of listings, searches and counts."),
    )
    hide_kudosed_works = models.BooleanField(
        _("Hide works I left kudos on"),
        default=False,
        help_text=_("Works you left kudos on are left out of listings, searches and counts."),
    )
    unread_inbox = models.PositiveIntegerField(
        default=0, editable=False, help_text="Unread inbox items, kept by the social app."
    )
    suspended_until = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Until then the account may log in and read but not write (moderation).",
    )
    suspension_reason = models.TextField(blank=True, editable=False)
    unacknowledged_warnings = models.PositiveIntegerField(
        default=0, editable=False, help_text="Moderators' warnings not yet acknowledged."
    )

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", args=[self.username])

    @property
    def default_pseud(self) -> Pseud:
        return self.pseuds.get(is_default=True)

    @property
    def is_orphan_account(self) -> bool:
        return self.username == ORPHAN_ACCOUNT


def is_admin(user: User | AnonymousUser) -> bool:
    """Archive admins (staff) may see hidden works and hide them."""
    return bool(user.is_authenticated and user.is_staff)


class PseudQuerySet(models.QuerySet["Pseud"]):
    def of(self, user: User) -> PseudQuerySet:
        return self.filter(user=user)

    def named(self, name: str) -> PseudQuerySet:
        return self.filter(name__iexact=name)

    def of_username(self, username: str) -> PseudQuerySet:
        """Pseuds of the account with this user name (any case), for addresses like /users/x."""
        return self.filter(username_is(username, "user__username"))


class Pseud(models.Model):
    """A name a user posts under. Every user has one default pseud named like the account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pseuds")
    name = models.CharField(max_length=40, validators=[NAME_RULE])
    description = models.TextField(blank=True, help_text=_("Shown on the pseud's page."))
    description_hidden = models.BooleanField(
        default=False,
        editable=False,
        help_text="Hidden by a moderator, or held as spam: shown to nobody but its owner.",
    )
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PseudQuerySet.as_manager()

    class Meta:
        ordering = ["-is_default", Lower("name")]
        constraints = [
            models.UniqueConstraint(F("user"), Lower("name"), name="pseud_name_unique_per_user"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="one_default_pseud_per_user",
            ),
        ]

    def __str__(self) -> str:
        return self.byline

    def get_absolute_url(self) -> str:
        return reverse("accounts:pseud", args=[self.user.username, self.name])

    @property
    def byline(self) -> str:
        """ "name (username)" as bylines show it, or just the name when the two agree."""
        if self.name.lower() == self.user.username.lower():
            return self.name
        return f"{self.name} ({self.user.username})"

    def is_editable_by(self, user: User | AnonymousUser) -> bool:
        """Only the account that owns a pseud may rename, describe or delete it."""
        return bool(user.is_authenticated and self.user_id == user.pk)


class BlockQuerySet(models.QuerySet["Block"]):
    def blocking(self, user: User | AnonymousUser, by: Iterable[int]) -> bool:
        """Whether any of the accounts `by` (ids) blocks this user."""
        if not user.is_authenticated:
            return False
        return self.filter(blocker_id__in=list(by), blocked_id=user.pk).exists()


class Block(models.Model):
    """The blocked account cannot comment on, reply to or leave kudos on the blocker's things."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocked_by")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocks {self.blocked}"


class MuteQuerySet(models.QuerySet["Mute"]):
    def muted_ids(self, user: User | AnonymousUser) -> models.QuerySet[Mute, int]:
        """Ids of the accounts this user mutes, as a subquery (empty for guests)."""
        if not user.is_authenticated:
            return self.none().values_list("muted_id", flat=True)
        return self.filter(muter_id=user.pk).values_list("muted_id", flat=True)


class Mute(models.Model):
    """The muted account's works and comments are hidden from the muter."""

    muter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="muted_by")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MuteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_unique"),
            models.CheckConstraint(condition=~Q(muter=F("muted")), name="mute_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.muter} mutes {self.muted}"


# --- standing filters: what a reader never wants listed (see accounts/filters.py) ----------


class HiddenTagQuerySet(models.QuerySet["HiddenTag"]):
    def of(self, user: User | AnonymousUser) -> HiddenTagQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)


class HiddenTag(models.Model):
    """A tag whose works (through its synonyms and, for a fandom, its sub-fandoms) a reader
    never wants listed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="hidden_tags")
    tag = models.ForeignKey("tags.Tag", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HiddenTagQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="hidden_tag_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} hides tag {self.tag_id}"


class HiddenWorkQuerySet(models.QuerySet["HiddenWork"]):
    def of(self, user: User | AnonymousUser) -> HiddenWorkQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)


class HiddenWork(models.Model):
    """A single work a reader never wants listed. It still opens by its address."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="hidden_works")
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HiddenWorkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="hidden_work_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} hides work {self.work_id}"
