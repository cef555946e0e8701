"""Every write to collections: making and changing them, their members, and their works.

Each verb checks who may act (PermissionDenied), validates (ValidationError naming the field)
and writes in one transaction. Making collections and adding works are writes a suspended
account may not make.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User
from ficarchive.accounts.standing import require_good_standing
from ficarchive.collections import revealing
from ficarchive.collections.models import (
    Approval,
    Collection,
    CollectionBookmark,
    CollectionItem,
    CollectionMember,
    Role,
)
from ficarchive.text.formats import BodyFormat, render_body

if TYPE_CHECKING:
    from ficarchive.social.models import Bookmark
    from ficarchive.works.models import Work

NAME = re.compile(r"^[a-z0-9][a-z0-9_]{2,59}$")
RESERVED_NAMES = {"new"}
MAX_TITLE = 200
MAX_TEXT = 20_000


@dataclass
class CollectionDetails:
    name: str
    title: str
    summary: str = ""
    rules: str = ""
    is_open: bool = True
    is_moderated: bool = False
    is_anonymous: bool = False
    is_unrevealed: bool = False
    reveal_at: datetime | None = None
    parent: str = ""  # the parent collection's name, for a sub-collection


def _validate(
    user: User, details: CollectionDetails, collection: Collection | None
) -> CollectionDetails:
    name = details.name.strip().lower()
    title = " ".join(details.title.split())
    errors: dict[str, list[str]] = {}
    if not NAME.match(name) or name in RESERVED_NAMES:
        errors["name"] = [
            _(
                "A name is 3 to 60 lowercase letters, digits and underscores, starting with a "
                "letter or digit (and not “new”)."
            )
        ]
    elif (
        Collection.objects.filter(name=name)
        .exclude(pk=collection.pk if collection is not None else 0)
        .exists()
    ):
        errors["name"] = [_("The name “%(name)s” is taken.") % {"name": name}]
    if not title:
        errors["title"] = [_("Give the collection a title.")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("A title is at most %(most)s characters.") % {"most": MAX_TITLE}]
    for field in ("summary", "rules"):
        if len(getattr(details, field)) > MAX_TEXT:
            errors[field] = [_("At most %(most)s characters.") % {"most": f"{MAX_TEXT:,}"}]
    reveal_at = details.reveal_at
    if reveal_at is not None and not (details.is_anonymous or details.is_unrevealed):
        errors["reveal_at"] = [
            _("A reveal time is for an anonymous or unrevealed collection: tick one, or clear it.")
        ]
    elif (
        reveal_at is not None
        and reveal_at <= timezone.now()
        and (collection is None or collection.reveal_at != reveal_at)
    ):
        errors["reveal_at"] = [_("The reveal time has passed: choose a later one.")]
    parent_name = details.parent.strip().lower()
    if parent_name:
        errors.update(_parent_problems(user, parent_name, name, collection))
    if errors:
        raise ValidationError(errors)
    return replace(details, name=name, title=title, parent=parent_name)


def _parent_problems(
    user: User, parent_name: str, name: str, collection: Collection | None
) -> dict[str, list[str]]:
    """Why the collection PARENT_NAME may not be this one's parent, if it may not: it must
    exist, be kept by USER, and have no parent itself; a collection with sub-collections is
    not one itself."""
    parent = Collection.objects.filter(name=parent_name).first()
    if parent is None:
        return {"parent": [_("No collection is called “%(name)s”.") % {"name": parent_name}]}
    if parent_name == name or (collection is not None and parent.pk == collection.pk):
        return {"parent": [_("A collection is not its own parent.")]}
    if parent.parent_id is not None:
        return {"parent": [_("“%(title)s” is a sub-collection itself.") % {"title": parent.title}]}
    if collection is not None and collection.children.exists():
        return {"parent": [_("This collection has sub-collections: it cannot be one.")]}
    if not parent.is_kept_by(user):
        return {"parent": [_("Only the owners and moderators of “%(title)s” may add to it.")
                           % {"title": parent.title}]}  # fmt: skip
    return {}


def _parent_of(details: CollectionDetails) -> Collection | None:
    return Collection.objects.filter(name=details.parent).first() if details.parent else None


def _html(text: str) -> str:
    return render_body(text, BodyFormat.HTML) if text.strip() else ""


@transaction.atomic
def create_collection(user: User, details: CollectionDetails) -> Collection:
    """A new collection with USER as its owner."""
    require_good_standing(user)
    clean = _validate(user, details, None)
    try:
        with transaction.atomic():
            collection = Collection.objects.create(
                name=clean.name,
                title=clean.title,
                summary=_html(clean.summary),
                rules=_html(clean.rules),
                is_open=clean.is_open,
                is_moderated=clean.is_moderated,
                is_anonymous=clean.is_anonymous,
                is_unrevealed=clean.is_unrevealed,
                reveal_at=clean.reveal_at,
                parent=_parent_of(clean),
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"name": [_("The name “%(name)s” is taken.") % {"name": clean.name}]}
        ) from exc
    CollectionMember.objects.create(collection=collection, user=user, role=Role.OWNER)
    return collection


@transaction.atomic
def update_collection(user: User, collection: Collection, details: CollectionDetails) -> Collection:
    """Owners change anything; the name (its address) too."""
    require_good_standing(user)
    collection.require_role(user, Role.OWNER)
    clean = _validate(user, details, collection)
    collection.name, collection.title = clean.name, clean.title
    collection.summary, collection.rules = _html(clean.summary), _html(clean.rules)
    collection.is_open, collection.is_moderated = clean.is_open, clean.is_moderated
    secrecy = (collection.is_anonymous, collection.is_unrevealed)
    collection.is_anonymous, collection.is_unrevealed = clean.is_anonymous, clean.is_unrevealed
    collection.reveal_at = clean.reveal_at
    collection.parent = _parent_of(clean)
    collection.save()
    if secrecy != (clean.is_anonymous, clean.is_unrevealed):
        revealing.refresh_collection(collection)
    return collection


@transaction.atomic
def set_member(owner: User, collection: Collection, username: str, role: str | None) -> None:
    """Make USERNAME an owner or a moderator of the collection, or (ROLE None) no longer one.
    A collection keeps at least one owner."""
    require_good_standing(owner)
    collection.require_role(owner, Role.OWNER)
    person = User.objects.filter(username__iexact=username.strip(), is_active=True).first()
    if person is None:
        raise ValidationError(
            {"username": [_("No one is called “%(name)s”.") % {"name": username}]}
        )
    members = CollectionMember.objects.select_for_update().filter(collection=collection)
    owners = {m.user_id for m in members if m.role == Role.OWNER}
    if person.pk in owners and role != Role.OWNER and len(owners) == 1:
        raise ValidationError(
            {"username": [_("A collection keeps at least one owner: add another first.")]}
        )
    if role is None:
        members.filter(user=person).delete()
    else:
        CollectionMember.objects.update_or_create(
            collection=collection, user=person, defaults={"role": role}
        )


@transaction.atomic
def add_work(user: User, work: Work, collection: Collection) -> CollectionItem:
    """A creator adds their posted work: listed at once, or waiting for a moderator when the
    collection is moderated (its own keepers' works do not wait)."""
    require_good_standing(user)
    if not work.is_editable_by(user):
        raise PermissionDenied(_("Only the work's creators may add it to a collection."))
    if not collection.is_open:
        raise ValidationError(
            _("“%(title)s” is closed to new works.") % {"title": collection.title}
        )
    if CollectionItem.objects.filter(collection=collection, work=work).exists():
        raise ValidationError(
            _("The work is already in “%(title)s”.") % {"title": collection.title}
        )
    waits = collection.is_moderated and not collection.is_kept_by(user)
    item = CollectionItem.objects.create(
        collection=collection,
        work=work,
        added_by=user,
        moderator_status=Approval.PENDING if waits else Approval.APPROVED,
    )
    if collection.is_secret:
        revealing.refresh_works([work.pk])
        work.refresh_from_db(fields=["in_unrevealed_collection", "in_anonymous_collection"])
    return item


@transaction.atomic
def add_work_to_collections(user: User, work: Work, collections: list[Collection]) -> None:
    """`add_work` for each of COLLECTIONS (the work form's field), all or none."""
    for collection in collections:
        add_work(user, work, collection)


@transaction.atomic
def review_item(user: User, item: CollectionItem, approve: bool) -> CollectionItem:
    """A keeper approves a waiting work, or refuses it."""
    require_good_standing(user)
    item.collection.require_role(user, Role.OWNER, Role.MODERATOR)
    item.moderator_status = Approval.APPROVED if approve else Approval.REFUSED
    item.save(update_fields=["moderator_status"])
    revealing.refresh_works([item.work_id])
    return item


@transaction.atomic
def remove_item(user: User, item: CollectionItem) -> None:
    """The work's creators or the collection's keepers take it out."""
    if not (item.work.is_editable_by(user) or item.collection.is_kept_by(user)):
        raise PermissionDenied(_("Only the work's creators or the collection's keepers may."))
    item.delete()
    revealing.refresh_works([item.work_id])


@transaction.atomic
def invite_work(user: User, work: Work, collection: Collection) -> CollectionItem:
    """A keeper invites a posted work into the collection: it is listed once one of its
    creators accepts (`answer_invitation`); its creators find the invitation in their inbox."""
    from ficarchive.social.actions.inbox import notify
    from ficarchive.social.models import InboxKind
    from ficarchive.works.models import Creatorship

    require_good_standing(user)
    collection.require_role(user, Role.OWNER, Role.MODERATOR)
    if work.is_draft or not work.is_visible_to(user):
        raise ValidationError({"work": [_("No posted work of that number is open to you.")]})
    if CollectionItem.objects.filter(collection=collection, work=work).exists():
        raise ValidationError(
            {"work": [_("The work is already in “%(title)s”.") % {"title": collection.title}]}
        )
    item = CollectionItem.objects.create(
        collection=collection,
        work=work,
        added_by=user,
        author_status=Approval.PENDING,
        moderator_status=Approval.APPROVED,
    )
    creators = Creatorship.objects.filter(work=work, accepted=True)
    notify(
        set(creators.values_list("pseud__user_id", flat=True)),
        InboxKind.COLLECTION_INVITATION,
        work=work,
        actor=user,
        text=collection.title,
    )
    return item


@transaction.atomic
def answer_invitation(user: User, item: CollectionItem, accept: bool) -> CollectionItem | None:
    """One of the work's creators accepts a collection's invitation (the work is listed) or
    declines it (the invitation goes)."""
    require_good_standing(user)
    if not item.work.is_editable_by(user):
        raise PermissionDenied(_("Only the work's creators may answer the invitation."))
    if item.author_status != Approval.PENDING:
        raise ValidationError(_("This invitation is answered already."))
    if not accept:
        item.delete()
        return None
    item.author_status = Approval.APPROVED
    item.save(update_fields=["author_status"])
    revealing.refresh_works([item.work_id])
    return item


@transaction.atomic
def add_bookmark(user: User, bookmark: Bookmark, collection: Collection) -> CollectionBookmark:
    """A reader puts their public bookmark in an open collection (waiting for a moderator
    where the collection is moderated, but its keepers' own)."""
    require_good_standing(user)
    if bookmark.user_id != user.pk:
        raise PermissionDenied(_("Only the bookmark's owner may add it to a collection."))
    if bookmark.is_private:
        raise ValidationError(_("A private bookmark stays out of collections: make it public."))
    if not collection.is_open:
        raise ValidationError(
            _("“%(title)s” is closed to new works.") % {"title": collection.title}
        )
    if CollectionBookmark.objects.filter(collection=collection, bookmark=bookmark).exists():
        raise ValidationError(
            _("The bookmark is already in “%(title)s”.") % {"title": collection.title}
        )
    waits = collection.is_moderated and not collection.is_kept_by(user)
    return CollectionBookmark.objects.create(
        collection=collection,
        bookmark=bookmark,
        moderator_status=Approval.PENDING if waits else Approval.APPROVED,
    )


@transaction.atomic
def review_bookmark(user: User, item: CollectionBookmark, verb: str) -> None:
    """A keeper approves, refuses or takes out a bookmark; its owner may take it out."""
    if verb == "remove" and item.bookmark.user_id == user.pk:
        item.delete()
        return
    require_good_standing(user)
    item.collection.require_role(user, Role.OWNER, Role.MODERATOR)
    if verb == "remove":
        item.delete()
    elif verb in ("approve", "refuse"):
        item.moderator_status = Approval.APPROVED if verb == "approve" else Approval.REFUSED
        item.save(update_fields=["moderator_status"])
