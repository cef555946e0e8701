"""Every write to a reader's shelves: making, renaming, ordering and emptying them.

Shelves are private reading tools, as "marked for later" is: a suspended reader keeps them.
Each verb checks the shelf is the reader's (PermissionDenied), validates (ValidationError naming
the field) and writes in one transaction, the shelf's row locked so that two tabs moving works
at once leave the positions 1, 2, 3 … without gaps or twins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User
from ficarchive.social.actions.rules import require_readable
from ficarchive.social.models import Shelf, ShelfEntry
from ficarchive.works.models import Work

Ordered = TypeVar("Ordered", Shelf, ShelfEntry)

MAX_NAME = 100
MAX_DESCRIPTION = 2000


@dataclass
class ShelfDetails:
    name: str
    description: str = ""


def _own(user: User, shelf: Shelf) -> Shelf:
    """SHELF locked for this transaction, if it is USER's."""
    locked = Shelf.objects.select_for_update().filter(pk=shelf.pk).first()
    if locked is None or locked.user_id != user.pk:
        raise PermissionDenied(_("This shelf is not yours."))
    return locked


def _lock_reader(user: User) -> None:
    """The reader's row is the lock that keeps two new or moving shelves from taking one place."""
    User.objects.select_for_update().filter(pk=user.pk).first()


def _validate(user: User, details: ShelfDetails, shelf: Shelf | None) -> ShelfDetails:
    name = " ".join(details.name.split())
    description = details.description.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the shelf a name.")]
    elif len(name) > MAX_NAME:
        errors["name"] = [
            _("The name is %(count)s characters; the most is %(most)s.")
            % {"count": len(name), "most": MAX_NAME}
        ]
    else:
        twins = Shelf.objects.of_user(user).filter(name__iexact=name)
        if shelf is not None:
            twins = twins.exclude(pk=shelf.pk)
        if twins.exists():
            errors["name"] = [_("You already have a shelf called “%(name)s”.") % {"name": name}]
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = [
            _("The description is %(count)s characters; the most is %(most)s.")
            % {"count": len(description), "most": MAX_DESCRIPTION}
        ]
    if errors:
        raise ValidationError(errors)
    return ShelfDetails(name, description)


@transaction.atomic
def create_shelf(user: User, details: ShelfDetails) -> Shelf:
    """A new shelf, last among USER's."""
    _lock_reader(user)
    count = Shelf.objects.of_user(user).count()
    if count >= settings.SHELVES_PER_READER:
        raise ValidationError(
            {
                "name": [
                    _("You have %(count)s shelves, the most a reader may keep.") % {"count": count}
                ]
            }
        )
    clean = _validate(user, details, None)
    last = Shelf.objects.of_user(user).aggregate(last=Max("position"))["last"] or 0
    try:
        with transaction.atomic():
            return Shelf.objects.create(
                user=user, name=clean.name, description=clean.description, position=last + 1
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"name": [_("You already have a shelf called “%(name)s”.") % {"name": clean.name}]}
        ) from exc


@transaction.atomic
def update_shelf(user: User, shelf: Shelf, details: ShelfDetails) -> Shelf:
    shelf = _own(user, shelf)
    clean = _validate(user, details, shelf)
    shelf.name, shelf.description = clean.name, clean.description
    try:
        with transaction.atomic():
            shelf.save(update_fields=["name", "description", "updated_at"])
    except IntegrityError as exc:
        raise ValidationError(
            {"name": [_("You already have a shelf called “%(name)s”.") % {"name": clean.name}]}
        ) from exc
    return shelf


@transaction.atomic
def delete_shelf(user: User, shelf: Shelf) -> None:
    """The shelf and its list go; the works, and the reader's bookmarks of them, stay."""
    shelf = _own(user, shelf)
    shelf.delete()
    _renumber(Shelf.objects.of_user(user).in_order())


def _renumber(rows: Iterable[Ordered]) -> None:
    """Positions 1, 2, 3 … in the order given, writing only the rows that move."""
    changed: list[Ordered] = []
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            changed.append(row)
    if changed:
        type(changed[0])._default_manager.bulk_update(changed, ["position"])


def _moved(rows: list[Ordered], row_id: int, to: int) -> list[Ordered]:
    """ROWS with the one whose id is ROW_ID at place TO (from 1; clamped to the list)."""
    moving = next(row for row in rows if row.pk == row_id)
    rest: list[Ordered] = [row for row in rows if row.pk != row_id]
    place: int = min(max(to, 1), len(rows)) - 1
    rest.insert(place, moving)
    return rest


@transaction.atomic
def move_shelf(user: User, shelf: Shelf, to: int) -> None:
    """SHELF to place TO among USER's shelves (1 is first)."""
    _lock_reader(user)
    shelf = _own(user, shelf)
    _renumber(_moved(list(Shelf.objects.of_user(user).in_order()), shelf.pk, to))


