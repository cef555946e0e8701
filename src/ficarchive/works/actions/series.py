"""Series: creating, editing, and adding and removing their works."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.accounts.standing import require_good_standing
from ficarchive.search.actions import record_change
from ficarchive.social import events as social_events
from ficarchive.works.actions.details import MAX_TITLE, _require_creator, rich_text
from ficarchive.works.models import (
    Series,
    SeriesPart,
    Work,
)

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


# --- series ------------------------------------------------------------------------------


@transaction.atomic
def create_series(user: User, title: str, summary: str = "", notes: str = "") -> Series:
    require_good_standing(user)
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        raise ValidationError(
            {
                "title": [
                    _("A series needs a title of 1 to %(count)s characters.") % {"count": MAX_TITLE}
                ]
            }
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
            {
                "title": [
                    _("A series needs a title of 1 to %(count)s characters.") % {"count": MAX_TITLE}
                ]
            }
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
        raise ValidationError(
            {
                "series": [
                    _("This work is already part of %(title)s.") % {"title": repr(series.title)}
                ]
            }
        )
    parts = list(series.parts.select_for_update().order_by("position"))
    if position is None or position > len(parts) + 1:
        position = len(parts) + 1
    if position < 1:
        raise ValidationError({"position": [_("A position in a series starts at 1.")]})
    for part in parts[position - 1 :]:
        part.position += 1
    SeriesPart.objects.bulk_update(parts, ["position"])
    for pseud in work.actual_creators:
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
