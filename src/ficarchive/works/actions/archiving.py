"""Works an archivist imports for their author (AO3's Open Doors), and what the author decides:
claim them, orphan them, remove them, or refuse that their works be imported again.

The archivist's own actions check the `import_for_others` permission. The author's are asked
by whoever holds the signed link the invitation mailed to the author's address
(`importing.claiming`): the link is the author's proof, so those take the author, not a user.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.accounts.standing import require_good_standing
from ficarchive.moderation.permissions import require
from ficarchive.search.actions import record_change
from ficarchive.works.actions.details import _require_creator
from ficarchive.works.archived import (
    ArchiveState,
    ExternalAuthor,
    ExternalAuthorName,
    ExternalCreatorship,
    normalise_email,
)
from ficarchive.works.models import Creatorship, Series, Work

if TYPE_CHECKING:
    from ficarchive.accounts.models import User

MAX_NAME = 100


def check_author(name: str, email: str) -> tuple[str, str]:
    """The external author's NAME and EMAIL as kept (trimmed; the address lower-cased), or a
    ValidationError naming the field and the reason: a missing name or address, a malformed
    address, or one whose owner asked that their works not be imported."""
    name, email = " ".join(name.split()), normalise_email(email)
    errors: dict[str, list[str]] = {}
    if not name:
        errors["author_name"] = [_("Give the name the author wrote under.")]
    elif len(name) > MAX_NAME:
        errors["author_name"] = [
            _("The author's name is longer than %(count)s characters.") % {"count": MAX_NAME}
        ]
    if not email:
        errors["author_email"] = [_("Give the author's email address, where they are invited.")]
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["author_email"] = [
                _("%(email)s is not an email address.") % {"email": repr(email)}
            ]
        else:
            if ExternalAuthor.objects.filter(email=email, do_not_import=True).exists():
                errors["author_email"] = [
                    _("The author at %(email)s asked that their works not be imported.")
                    % {"email": email}
                ]
    if errors:
        raise ValidationError(errors)
    return name, email


@transaction.atomic
def archive_work(user: User, work: Work, name: str, email: str) -> ExternalCreatorship:
    """Credit WORK, which USER (an archivist) imported, to its author NAME at EMAIL: its byline
    reads "NAME [archived by USER's pseud]" until the author decides. The importer invites the
    author once its batch is imported (`importing.actions.invite_external_authors`)."""
    require(user, "import_for_others")
    _require_creator(user, work)
    name, email = check_author(name, email)
    author, _ = ExternalAuthor.objects.get_or_create(email=email)
    author_name, _ = ExternalAuthorName.objects.get_or_create(author=author, name=name)
    external, _ = ExternalCreatorship.objects.get_or_create(
        work=work, name=author_name, defaults={"archivist": user}
    )
    work.creatorships.filter(pseud__user=user, accepted=True).update(archived_for=external)
    record_change([work.pk])
    return external


# --- what the author decides ---------------------------------------------------------------


def _waiting(author: ExternalAuthor) -> list[ExternalCreatorship]:
    return list(
        ExternalCreatorship.objects.filter(name__author=author, state=ArchiveState.WAITING)
        .select_related("work", "archivist")
        .select_for_update(of=("self",))  # the archivist is an outer join
    )


def _decided(external: ExternalCreatorship, state: str, now: datetime) -> None:
    external.state = state
    external.decided_at = now
    external.save(update_fields=["state", "decided_at"])


def _hand_over(external: ExternalCreatorship, pseud_id: int) -> None:
    """The work goes from the archivist to PSEUD, with its series."""
    archivist_pseuds = list(
        Creatorship.objects.filter(archived_for=external).values_list("pseud_id", flat=True)
    )
    Creatorship.objects.filter(archived_for=external).delete()
    Creatorship.objects.update_or_create(
        work=external.work, pseud_id=pseud_id, defaults={"accepted": True}
    )
    for series in Series.objects.filter(parts__work=external.work).distinct():
        series.creators.add(pseud_id)
        still = Creatorship.objects.filter(
            work__series_parts__series=series, pseud_id__in=archivist_pseuds
        )
        if not still.exists():
            series.creators.remove(*archivist_pseuds)


@transaction.atomic
def claim_archived_works(user: User, author: ExternalAuthor) -> list[Work]:
    """USER claims the works waiting for AUTHOR: USER's default pseud becomes their creator,
    the archivist leaves them, and the external credit is kept as claimed."""
    require_good_standing(user)
    if user.is_orphan_account:
        raise PermissionDenied("The orphan account cannot claim works.")
    now = timezone.now()
    waiting = _waiting(author)
    for external in waiting:
        _hand_over(external, user.default_pseud.pk)
        _decided(external, ArchiveState.CLAIMED, now)
    author.claimed_by = user
    author.save(update_fields=["claimed_by"])
    record_change([external.work_id for external in waiting])
    return [external.work for external in waiting]


@transaction.atomic
def orphan_archived_works(author: ExternalAuthor) -> list[Work]:
    """The works waiting for AUTHOR go to the orphan account: they stay on the archive, with
    neither the author's name nor the archivist's."""
    from ficarchive.accounts.actions import orphan_account

    orphan = orphan_account().default_pseud
    now = timezone.now()
    waiting = _waiting(author)
    names = {name.casefold() for name in author.names.values_list("name", flat=True)}
    for external in waiting:
        _hand_over(external, orphan.pk)
        _decided(external, ArchiveState.ORPHANED, now)
        _forget_names(external.work, names)
    record_change([external.work_id for external in waiting])
    return [external.work for external in waiting]


def _forget_names(work: Work, names: set[str]) -> None:
    """Take the author's NAMES off what the imported file said of the work's creators."""
    kept = [
        n.strip() for n in work.original_creators.split(",") if n.strip().casefold() not in names
    ]
    work.original_creators = ", ".join(kept)
    work.save(update_fields=["original_creators"])


@transaction.atomic
def remove_archived_works(author: ExternalAuthor) -> int:
    """Delete the works waiting for AUTHOR; how many."""
    ids = [external.work_id for external in _waiting(author)]
    Work.objects.filter(id__in=ids).delete()
    record_change(ids)  # after the delete: their documents go too
    return len(ids)


@transaction.atomic
def refuse_imports(author: ExternalAuthor) -> ExternalAuthor:
    """AUTHOR asks that their works not be imported again: archivists importing for their
    address are refused from now on."""
    author.do_not_import = True
    author.save(update_fields=["do_not_import"])
    return author
