"""Every write to works, chapters, creators, credits and series goes through these verbs.

Each checks who may act (PermissionDenied), validates (ValidationError naming the field) and
writes in one transaction, so a failed edit leaves the archive as it was.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ficarchive.accounts.models import Pseud
from ficarchive.accounts.standing import require_good_standing
from ficarchive.moderation.permissions import may, require
from ficarchive.search.actions import record_change
from ficarchive.social import events as social_events
from ficarchive.tags.actions import find_or_create_tags
from ficarchive.tags.models import NOT_RATED, Tag, TagType
from ficarchive.text.formats import BodyFormat, render_body
from ficarchive.text.wordcount import count_words
from ficarchive.works.models import (
    LANGUAGES,
    Chapter,
    CommentPolicy,
    Creatorship,
    Credit,
    CreditRole,
    Series,
    SeriesPart,
    Tagging,
    Work,
)

if TYPE_CHECKING:
    from ficarchive.accounts.models import User

MAX_TITLE = 255
MAX_SUMMARY = 1250
MAX_NOTES = 5000
MAX_BODY = 510_000
MAX_TAGS_PER_TYPE = 75


@dataclass
class WorkDetails:
    """Everything about a work that its creators choose, as the posting form gives it."""

    title: str
    rating: str = NOT_RATED
    warnings: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    summary: str = ""
    begin_notes: str = ""
    end_notes: str = ""
    language: str = "en"
    expected_chapters: int | None = 1
    restricted: bool = False
    comment_policy: str = CommentPolicy.EVERYONE
    moderate_comments: bool = False

    def tag_names(self) -> dict[str, list[str]]:
        return {
            TagType.RATING: [self.rating] if self.rating else [],
            TagType.WARNING: self.warnings,
            TagType.CATEGORY: self.categories,
            TagType.FANDOM: self.fandoms,
            TagType.RELATIONSHIP: self.relationships,
            TagType.CHARACTER: self.characters,
            TagType.FREEFORM: self.freeforms,
        }


@dataclass
class ChapterDetails:
    body: str
    body_format: str = BodyFormat.HTML
    title: str = ""
    summary: str = ""
    begin_notes: str = ""
    end_notes: str = ""


@dataclass
class CreditDetails:
    role: str
    name: str


# --- validation --------------------------------------------------------------------------


def _check_length(errors: dict[str, list[str]], name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.setdefault(name, []).append(
            f"{name.replace('_', ' ').capitalize()} is {len(value):,} characters long; "
            f"the most is {limit:,}."
        )


def validate_work_details(details: WorkDetails, posted_chapters: int = 0) -> None:
    errors: dict[str, list[str]] = {}
    if not details.title.strip():
        errors["title"] = ["A work needs a title."]
    _check_length(errors, "title", details.title, MAX_TITLE)
    _check_length(errors, "summary", details.summary, MAX_SUMMARY)
    _check_length(errors, "begin_notes", details.begin_notes, MAX_NOTES)
    _check_length(errors, "end_notes", details.end_notes, MAX_NOTES)
    if not details.rating:
        errors["rating"] = ["Choose a rating."]
    if not details.warnings:
        errors["warnings"] = ["Choose at least one archive warning."]
    if not details.fandoms:
        errors["fandoms"] = ["Name at least one fandom."]
    if details.language not in dict(LANGUAGES):
        errors["language"] = [f"{details.language!r} is not a language the archive knows."]
    if details.comment_policy not in CommentPolicy.values:
        errors["comment_policy"] = [f"{details.comment_policy!r} is not a comment setting."]
    if details.expected_chapters is not None:
        if details.expected_chapters < 1:
            errors["expected_chapters"] = ["The expected number of chapters must be at least 1."]
        elif details.expected_chapters < posted_chapters:
            errors["expected_chapters"] = [
                f"The work already has {posted_chapters} posted chapters; "
                "expect at least that many."
            ]
    for key, names in details.tag_names().items():
        if len(names) > MAX_TAGS_PER_TYPE:
            errors.setdefault(_form_field(key), []).append(
                f"Use at most {MAX_TAGS_PER_TYPE} tags here, not {len(names)}."
            )
    if errors:
        raise ValidationError(errors)


def _form_field(tag_type: str) -> str:
    fields: dict[str, str] = {
        TagType.RATING: "rating",
        TagType.WARNING: "warnings",
        TagType.CATEGORY: "categories",
        TagType.FANDOM: "fandoms",
        TagType.RELATIONSHIP: "relationships",
        TagType.CHARACTER: "characters",
        TagType.FREEFORM: "freeforms",
    }
    return fields[tag_type]


def validate_chapter_details(details: ChapterDetails) -> str:
    """Check a chapter and return its sanitized body HTML."""
    errors: dict[str, list[str]] = {}
    _check_length(errors, "title", details.title, MAX_TITLE)
    _check_length(errors, "summary", details.summary, MAX_SUMMARY)
    _check_length(errors, "begin_notes", details.begin_notes, MAX_NOTES)
    _check_length(errors, "end_notes", details.end_notes, MAX_NOTES)
    _check_length(errors, "body", details.body, MAX_BODY)
    if details.body_format not in BodyFormat.values:
        errors["body_format"] = [f"{details.body_format!r} is not a text format."]
    if errors:
        raise ValidationError(errors)
    body = render_body(details.body, details.body_format)
    if not count_words(body) and "<img" not in body:
        raise ValidationError(
            {"body": ["The chapter text is empty (after removing unsafe markup)."]}
        )
    return body


def rich_text(value: str) -> str:
    """Summaries and notes: HTML or plain text, always sanitized."""
    return render_body(value, BodyFormat.HTML) if value.strip() else ""


# --- permissions -------------------------------------------------------------------------


def _require_creator(user: User, work: Work) -> None:
    if not work.is_editable_by(user):
        raise PermissionDenied("Only the work's creators may change it.")
    require_good_standing(user)


def _require_own_pseuds(user: User, pseuds: Sequence[Pseud]) -> None:
    if not pseuds:
        raise ValidationError({"pseuds": ["Post under at least one of your pseuds."]})
    if any(p.user_id != user.pk for p in pseuds):
        raise PermissionDenied("You can only post under your own pseuds.")
    require_good_standing(user)


# --- works -------------------------------------------------------------------------------


def _apply_details(work: Work, details: WorkDetails) -> None:
    work.title = details.title.strip()
    work.summary = rich_text(details.summary)
    work.begin_notes = rich_text(details.begin_notes)
    work.end_notes = rich_text(details.end_notes)
    work.language = details.language
    work.expected_chapters = details.expected_chapters
    work.restricted = details.restricted
    work.comment_policy = details.comment_policy
    work.moderate_comments = details.moderate_comments


def _set_tags(work: Work, details: WorkDetails) -> None:
    # Fandoms first: characters and relationships are resolved within the work's fandoms.
    typed = details.tag_names()
    order = [TagType.FANDOM, *(tag_type for tag_type in typed if tag_type != TagType.FANDOM)]
    tags: list[Tag] = []
    fandoms: list[Tag] = []
    for tag_type in order:
        try:
            found = find_or_create_tags(tag_type, typed[tag_type], fandoms=fandoms)
        except ValidationError as exc:
            raise ValidationError({_form_field(tag_type): exc.messages}) from exc
        if tag_type == TagType.FANDOM:
            fandoms = found
        tags.extend(found)
    wanted = {tag.pk for tag in tags}
    Tagging.objects.filter(work=work).exclude(tag_id__in=wanted).delete()
    existing = set(Tagging.objects.filter(work=work).values_list("tag_id", flat=True))
    Tagging.objects.bulk_create([Tagging(work=work, tag_id=t) for t in wanted - existing])


def _set_credits(work: Work, credits: Sequence[CreditDetails]) -> None:
    errors = []
    for credit in credits:
        if credit.role not in CreditRole.values:
            errors.append(f"{credit.role!r} is not a kind of credit.")
        if not credit.name.strip() or len(credit.name) > 100:
            errors.append("Each credit needs a name of 1 to 100 characters.")
    if errors:
        raise ValidationError({"credits": errors})
    work.credits.all().delete()
    Credit.objects.bulk_create(
        Credit(
            work=work,
            role=credit.role,
            name=credit.name.strip(),
            pseud=Pseud.objects.filter(user__username__iexact=credit.name.strip())
            .filter(is_default=True)
            .first(),
            position=index,
        )
        for index, credit in enumerate(credits)
    )


def _new_chapter(work: Work, details: ChapterDetails, body: str, position: int) -> Chapter:
    return Chapter(
        work=work,
        position=position,
        title=details.title.strip(),
        summary=rich_text(details.summary),
        begin_notes=rich_text(details.begin_notes),
        end_notes=rich_text(details.end_notes),
        body_source=details.body,
        body_format=details.body_format,
        body=body,
        word_count=count_words(body),
    )


@transaction.atomic
def post_work(
    user: User,
    pseuds: Sequence[Pseud],
    details: WorkDetails,
    chapter: ChapterDetails,
    *,
    draft: bool = False,
    credits: Sequence[CreditDetails] = (),
    series: Series | None = None,
    new_series: str = "",
) -> Work:
    """Create a work with its first chapter, posted at once or kept as a draft.

    It can go at the end of one of the user's series, or of a new series titled `new_series`.
    """
    _require_own_pseuds(user, pseuds)
    validate_work_details(details)
    body = validate_chapter_details(chapter)
    work = Work()
    _apply_details(work, details)
    work.is_draft = True
    work.save()
    for index, pseud in enumerate(pseuds):
        Creatorship.objects.create(work=work, pseud=pseud, accepted=True, position=index)
    _set_tags(work, details)
    _set_credits(work, credits)
    _new_chapter(work, chapter, body, position=1).save()
    if new_series.strip():
        try:
            series = create_series(user, new_series)
        except ValidationError as exc:
            raise ValidationError({"new_series": exc.messages}) from exc
    if series is not None:
        add_work_to_series(user, work, series)
    if not draft:
        _publish(work)
        _check_posted_work(user, work, body)
    return work


def _publish(work: Work) -> None:
    now = timezone.now()
    work.chapters.filter(is_draft=True).update(is_draft=False, published_at=now)
    work.is_draft = False
    work.published_at = work.published_at or now
    work.updated_at = now
    work.refresh_counts()
    work.save()
    _touch_series(work, now)
    record_change([work.pk])


def _touch_series(work: Work, when: object) -> None:
    Series.objects.filter(parts__work=work).update(updated_at=when)


@transaction.atomic
def post_draft_work(user: User, work: Work) -> Work:
    """Post a draft work and its draft chapters."""
    _require_creator(user, work)
    if not work.is_draft:
        raise ValidationError("This work is already posted.")
    _publish(work)
    first = work.chapters.order_by("position").values_list("body", flat=True).first()
    _check_posted_work(user, work, first or "")
    return work


# Why a work the spam check held is hidden, as its creators' banner shows it.
HELD_REASON = "Waiting for review"


def _check_posted_work(user: User, work: Work, body: str) -> None:
    """The spam check of a work just posted (its title, summary, notes and first chapter): a
    held work is hidden, waiting for review, and its subscribers hear of it only once it is
    released (`release_held_work`); others hear of it now."""
    from ficarchive.moderation.models import SpamState
    from ficarchive.moderation.spam import checking

    title = f"<p>{html.escape(work.title)}</p>"
    text = "\n".join([title, work.summary, work.begin_notes, work.end_notes, body])
    if checking.check(checking.WORK, work.pk, text, author=user).state != SpamState.HELD:
        transaction.on_commit(partial(social_events.work_posted, work.pk))
        return
    work.is_hidden = True
    work.hidden_reason = HELD_REASON
    work.save(update_fields=["is_hidden", "hidden_reason", "revised_at"])
    record_change([work.pk])


@transaction.atomic
def release_held_work(work: Work) -> Work:
    """Show a work the spam check held, found not to be spam in the spam queue (whose action,
    `moderation.actions.spam`, checks who asks); its subscribers hear of it now."""
    work = Work.objects.select_for_update().get(pk=work.pk)
    if not (work.is_hidden and work.hidden_reason == HELD_REASON):
        raise ValidationError("This work is not held for review.")
    work.is_hidden = False
    work.hidden_reason = ""
    work.save(update_fields=["is_hidden", "hidden_reason", "revised_at"])
    record_change([work.pk])
    transaction.on_commit(partial(social_events.work_posted, work.pk))
    return work


@transaction.atomic
def update_work(
    user: User,
    work: Work,
    details: WorkDetails,
    *,
    pseuds: Sequence[Pseud] | None = None,
    credits: Sequence[CreditDetails] | None = None,
) -> Work:
    """Change a work's details, tags, the editing creator's pseuds on it, and its credits."""
    _require_creator(user, work)
    validate_work_details(details, posted_chapters=work.chapter_count)
    _apply_details(work, details)
    work.save()
    _set_tags(work, details)
    if pseuds is not None:
        _require_own_pseuds(user, pseuds)
        mine = work.creatorships.filter(pseud__user=user)
        mine.exclude(pseud__in=pseuds).delete()
        for pseud in pseuds:
            Creatorship.objects.get_or_create(
                work=work, pseud=pseud, defaults={"accepted": True, "position": 99}
            )
    if credits is not None:
        _set_credits(work, credits)
    record_change([work.pk])
    return work


@transaction.atomic
def delete_work(user: User, work: Work) -> None:
    """Its creators delete a work, or a moderator holding `delete_content` (who goes through
    `moderation.actions.content.delete_work`, which keeps what was deleted in the audit log)."""
    if not may(user, "delete_content"):
        _require_creator(user, work)
    work_id = work.pk
    work.delete()
    record_change([work_id])  # after the delete: its text document goes too


# --- chapters ----------------------------------------------------------------------------


@transaction.atomic
def add_chapter(user: User, work: Work, details: ChapterDetails, *, draft: bool = False) -> Chapter:
    """Add a chapter at the end. Posting it bumps the work's updated date."""
    _require_creator(user, work)
    body = validate_chapter_details(details)
    work = Work.objects.select_for_update().get(pk=work.pk)
    last = work.chapters.aggregate(last=Max("position"))["last"] or 0
    chapter = _new_chapter(work, details, body, position=last + 1)
    if not draft and not work.is_draft:
        chapter.is_draft = False
        chapter.published_at = timezone.now()
    chapter.save()
    _after_chapter_change(work, bump=not chapter.is_draft)
    if not chapter.is_draft:
        transaction.on_commit(partial(social_events.chapter_posted, work.pk, chapter.pk))
    return chapter