@transaction.atomic
def add_to_shelf(user: User, shelf: Shelf, work: Work) -> ShelfEntry:
    """WORK at the end of SHELF (where it stays, if it is on it already)."""
    shelf = _own(user, shelf)
    require_readable(user, work)
    existing = ShelfEntry.objects.filter(shelf=shelf, work=work).first()
    if existing is not None:
        return existing
    count = shelf.entries.count()
    if count >= settings.WORKS_PER_SHELF:
        raise ValidationError(
            _("“%(shelf)s” holds %(count)s works, the most a shelf may hold.")
            % {"shelf": shelf.name, "count": count}
        )
    last = shelf.entries.aggregate(last=Max("position"))["last"] or 0
    entry = ShelfEntry.objects.create(shelf=shelf, work=work, position=last + 1)
    shelf.save(update_fields=["updated_at"])
    return entry


@transaction.atomic
def remove_from_shelf(user: User, shelf: Shelf, work_id: int) -> bool:
    """The work off SHELF, the rest closing up; False when it was not on it."""
    shelf = _own(user, shelf)
    removed, _rows = ShelfEntry.objects.filter(shelf=shelf, work_id=work_id).delete()
    if removed:
        _renumber(shelf.entries.in_order())
        shelf.save(update_fields=["updated_at"])
    return bool(removed)


@transaction.atomic
def move_on_shelf(user: User, shelf: Shelf, work_id: int, to: int) -> None:
    """The work to place TO on SHELF (1 is first; past the end is last)."""
    shelf = _own(user, shelf)
    entries = list(shelf.entries.in_order())
    if not any(entry.work_id == work_id for entry in entries):
        raise ValidationError(_("That work is not on “%(shelf)s”.") % {"shelf": shelf.name})
    entry_id = next(entry.pk for entry in entries if entry.work_id == work_id)
    _renumber(_moved(entries, entry_id, to))
    shelf.save(update_fields=["updated_at"])


@transaction.atomic
def arrange_shelf(user: User, shelf: Shelf, work_ids: list[int]) -> list[ShelfEntry]:
    """SHELF holds WORK_IDS in that order, and nothing else (the API's whole-list write).

    Works already on the shelf may stay whatever the reader may now see of them; new ones must
    be works the reader may read.
    """
    shelf = _own(user, shelf)
    if len(set(work_ids)) != len(work_ids):
        raise ValidationError({"works": [_("Each work may be on a shelf once.")]})
    if len(work_ids) > settings.WORKS_PER_SHELF:
        raise ValidationError(
            {
                "works": [
                    _("A shelf holds at most %(most)s works, not %(count)s.")
                    % {"most": settings.WORKS_PER_SHELF, "count": len(work_ids)}
                ]
            }
        )
    kept = {entry.work_id: entry for entry in shelf.entries.all()}
    new_ids = [work_id for work_id in work_ids if work_id not in kept]
    readable = set(
        Work.objects.visible_to(user).posted().filter(pk__in=new_ids).values_list("pk", flat=True)
    )
    unreadable = [work_id for work_id in new_ids if work_id not in readable]
    if unreadable:
        raise ValidationError(
            {
                "works": [
                    _("No work you may read has the id %(ids)s.")
                    % {"ids": ", ".join(str(work_id) for work_id in unreadable)}
                ]
            }
        )
    ShelfEntry.objects.filter(shelf=shelf).exclude(work_id__in=work_ids).delete()
    rows = [kept.get(work_id) or ShelfEntry(shelf=shelf, work_id=work_id) for work_id in work_ids]
    # Positions are free of a uniqueness rule, so new rows can take theirs straight away.
    for position, row in enumerate(rows, start=1):
        row.position = position
    ShelfEntry.objects.bulk_create([row for row in rows if row.pk is None])
    ShelfEntry.objects.bulk_update([row for row in rows if row.pk is not None], ["position"])
    shelf.save(update_fields=["updated_at"])
    return list(shelf.entries.in_order())


@transaction.atomic
def set_shelves_of(user: User, work: Work, shelf_ids: Iterable[int]) -> tuple[list[str], list[str]]:
    """WORK on exactly those of USER's shelves named by SHELF_IDS (added at their ends);
    returns the names of the shelves it joined and left."""
    wanted = set(shelf_ids)
    shelves = list(Shelf.objects.of_user(user).in_order())
    known = {shelf.pk for shelf in shelves}
    if wanted - known:
        raise PermissionDenied(_("This shelf is not yours."))
    holding = set(
        ShelfEntry.objects.filter(shelf__in=shelves, work=work).values_list("shelf_id", flat=True)
    )
    joined, left = [], []
    for shelf in shelves:
        if shelf.pk in wanted and shelf.pk not in holding:
            add_to_shelf(user, shelf, work)
            joined.append(shelf.name)
        elif shelf.pk in holding and shelf.pk not in wanted:
            remove_from_shelf(user, shelf, work.pk)
            left.append(shelf.name)
    return joined, left
