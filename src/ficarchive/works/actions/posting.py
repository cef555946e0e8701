"""Posting, editing and deleting works and their chapters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.accounts.models import Pseud
from ficarchive.moderation.permissions import may
from ficarchive.search.actions import record_change
from ficarchive.tags.actions import find_or_create_tags
from ficarchive.tags.models import Tag, TagType
from ficarchive.text.wordcount import count_words
from ficarchive.works.actions.details import (
    ChapterDetails,
    CreditDetails,
    WorkDetails,
    _form_field,
    _require_creator,
    _require_own_pseuds,
    rich_text,
    validate_chapter_details,
    validate_work_details,
)
from ficarchive.works.actions.holding import (
    chapter_text,
    check_posted_chapter,
    check_posted_work,
    hold_if_spam,
    require_not_held,
    work_front_text,
)
from ficarchive.works.actions.series import add_work_to_series, create_series
from ficarchive.works.models import (
    Chapter,
    Creatorship,
    Credit,
    CreditRole,
    ScheduledRelease,
    Series,
    Tagging,
    Work,
)

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


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
            errors.append(_("Each credit needs a name of 1 to 100 characters."))
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
        check_posted_work(user, work, body)
    return work


def _publish(work: Work, as_of: datetime | None = None) -> None:
    """Post WORK with its draft chapters, except those scheduled for after AS_OF (default:
    now; they post at their own time); schedules of what posts now end."""
    now = timezone.now()
    later = ScheduledRelease.objects.filter(
        work=work, post_at__gt=as_of or now, chapter__isnull=False
    )
    posting = work.chapters.filter(is_draft=True).exclude(id__in=later.values("chapter_id"))
    ScheduledRelease.objects.filter(work=work).exclude(id__in=later.values("id")).delete()
    posting.update(is_draft=False, published_at=now)
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
def post_draft_work(user: User, work: Work, *, as_of: datetime | None = None) -> Work:
    """Post a draft work and its draft chapters, but those scheduled for after AS_OF (default:
    now; the scheduler's time when it posts the work)."""
    _require_creator(user, work)
    locked = Work.objects.select_for_update().filter(pk=work.pk)  # the scheduled post waits
    if not work.is_draft or not locked.values_list("is_draft", flat=True).get():
        raise ValidationError(_("This work is already posted."))
    _publish(work, as_of)
    first = work.chapters.order_by("position").values_list("body", flat=True).first()
    check_posted_work(user, work, first or "")
    return work


def keep_original(
    user: User,
    work: Work,
    creators: Sequence[str],
    published: date | None = None,
    updated: date | None = None,
) -> Work:
    """Keep what an imported file says of the work's first life elsewhere: its CREATORS (those
    that are not one of USER's own pseuds) and its PUBLISHED and UPDATED dates there."""
    _require_creator(user, work)
    own = {name.casefold() for name in user.pseuds.values_list("name", flat=True)}
    own.add(user.username.casefold())
    others = [name.strip() for name in creators if name.strip().casefold() not in own]
    today = timezone.localdate()
    work.original_creators = ", ".join(dict.fromkeys(others))[:300]
    first = published if published and published <= today else None
    work.original_published = first
    work.original_updated = updated if first and updated and first <= updated <= today else None
    work.save(update_fields=["original_creators", "original_published", "original_updated"])
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
    require_not_held(work)
    validate_work_details(details, posted_chapters=work.chapter_count)
    shown_text = work_front_text(work)
    _apply_details(work, details)
    work.save()
    _set_tags(work, details)
    if not work.is_draft and work_front_text(work) != shown_text:
        hold_if_spam(user, work, work_front_text(work))
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
def add_chapter(
    user: User, work: Work, details: ChapterDetails, *, draft: bool = False, silent: bool = False
) -> Chapter:
    """Add a chapter at the end. Posting it bumps the work's updated date and tells the work's
    subscribers, unless SILENT (a fix or a back-filled chapter)."""
    _require_creator(user, work)
    require_not_held(work)
    body = validate_chapter_details(details)
    work = Work.objects.select_for_update().get(pk=work.pk)
    last = work.chapters.aggregate(last=Max("position"))["last"] or 0
    chapter = _new_chapter(work, details, body, position=last + 1)
    if not draft and not work.is_draft:
        chapter.is_draft = False
        chapter.published_at = timezone.now()
    chapter.save()
    _after_chapter_change(work, bump=not chapter.is_draft and not silent)
    if not chapter.is_draft:
        check_posted_chapter(user, chapter, tell_subscribers=not silent)
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
    require_not_held(chapter.work)
    body = validate_chapter_details(details)
    shown_text = chapter_text(chapter)
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
    shown = not chapter.is_draft and not chapter.work.is_draft
    if shown and chapter_text(chapter) != shown_text:
        hold_if_spam(user, chapter.work, chapter_text(chapter))
    return chapter


@transaction.atomic
def post_chapter(user: User, chapter: Chapter, *, silent: bool = False) -> Chapter:
    """Post a draft chapter of a posted work; the work's updated date moves to now and its
    subscribers hear of it, unless SILENT. A schedule the chapter had ends."""
    chapter.work = Work.objects.select_for_update().get(pk=chapter.work_id)
    _require_creator(user, chapter.work)
    require_not_held(chapter.work)
    if not chapter.is_draft:
        raise ValidationError(_("This chapter is already posted."))
    if chapter.work.is_draft:
        raise ValidationError(_("Post the work first; its chapters are posted with it."))
    chapter.is_draft = False
    chapter.published_at = timezone.now()
    chapter.save()
    ScheduledRelease.objects.filter(chapter=chapter).delete()
    _after_chapter_change(chapter.work, bump=not silent)
    check_posted_chapter(user, chapter, tell_subscribers=not silent)
    return chapter


@transaction.atomic
def delete_chapter(user: User, chapter: Chapter) -> None:
    work = chapter.work
    _require_creator(user, work)
    if work.chapters.count() == 1:
        raise ValidationError(_("A work needs at least one chapter; delete the work instead."))
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