def _after_chapter_change(work: Work, *, bump: bool) -> None:
    work.refresh_counts()
    if work.expected_chapters is not None and work.chapter_count > work.expected_chapters:
        work.expected_chapters = work.chapter_count
    if bump:
        work.updated_at = timezone.now()
        _touch_series(work, work.updated_at)
    work.save()
    record_change([work.pk])


@transaction.atomic
def update_chapter(user: User, chapter: Chapter, details: ChapterDetails) -> Chapter:
    _require_creator(user, chapter.work)
    body = validate_chapter_details(details)
    chapter.title = details.title.strip()
    chapter.summary = rich_text(details.summary)
    chapter.begin_notes = rich_text(details.begin_notes)
    chapter.end_notes = rich_text(details.end_notes)
    chapter.body_source = details.body
    chapter.body_format = details.body_format
    chapter.body = body
    chapter.word_count = count_words(body)
    chapter.save()
    _after_chapter_change(chapter.work, bump=False)
    return chapter


@transaction.atomic
def post_chapter(user: User, chapter: Chapter) -> Chapter:
    """Post a draft chapter of a posted work; the work's updated date moves to now."""
    _require_creator(user, chapter.work)
    if not chapter.is_draft:
        raise ValidationError("This chapter is already posted.")
    if chapter.work.is_draft:
        raise ValidationError("Post the work first; its chapters are posted with it.")
    chapter.is_draft = False
    chapter.published_at = timezone.now()
    chapter.save()
    _after_chapter_change(chapter.work, bump=True)
    transaction.on_commit(partial(social_events.chapter_posted, chapter.work_id, chapter.pk))
    return chapter


