"""Writes to accounts and pseuds: sign up, pseuds, preferences, deleting an account."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext, ngettext

from ficarchive.accounts.filters import MAX_FILTERS
from ficarchive.accounts.models import (
    ORPHAN_ACCOUNT,
    Block,
    HiddenTag,
    HiddenWork,
    Mute,
    Pseud,
    User,
)
from ficarchive.accounts.standing import require_good_standing
from ficarchive.search.actions import record_change

if TYPE_CHECKING:
    from ficarchive.tags.models import Tag
    from ficarchive.works.models import Work

RESERVED_USERNAMES = {ORPHAN_ACCOUNT, "admin", "administrator", "anonymous", "moderator"}


@transaction.atomic
def create_user(
    username: str,
    email: str,
    password: str | None,
    *,
    is_staff: bool = False,
    reserved_ok: bool = False,
) -> User:
    """A new account with its default pseud, named like the account.

    Names the archive keeps for itself (the orphan account, "admin") are refused at sign-up;
    the archive's own setup passes `reserved_ok`.
    """
    check_new_account(username, email, password, reserved_ok=reserved_ok)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": [gettext("An account with that email address exists.")]})
    user = User(username=username, email=email, is_staff=is_staff, is_superuser=is_staff)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()  # its default pseud comes with it (accounts.signals)
    return user


def check_new_account(
    username: str, email: str, password: str | None, *, reserved_ok: bool = False
) -> None:
    """Raise ValidationError for a reserved or taken user name or a weak password: what may be
    said on the sign-up page (user names are public; whether an email has an account is not)."""
    if username.lower() in RESERVED_USERNAMES and not reserved_ok:
        reserved = gettext("The user name %(name)s is reserved.") % {"name": repr(username)}
        raise ValidationError({"username": [reserved]})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [gettext("That user name is taken.")]})
    if password is not None:
        validate_password(password, User(username=username, email=email))


@transaction.atomic
def create_pseud(user: User, name: str, description: str = "") -> Pseud:
    require_good_standing(user)
    pseud = Pseud(user=user, name=name.strip(), description=description.strip())
    if Pseud.objects.of(user).named(pseud.name).exists():
        taken = gettext("You already have a pseud named %(name)s.") % {"name": repr(pseud.name)}
        raise ValidationError({"name": [taken]})
    pseud.full_clean()
    pseud.save()
    _check_pseud_text(user, pseud)
    return pseud


def _text_held(pseud: Pseud) -> bool:
    from ficarchive.moderation.models import SpamCheck
    from ficarchive.moderation.spam.checking import PSEUD

    return SpamCheck.objects.held().filter(target_kind=PSEUD, target_id=pseud.pk).exists()


def _check_pseud_text(user: User, pseud: Pseud) -> None:
    """The spam check of a pseud's new description: a held one is shown to nobody but its owner
    until a moderator decides (a text that passes never shows one a moderator hid)."""
    from ficarchive.moderation.models import SpamState
    from ficarchive.moderation.spam import checking
    from ficarchive.text.formats import plain_to_html

    if not pseud.description:
        return
    text = plain_to_html(pseud.description)
    if checking.check(checking.PSEUD, pseud.pk, text, author=user).state == SpamState.HELD:
        pseud.description_hidden = True
        pseud.save(update_fields=["description_hidden"])


@transaction.atomic
def update_pseud(user: User, pseud: Pseud, name: str, description: str) -> Pseud:
    if pseud.user_id != user.pk:
        raise PermissionDenied(gettext("This pseud is not yours."))
    require_good_standing(user)
    name = name.strip()
    if Pseud.objects.of(user).named(name).exclude(pk=pseud.pk).exists():
        taken = gettext("You already have a pseud named %(name)s.") % {"name": repr(name)}
        raise ValidationError({"name": [taken]})
    pseud.name = name
    changed = pseud.description != description.strip()
    if changed and _text_held(pseud):  # "not spam" must show the text the queue showed
        message = gettext(
            "This text waits for review by the moderators: change it once they have seen it."
        )
        raise ValidationError({"description": [message]})
    pseud.description = description.strip()
    pseud.full_clean()
    pseud.save()
    if changed:
        _check_pseud_text(user, pseud)
    record_change(pseud.creatorships.values_list("work_id", flat=True))  # bylines changed
    return pseud


@transaction.atomic
def delete_pseud(user: User, pseud: Pseud) -> None:
    """Delete a pseud; its works move to the user's default pseud."""
    if pseud.user_id != user.pk:
        raise PermissionDenied(gettext("This pseud is not yours."))
    require_good_standing(user)
    if pseud.is_default:
        raise ValidationError(gettext("The default pseud cannot be deleted."))
    default = user.default_pseud
    moved = list(pseud.creatorships.values_list("work_id", flat=True))
    for creatorship in pseud.creatorships.all():
        if creatorship.work.creatorships.filter(pseud=default).exists():
            creatorship.delete()
        else:
            creatorship.pseud = default
            creatorship.save(update_fields=["pseud"])
    for series in pseud.series.all():
        series.creators.add(default)
    pseud.delete()
    record_change(moved)  # their bylines now name the default pseud


