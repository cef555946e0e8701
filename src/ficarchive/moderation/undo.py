"""Undoing audited actions: a registry of verb -> undo function.

An action whose effect can be taken back registers an undo function for its verb:

    @undo.registers("hide_work")
    def undo_hide_work(actor: User, entry: AuditEntry) -> AuditEntry: ...

The function checks ACTOR's permission itself (PermissionDenied), undoes what ENTRY did
(ValidationError if it no longer can), and returns the new audit entry it wrote with
`undoes=entry`. Register in a module of `moderation.actions` (each is imported before an undo
is looked up). The audit log page offers "Undo" for registered verbs not yet undone, and
`undo(actor, entry)` runs the function once: an entry is undone at most once."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ficarchive.moderation.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

UndoFunction = Callable[["User | AnonymousUser", AuditEntry], AuditEntry]

REGISTRY: dict[str, UndoFunction] = {}


def registers(verb: str) -> Callable[[UndoFunction], UndoFunction]:
    """Decorator: FUNCTION undoes the entries of VERB."""

    def register(function: UndoFunction) -> UndoFunction:
        REGISTRY[verb] = function
        return function

    return register


def undoable_verbs() -> frozenset[str]:
    _load()
    return frozenset(REGISTRY)


def can_be_undone(entry: AuditEntry) -> bool:
    """Whether the page offers Undo: the verb has an undo function and nothing undid ENTRY.
    (Read `undone_by` with `select_related("undone_by")` to keep a list at one query.)"""
    _load()
    return entry.verb in REGISTRY and not is_undone(entry)


def undo(actor: User | AnonymousUser, entry: AuditEntry) -> AuditEntry:
    """Undo ENTRY by its verb's function; ValidationError if it cannot be or already was."""
    _load()
    function = REGISTRY.get(entry.verb)
    if function is None:
        raise ValidationError(
            _("Entry #%(entry)s (%(action)s) cannot be undone.")
            % {"entry": entry.pk, "action": entry.verb}
        )
    try:
        with transaction.atomic():
            locked = AuditEntry.objects.select_for_update().get(pk=entry.pk)
            if AuditEntry.objects.filter(undoes=locked).exists():
                raise ValidationError(
                    _("Entry #%(entry)s was already undone.") % {"entry": entry.pk}
                )
            return function(actor, locked)
    except IntegrityError as exc:  # two undos at once: the second meets the unique `undoes`
        raise ValidationError(
            _("Entry #%(entry)s was already undone.") % {"entry": entry.pk}
        ) from exc


def is_undone(entry: AuditEntry) -> bool:
    """Whether a later entry undid ENTRY (no query if `undone_by` was selected with it)."""
    try:
        entry.undone_by  # noqa: B018 (reading the reverse one-to-one)
    except AuditEntry.DoesNotExist:
        return False
    return True


@functools.cache
def _load() -> None:
    """Import every module of `moderation.actions`, so each has registered its undo functions
    (an undo function elsewhere must be imported at start-up)."""
    from ficarchive.moderation import actions

    for module in pkgutil.iter_modules(actions.__path__):
        importlib.import_module(f"{actions.__name__}.{module.name}")