@transaction.atomic
def delete_chapter(user: User, chapter: Chapter) -> None:
    work = chapter.work
    _require_creator(user, work)
    if work.chapters.count() == 1:
        raise ValidationError("A work needs at least one chapter; delete the work instead.")
    chapter.delete()
    for position, remaining in enumerate(work.chapters.order_by("position"), start=1):
        if remaining.position != position:
            remaining.position = position
            remaining.save(update_fields=["position"])
    _after_chapter_change(work, bump=False)


@transaction.atomic
def reorder_chapters(user: User, work: Work, chapter_ids: Sequence[int]) -> None:
    """Put the work's chapters in the given order (every chapter exactly once)."""
    _require_creator(user, work)
    chapters = {c.pk: c for c in work.chapters.all()}
    if sorted(chapter_ids) != sorted(chapters):
        raise ValidationError("List every chapter of the work exactly once to reorder them.")
    # Two passes, so that no two chapters share a position at any moment.
    for chapter in chapters.values():
        chapter.position += len(chapters) + 1000
    Chapter.objects.bulk_update(chapters.values(), ["position"])
    for position, chapter_id in enumerate(chapter_ids, start=1):
        chapters[chapter_id].position = position
    Chapter.objects.bulk_update(chapters.values(), ["position"])


# --- co-creators -------------------------------------------------------------------------