PREFERENCE_FIELDS = (
    "skip_adult_notice",
    "hide_warnings",
    "hide_freeform",
    "view_full_work",
    "time_zone",
    "language",
    "keep_history",
    "hide_read_works",
    "hide_kudosed_works",
)


@transaction.atomic
def update_preferences(user: User, **preferences: object) -> User:
    unknown = set(preferences) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown preferences: {', '.join(sorted(unknown))}.")
    for name, value in preferences.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(preferences))
    return user


def orphan_account() -> User:
    """The account that keeps orphaned works, created the first time it is needed."""
    user = User.objects.filter(username=ORPHAN_ACCOUNT).first()
    if user is None:
        user = create_user(ORPHAN_ACCOUNT, "orphan_account@archive.invalid", None, reserved_ok=True)
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def delete_account(user: User, works: Literal["orphan", "delete"]) -> None:
    """Delete an account. Its works go to the orphan account, or are deleted.

    Works made with others stay with the other creators either way.
    """
    from ficarchive.social.actions import forget_account
    from ficarchive.works.actions import delete_works_of, orphan_works_of

    if user.is_orphan_account:
        raise PermissionDenied(gettext("The orphan account cannot be deleted."))
    if works == "orphan":
        orphan_works_of(user, orphan_account().default_pseud)
    elif works == "delete":
        delete_works_of(user)
    else:
        raise ValidationError(f"Choose to orphan or delete your works, not {works!r}.")
    forget_account(user)
    user.delete()


# --- blocking and muting ---------------------------------------------------------------


def _other_account(user: User, other: User, verb: Literal["block", "mute"]) -> None:
    if other.pk == user.pk:
        if verb == "block":
            raise ValidationError(gettext("You cannot block yourself."))
        raise ValidationError(gettext("You cannot mute yourself."))
    if other.is_orphan_account:
        if verb == "block":
            raise ValidationError(gettext("You cannot block the orphan account."))
        raise ValidationError(gettext("You cannot mute the orphan account."))


@transaction.atomic
def block_user(user: User, other: User) -> Block:
    """Block an account: it can no longer comment on, reply to or leave kudos on your things."""
    _other_account(user, other, "block")
    block, _ = Block.objects.get_or_create(blocker=user, blocked=other)
    return block


@transaction.atomic
def unblock_user(user: User, other: User) -> None:
    Block.objects.filter(blocker=user, blocked=other).delete()


@transaction.atomic
def mute_user(user: User, other: User) -> Mute:
    """Mute an account: its works and comments are hidden from you."""
    _other_account(user, other, "mute")
    mute, _ = Mute.objects.get_or_create(muter=user, muted=other)
    return mute


@transaction.atomic
def unmute_user(user: User, other: User) -> None:
    Mute.objects.filter(muter=user, muted=other).delete()


# --- standing filters (accounts/filters.py): what a reader never wants listed --------------
# Search reads the filters at query time, so none of these tells search anything.


def _require_reader(user: User) -> None:
    if not user.is_authenticated:
        raise PermissionDenied(gettext("Sign in to keep filters."))


@transaction.atomic
def hide_tags(user: User, names: Sequence[str], tag_type: str = "") -> list[HiddenTag]:
    """Hide the works under the tags so named (of TAG_TYPE, or of any type when it is empty).

    Every name must name a tag: otherwise nothing is written and the error names the unknown
    ones. Tags already hidden stay hidden once; at most MAX_FILTERS tags are hidden.
    """
    from ficarchive.tags.models import Tag

    _require_reader(user)
    found: dict[int, Tag] = {}
    unknown = []
    for name in names:
        tags = Tag.objects.named(name)
        if tag_type:
            tags = tags.of_type(tag_type)
        matches = list(tags)
        if not matches:
            unknown.append(name)
        found.update((tag.pk, tag) for tag in matches)
    if unknown:
        quoted = ", ".join(repr(name) for name in unknown)
        refusal = ngettext(
            "There is no tag named %(names)s.", "There are no tags named %(names)s.", len(unknown)
        )
        raise ValidationError(refusal % {"names": quoted}, code="unknown_tag")
    already = set(HiddenTag.objects.of(user).values_list("tag_id", flat=True))
    new = [tag for pk, tag in found.items() if pk not in already]
    if len(already) + len(new) > MAX_FILTERS:
        raise ValidationError(
            ngettext(
                "You can hide at most %(most)s tags; you hide %(count)s already.",
                "You can hide at most %(most)s tags; you hide %(count)s already.",
                len(already),
            )
            % {"most": MAX_FILTERS, "count": len(already)},
            code="too_many",
        )
    HiddenTag.objects.bulk_create([HiddenTag(user=user, tag=tag) for tag in new])
    return list(HiddenTag.objects.of(user).filter(tag_id__in=found).select_related("tag"))


