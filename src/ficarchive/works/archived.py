"""Works an archivist imported for their author, who has no account here (yet): AO3's Open
Doors. The author is named by an email address and the names they wrote under; the work is
posted by the archivist and credited "Name [archived by Archivist]" until the author claims it
(it moves to their account), orphans it or removes it.

The archivist's `Creatorship` points at the `ExternalCreatorship` it stands in for while the
work waits (`Creatorship.archived_for`), so that a byline reads both in the query that reads
the creators, with no query more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from ficarchive.accounts.models import Pseud


def normalise_email(address: str) -> str:
    """An address as the archive keeps it: trimmed and lower-cased (so "Ann@Example.org" and
    "ann@example.org " are one author)."""
    return address.strip().lower()


class ExternalAuthor(models.Model):
    """Someone whose works an archivist imported, known by their email address."""

    email = models.EmailField(unique=True)
    do_not_import = models.BooleanField(
        default=False, help_text="They asked that their works not be imported again."
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.email


class ExternalAuthorName(models.Model):
    """A name an external author wrote under (one author may have several)."""

    author = models.ForeignKey(ExternalAuthor, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "name"], name="external_author_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ArchiveState(models.TextChoices):
    WAITING = "waiting", "Waiting for its author"
    CLAIMED = "claimed", "Claimed by its author"
    ORPHANED = "orphaned", "Orphaned by its author"


class ExternalCreatorship(models.Model):
    """A work imported for an external author by an archivist, and what became of it. The
    record stays once the author decides (claimed or orphaned); a removed work takes it along."""

    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, related_name="external_creatorships"
    )
    name = models.ForeignKey(
        ExternalAuthorName, on_delete=models.CASCADE, related_name="creatorships"
    )
    archivist = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=16, choices=ArchiveState.choices, default="waiting")
    invited_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work", "name"], name="external_creatorship_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.work_id} ({self.state})"


@dataclass(frozen=True)
class CreatorCredit:
    """One name of a byline: a creator's pseud, or an external author's name with the pseud
    of the archivist who imported the work for them."""

    pseud: Pseud
    archived_for: str = ""

    @property
    def text(self) -> str:
        """ "Pim Halloway [archived by Ada]", or the pseud's byline."""
        if self.archived_for:
            return f"{self.archived_for} [archived by {self.pseud.byline}]"
        return self.pseud.byline


def credit_of(creatorship: object) -> CreatorCredit:
    """The byline credit of an accepted `Creatorship` read with `CREDIT_RELATED`."""
    external = getattr(creatorship, "archived_for", None)
    pseud = creatorship.pseud  # type: ignore[attr-defined]
    return CreatorCredit(pseud, external.name.name if external is not None else "")


# What a creatorship query selects for bylines: the pseud's account and, for a work waiting for
# its author, the author's name.
CREDIT_RELATED = ("pseud__user", "archived_for__name")