@transaction.atomic
def invite_cocreator(user: User, work: Work, pseud: Pseud) -> Creatorship:
    """Invite another user's pseud; the work names them only once they accept."""
    _require_creator(user, work)
    if pseud.user_id == user.pk:
        raise ValidationError({"pseud": ["Add your own pseuds on the edit form instead."]})
    if pseud.user.is_orphan_account or not pseud.user.is_active:
        raise ValidationError({"pseud": [f"{pseud.byline} cannot be invited."]})
    creatorship, created = Creatorship.objects.get_or_create(
        work=work,
        pseud=pseud,
        defaults={"accepted": False, "invited_by": user, "position": 99},
    )
    if not created:
        raise ValidationError({"pseud": [f"{pseud.byline} is already invited or a creator."]})
    transaction.on_commit(partial(social_events.cocreator_invited, creatorship.pk))
    return creatorship


@transaction.atomic
def accept_cocreator_invite(user: User, creatorship: Creatorship) -> Creatorship:
    if creatorship.pseud.user_id != user.pk:
        raise PermissionDenied("This invitation is not yours.")
    require_good_standing(user)
    creatorship.accepted = True
    creatorship.save(update_fields=["accepted"])
    record_change([creatorship.work_id])
    return creatorship


@transaction.atomic
def decline_cocreator_invite(user: User, creatorship: Creatorship) -> None:
    if creatorship.pseud.user_id != user.pk or creatorship.accepted:
        raise PermissionDenied("This invitation is not yours to decline.")
    creatorship.delete()