def hide_tag(user: User, tag: Tag) -> HiddenTag:
    """Hide the works under one tag (its synonyms and, for a fandom, its sub-fandoms)."""
    return hide_tags(user, [tag.name], tag.type)[0]


@transaction.atomic
def show_tag(user: User, tag: Tag) -> None:
    """Stop hiding a tag. Showing a tag that is not hidden does nothing."""
    _require_reader(user)
    HiddenTag.objects.of(user).filter(tag=tag).delete()


@transaction.atomic
def hide_work(user: User, work: Work) -> HiddenWork:
    """Leave one work out of the user's listings. It still opens by its address."""
    from ficarchive.works.models import Work

    _require_reader(user)
    if not Work.objects.visible_to(user).filter(pk=work.pk).exists():
        raise PermissionDenied(gettext("You cannot see this work."))
    hidden = HiddenWork.objects.of(user).filter(work=work).first()
    if hidden is not None:
        return hidden
    if HiddenWork.objects.of(user).count() >= MAX_FILTERS:
        raise ValidationError(
            gettext("You can hide at most %(most)s works; show some again first.")
            % {"most": MAX_FILTERS},
            code="too_many",
        )
    return HiddenWork.objects.create(user=user, work=work)


@transaction.atomic
def show_work(user: User, work: Work) -> None:
    """List a hidden work again. Showing a work that is not hidden does nothing."""
    _require_reader(user)
    HiddenWork.objects.of(user).filter(work=work).delete()


def hide_creator(user: User, other: User) -> Mute:
    """Never list OTHER's works: that is muting them, which also hides their comments."""
    _require_reader(user)
    return mute_user(user, other)


def show_creator(user: User, other: User) -> None:
    """List OTHER's works again: that is unmuting them."""
    _require_reader(user)
    unmute_user(user, other)


# --- standing (moderation decides; these only write) --------------------------------------

_UNCHANGED = object()


@transaction.atomic
def set_standing(
    user: User,
    *,
    suspended_until: object = _UNCHANGED,
    suspension_reason: object = _UNCHANGED,
    is_active: object = _UNCHANGED,
    add_warnings: int = 0,
) -> User:
    """Write the account's standing in force (suspension, ban, warnings to acknowledge) on its
    row. Moderation's sanctions call this after checking who asks; nothing else should."""
    changes: dict[str, object] = {}
    for name, value in (
        ("suspended_until", suspended_until),
        ("suspension_reason", suspension_reason),
        ("is_active", is_active),
    ):
        if value is not _UNCHANGED:
            changes[name] = value
    row = User.objects.select_for_update().get(pk=user.pk)
    for name, value in changes.items():
        setattr(row, name, value)
    row.unacknowledged_warnings = max(0, row.unacknowledged_warnings + add_warnings)
    row.save(update_fields=[*changes, "unacknowledged_warnings"])
    for name in [*changes, "unacknowledged_warnings"]:
        setattr(user, name, getattr(row, name))
    return user


@transaction.atomic
def hide_pseud_texts_of(user: User) -> list[int]:
    """Hide the description of every pseud of USER that shows one (a spam-ban); returns the ids
    hidden, so that `show_pseud_texts` restores exactly those."""
    ids = list(
        Pseud.objects.of(user)
        .filter(description_hidden=False)
        .exclude(description="")
        .values_list("pk", flat=True)
    )
    Pseud.objects.filter(pk__in=ids).update(description_hidden=True)
    return ids


@transaction.atomic
def show_pseud_texts(pseud_ids: Sequence[int]) -> list[int]:
    """Show again the pseud descriptions that `hide_pseud_texts_of` hid."""
    ids = list(
        Pseud.objects.filter(pk__in=pseud_ids, description_hidden=True).values_list("pk", flat=True)
    )
    Pseud.objects.filter(pk__in=ids).update(description_hidden=False)
    return ids
