"""Moderators' changes to works: tags, hiding and showing again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from ficarchive.moderation.permissions import may, require
from ficarchive.search.actions import record_change
from ficarchive.tags.models import TagType
from ficarchive.works.actions.details import (
    WorkDetails,
    _require_creator,
    validate_work_details,
)
from ficarchive.works.actions.posting import _set_tags
from ficarchive.works.models import (
    Work,
)

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


# --- moderators (through `moderation.actions.content`, which writes the audit log) ---------


def tag_names_of(work: Work) -> dict[str, list[str]]:
    """The work's tag names by type, as `set_work_tags` takes them."""
    names: dict[str, list[str]] = {tag_type: [] for tag_type in WorkDetails("").tag_names()}
    for tag in sorted(work.tags.all(), key=lambda tag: tag.name.casefold()):
        names.setdefault(tag.type, []).append(tag.name)
    return names


@transaction.atomic
def set_work_tags(user: User, work: Work, names: dict[str, list[str]]) -> Work:
    """Change only a work's tags (NAMES by tag type, as `tag_names_of` gives them): its
    creators, or a moderator holding `edit_work_tags`."""
    if not may(user, "edit_work_tags"):
        _require_creator(user, work)
    details = WorkDetails(
        title=work.title,
        rating=(names.get(TagType.RATING) or [""])[0],
        warnings=list(names.get(TagType.WARNING, [])),
        categories=list(names.get(TagType.CATEGORY, [])),
        fandoms=list(names.get(TagType.FANDOM, [])),
        relationships=list(names.get(TagType.RELATIONSHIP, [])),
        characters=list(names.get(TagType.CHARACTER, [])),
        freeforms=list(names.get(TagType.FREEFORM, [])),
        language=work.language,
        expected_chapters=work.expected_chapters,
        comment_policy=work.comment_policy,
    )
    validate_work_details(details, posted_chapters=work.chapter_count)
    _set_tags(work, details)
    work.save(update_fields=["revised_at"])
    record_change([work.pk])
    return work


@transaction.atomic
def hide_work(admin: User, work: Work, reason: str = "") -> Work:
    require(admin, "hide_content")
    work.is_hidden = True
    work.hidden_reason = reason.strip()
    work.save(update_fields=["is_hidden", "hidden_reason", "revised_at"])
    record_change([work.pk])
    return work


@transaction.atomic
def unhide_work(admin: User, work: Work) -> Work:
    require(admin, "hide_content")
    work.is_hidden = False
    work.hidden_reason = ""
    work.save(update_fields=["is_hidden", "hidden_reason", "revised_at"])
    record_change([work.pk])
    return work


@transaction.atomic
def hide_works_of(user: User, reason: str) -> list[int]:
    """Hide every shown work USER is a creator of (a spam-ban: moderation checks who asks).
    Returns the ids it hid, so that `unhide_works` restores exactly those and leaves works
    hidden for other reasons as they are."""
    ids = sorted(
        set(
            Work.objects.filter(
                creatorships__pseud__user=user, creatorships__accepted=True, is_hidden=False
            ).values_list("pk", flat=True)
        )
    )
    Work.objects.filter(pk__in=ids).update(
        is_hidden=True, hidden_reason=reason.strip(), revised_at=timezone.now()
    )
    record_change(ids)
    return ids


@transaction.atomic
def unhide_works(work_ids: Sequence[int], reason: str) -> list[int]:
    """Show again the works `hide_works_of` hid with REASON (those still hidden for it: one a
    moderator hid again since, for another reason, stays hidden); returns their ids."""
    still = Work.objects.filter(pk__in=work_ids, is_hidden=True, hidden_reason=reason.strip())
    ids = list(still.values_list("pk", flat=True))
    Work.objects.filter(pk__in=ids).update(
        is_hidden=False, hidden_reason="", revised_at=timezone.now()
    )
    record_change(ids)
    return ids