@transaction.atomic
def remove_creator(user: User, creatorship: Creatorship) -> None:
    """Leave a work (or withdraw an invitation); the last creator must delete it instead."""
    work = creatorship.work
    _require_creator(user, work)
    if creatorship.accepted and work.creatorships.filter(accepted=True).count() == 1:
        raise ValidationError("A work needs a creator; delete or orphan it instead.")
    if creatorship.accepted and creatorship.pseud.user_id != user.pk:
        raise PermissionDenied("Only a creator can remove themselves from a work.")
    creatorship.delete()
    record_change([work.pk])  # after the delete: the work's document names who is left


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
def unhide_works(work_ids: Sequence[int]) -> list[int]:
    """Show again the works `hide_works_of` hid (those still hidden); returns their ids."""
    ids = list(Work.objects.filter(pk__in=work_ids, is_hidden=True).values_list("pk", flat=True))
    Work.objects.filter(pk__in=ids).update(
        is_hidden=False, hidden_reason="", revised_at=timezone.now()
    )
    record_change(ids)
    return ids


# --- series ------------------------------------------------------------------------------


@transaction.atomic
def create_series(user: User, title: str, summary: str = "", notes: str = "") -> Series:
    require_good_standing(user)
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        raise ValidationError(
            {"title": [f"A series needs a title of 1 to {MAX_TITLE} characters."]}
        )
    series = Series.objects.create(title=title, summary=rich_text(summary), notes=rich_text(notes))
    series.creators.add(user.default_pseud)
    return series


@transaction.atomic
def update_series(
    user: User, series: Series, title: str, summary: str, notes: str, is_complete: bool
) -> Series:
    if not series.is_editable_by(user):
        raise PermissionDenied("Only the series' creators may change it.")
    require_good_standing(user)
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        raise ValidationError(
            {"title": [f"A series needs a title of 1 to {MAX_TITLE} characters."]}
        )
    series.title = title
    series.summary = rich_text(summary)
    series.notes = rich_text(notes)
    series.is_complete = is_complete
    series.save()
    record_change(series.parts.values_list("work_id", flat=True), text=False)  # blurbs name it
    return series


@transaction.atomic
def add_work_to_series(
    user: User, work: Work, series: Series, position: int | None = None
) -> SeriesPart:
    """Put a work into a series at a position (default: the end); later parts move down."""
    _require_creator(user, work)
    if not series.is_editable_by(user):
        raise PermissionDenied("You can only add works to your own series.")
    if SeriesPart.objects.filter(series=series, work=work).exists():
        raise ValidationError({"series": [f"This work is already part of {series.title!r}."]})
    parts = list(series.parts.select_for_update().order_by("position"))
    if position is None or position > len(parts) + 1:
        position = len(parts) + 1
    if position < 1:
        raise ValidationError({"position": ["A position in a series starts at 1."]})
    for part in parts[position - 1 :]:
        part.position += 1
    SeriesPart.objects.bulk_update(parts, ["position"])
    for pseud in work.creators:
        if pseud.user_id == user.pk:
            series.creators.add(pseud)
    part = SeriesPart.objects.create(series=series, work=work, position=position)
    series.updated_at = timezone.now()
    series.save(update_fields=["updated_at"])
    record_change([work.pk, *(p.work_id for p in parts[position - 1 :])], text=False)
    if not work.is_draft:
        transaction.on_commit(partial(social_events.work_added_to_series, work.pk, series.pk))
    return part


@transaction.atomic
def remove_work_from_series(user: User, part: SeriesPart) -> None:
    _require_creator(user, part.work)
    series = part.series
    part.delete()
    moved = [part.work_id]
    for position, remaining in enumerate(series.parts.order_by("position"), start=1):
        if remaining.position != position:
            remaining.position = position
            remaining.save(update_fields=["position"])
            moved.append(remaining.work_id)
    record_change(moved, text=False)  # their blurbs say which part they are
    if not series.parts.exists():
        series.delete()


# --- when an account goes ----------------------------------------------------------------


@transaction.atomic
def orphan_works_of(user: User, orphan_pseud: Pseud) -> int:
    """Hand the user's works to the orphan account, so readers keep them. Returns the count."""
    mine = Creatorship.objects.filter(pseud__user=user, accepted=True)
    work_ids = list(mine.values_list("work_id", flat=True))
    for creatorship in mine.select_related("work"):
        Creatorship.objects.get_or_create(
            work=creatorship.work,
            pseud=orphan_pseud,
            defaults={"accepted": True, "position": creatorship.position},
        )
    Creatorship.objects.filter(pseud__user=user).delete()
    for series in Series.objects.filter(creators__user=user).distinct():
        series.creators.add(orphan_pseud)
    record_change(work_ids)
    return len(work_ids)


@transaction.atomic
def delete_works_of(user: User) -> int:
    """Delete the works the user made alone and leave the ones made with others."""
    mine = Creatorship.objects.filter(pseud__user=user, accepted=True).values("work_id")
    works = Work.objects.filter(id__in=mine)
    shared = (
        Creatorship.objects.filter(work__in=works, accepted=True)
        .exclude(pseud__user=user)
        .values("work_id")
    )
    alone = works.exclude(id__in=shared)
    changed = list(works.values_list("id", flat=True))
    count = alone.count()
    alone.delete()
    Creatorship.objects.filter(pseud__user=user).delete()
    record_change(changed)  # after the deletes: documents go, or lose the user's name
    return count
