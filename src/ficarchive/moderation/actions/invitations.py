"""The invitation queue and banned addresses.

A visitor asks for an invitation with an email address (`request_invitation`); the worker sends
the oldest requests an invitation each, N every H hours (`send_invitation_batch`), and support
may send more at once (`send_invitations`) or give users invitations to share
(`give_invitations`, then `share_invitation`). While sign-ups are by invitation, signing up
needs an unused invitation's code, from the link `/signup?invitation=CODE`; the invitation is
used when the sign-up is confirmed (`use_invitation`, in the confirmation's transaction).

Codes are random and only their SHA-256 is stored: the code itself is in the email, or shown
once to the user who copies a link to share. Mail is sent after the commit, from this process,
never through the task queue (whose rows would hold the codes).

A banned pattern is an email address or a domain; a domain covers its subdomains
("example.com" refuses "x@example.com" and "x@mail.example.com"). `is_banned_address` is the
one test, asked at invitation request, sign-up and email change.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import DomainNameValidator, validate_email
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ficarchive.accounts.models import User
from ficarchive.accounts.standing import require_good_standing
from ficarchive.moderation.audit import record
from ficarchive.moderation.models import (
    AuditEntry,
    BannedAddress,
    Invitation,
    InvitationRequest,
    SignupMode,
)
from ficarchive.moderation.permissions import require
from ficarchive.moderation.switches import SIGNUP_MESSAGES, SwitchedOff, current
from ficarchive.social.actions.inbox import notify
from ficarchive.social.models import InboxKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

logger = logging.getLogger(__name__)

CODE_BYTES = 24  # 192 random bits in each code
BATCH_LOCK = 0x696E76697465  # PostgreSQL advisory lock key of the batch ("invite")
# In English; refusals say them in the reader's language.
NOT_VALID = gettext_noop(
    "This invitation is not valid: check the link, or ask for a new invitation."
)
USED = gettext_noop("This invitation was used already; ask for a new invitation.")


# --- codes --------------------------------------------------------------------------------


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _new_code() -> tuple[str, str]:
    code = secrets.token_urlsafe(CODE_BYTES)
    return code, hash_code(code)


def invitation_link(code: str) -> str:
    return f"{settings.SITE_URL}{reverse('accounts:signup')}?invitation={code}"


# --- banned addresses ---------------------------------------------------------------------


def _domains(domain: str) -> list[str]:
    """DOMAIN and each domain above it with at least two labels: a.b.org, b.org."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] or [domain]


def is_banned_address(email: str) -> BannedAddress | None:
    """The ban that refuses EMAIL (the address, its domain or a domain above it), else None."""
    address = email.strip().lower()
    domain = address.rpartition("@")[2]
    if not domain:
        return None
    candidates = [address, *_domains(domain)]
    return BannedAddress.objects.filter(pattern__in=candidates).order_by("pattern").first()


def refuse_banned_address(email: str, field: str = "email") -> None:
    """Raise ValidationError on FIELD, naming EMAIL, when it is banned."""
    if is_banned_address(email) is not None:
        raise ValidationError(
            {
                field: [
                    _("The address %(email)s may not be used on this archive.") % {"email": email}
                ]
            }
        )


def clean_pattern(pattern: str) -> str:
    """PATTERN lower-cased, or ValidationError on "pattern": an email address or a domain
    with at least two labels."""
    cleaned = pattern.strip().lower().removeprefix("@")
    try:
        if "@" in cleaned:
            validate_email(cleaned)
        else:
            DomainNameValidator(accept_idna=False)(cleaned)
            if "." not in cleaned:
                raise ValidationError("no dot")
    except ValidationError:
        raise ValidationError(
            {
                "pattern": [
                    _("%(pattern)s is neither an email address nor a domain like example.com.")
                    % {"pattern": repr(pattern)}
                ]
            }
        ) from None
    return cleaned


def ban_address(admin: User, pattern: str, reason: str = "") -> BannedAddress:
    require(admin, "manage_invitations")
    cleaned = clean_pattern(pattern)
    if BannedAddress.objects.filter(pattern=cleaned).exists():
        raise ValidationError(
            {"pattern": [_("%(pattern)s is banned already.") % {"pattern": cleaned}]}
        )
    with transaction.atomic():
        ban = BannedAddress.objects.create(
            pattern=cleaned, reason=reason.strip()[:300], created_by=admin
        )
        record(
            admin,
            "ban_address",
            target_kind="address",
            target_id=ban.pk,
            target_label=cleaned,
            reason=ban.reason,
            after={"pattern": cleaned},
        )
    return ban


def unban_address(admin: User, ban: BannedAddress) -> None:
    require(admin, "manage_invitations")
    with transaction.atomic():
        record(
            admin,
            "unban_address",
            target_kind="address",
            target_id=ban.pk,
            target_label=ban.pattern,
            before={"pattern": ban.pattern, "reason": ban.reason},
        )
        ban.delete()


# --- the queue ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QueuePlace:
    position: int  # 1 for the next to be sent; 0 once sent
    sent_at: datetime | None = None  # when the invitation was sent, if it was


def _place(request: InvitationRequest) -> QueuePlace:
    if request.sent_at is not None:
        return QueuePlace(0, request.sent_at)
    waiting = InvitationRequest.objects.filter(sent_at=None)
    ahead = waiting.filter(created_at__lt=request.created_at).count()
    ahead += waiting.filter(created_at=request.created_at, pk__lt=request.pk).count()
    return QueuePlace(ahead + 1)


def request_invitation(email: str) -> QueuePlace:
    """Queue EMAIL for an invitation, or say where its earlier request is. Whether the address
    has an account is never said: such a request waits like any other, and its turn mails the
    account's owner a note instead of an invitation (see `send_invitations`)."""
    signups = current().signups
    if signups == SignupMode.CLOSED:
        raise SwitchedOff("signups", _(SIGNUP_MESSAGES[SignupMode.CLOSED]))
    if signups == SignupMode.OPEN:
        raise ValidationError({"email": [_("Sign-ups are open: no invitation is needed.")]})
    address = email.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            {"email": [_("%(email)s is not an email address.") % {"email": repr(email)}]}
        ) from None
    refuse_banned_address(address)
    with transaction.atomic():
        request, _created = InvitationRequest.objects.get_or_create(email=address)
    return _place(request)


def waiting_requests() -> list[InvitationRequest]:
    return list(InvitationRequest.objects.filter(sent_at=None))


def _mail(address: str, kind: str, context: Mapping[str, object]) -> None:
    context = {**context, "SITE_NAME": settings.SITE_NAME, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"moderation/email/{kind}_subject.txt", context).split())
    body = render_to_string(f"moderation/email/{kind}.txt", context)
    try:
        send_mail(subject, body, None, [address])
    except OSError:
        logger.exception("invitations: the mail to %s was not sent", address)


def _mail_later(mails: Sequence[tuple[str, str, Mapping[str, object]]]) -> Callable[[], None]:
    def send() -> None:
        for address, kind, context in mails:
            _mail(address, kind, context)

    return send


def send_invitations(count: int, *, by: User | AnonymousUser | None = None) -> int:
    """Answer the COUNT oldest requests: an invitation each, mailed after the commit (or, for
    an address that has an account, a note saying so). BY is the admin sending them now (who
    needs `manage_invitations`); None is the worker. How many requests were answered."""
    if by is not None:
        require(by, "manage_invitations")
    if not 1 <= count <= settings.INVITATIONS_SENT_AT_ONCE:
        raise ValidationError(
            {
                "count": [
                    _("Send 1 to %(most)s invitations at once.")
                    % {"most": settings.INVITATIONS_SENT_AT_ONCE}
                ]
            }
        )
    with transaction.atomic():
        return _send_invitations(count, by)


def _send_invitations(count: int, by: User | AnonymousUser | None) -> int:
    waiting = InvitationRequest.objects.filter(sent_at=None).order_by("created_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        waiting = waiting.select_for_update(skip_locked=True)
    requests = list(waiting[:count])
    if not requests:
        return 0
    now = timezone.now()
    emails = [request.email for request in requests]
    with_account = set(
        User.objects.annotate(lower=Lower("email"))
        .filter(lower__in=emails)
        .values_list("lower", flat=True)
    )
    invitations, mails = [], []
    for request in requests:
        if request.email in with_account:
            mails.append((request.email, "invitation_account", {"email": request.email}))
            continue
        code, key_hash = _new_code()
        invitations.append(
            Invitation(key_hash=key_hash, request=request, sent_to=request.email, sent_at=now)
        )
        mails.append((request.email, "invitation", {"link": invitation_link(code)}))
    Invitation.objects.bulk_create(invitations)
    InvitationRequest.objects.filter(pk__in=[r.pk for r in requests]).update(sent_at=now)
    record(
        by,
        "send_invitations",
        target_kind="queue",
        target_label=f"{len(requests)} request{'s' if len(requests) != 1 else ''}",
        after={"answered": len(requests), "invitations": len(invitations)},
    )
    transaction.on_commit(_mail_later(mails))
    return len(requests)


def send_invitation_batch() -> int:
    """The worker's batch: INVITATIONS_PER_BATCH requests once every INVITATION_BATCH_HOURS
    (either 0: never), while sign-ups are by invitation. However many workers ask at once, on
    however many machines, one batch is sent a period: the look at the last batch and the batch
    itself are one transaction holding the database's write lock (SQLite) or an advisory lock
    (PostgreSQL), and the last batch is the audit log's latest worker entry."""
    per_batch, hours = settings.INVITATIONS_PER_BATCH, settings.INVITATION_BATCH_HOURS
    if per_batch <= 0 or hours <= 0 or current().signups != SignupMode.INVITATION:
        return 0
    with transaction.atomic():  # on SQLite, BEGIN IMMEDIATE: callers take turns
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BATCH_LOCK])
        last = (
            AuditEntry.objects.filter(verb="send_invitations", actor=None)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        # a minute's grace: the upkeep comes once a minute, a little late or early
        if last is not None and timezone.now() - last < timedelta(hours=hours, minutes=-1):
            return 0
        return _send_invitations(min(per_batch, settings.INVITATIONS_SENT_AT_ONCE), None)


# --- invitations given to users -----------------------------------------------------------


def give_invitations(admin: User, user: User, count: int) -> list[Invitation]:
    """Give USER COUNT invitations to share (their codes are made when they share them)."""
    require(admin, "manage_invitations")
    if not 1 <= count <= settings.INVITATIONS_GIVEN_AT_ONCE:
        raise ValidationError(
            {
                "count": [
                    _("Give 1 to %(most)s invitations at once.")
                    % {"most": settings.INVITATIONS_GIVEN_AT_ONCE}
                ]
            }
        )
    if not user.is_active:
        raise ValidationError(
            {
                "username": [
                    _("%(username)s is not an active account.") % {"username": user.username}
                ]
            }
        )
    with transaction.atomic():
        given = Invitation.objects.bulk_create(
            [Invitation(key_hash=_new_code()[1], owner=user) for _ in range(count)]
        )
        record(
            admin,
            "give_invitations",
            target_kind="user",
            target_id=user.pk,
            target_label=user.username,
            subject=user,
            after={"count": count},
        )
        invitations = "an invitation" if count == 1 else f"{count} invitations"
        notify([user.pk], InboxKind.INVITATIONS_GIVEN, text=f"You were given {invitations}.")
    return given


def share_invitation(user: User, invitation: Invitation, email: str = "") -> str:
    """Share one of USER's unused invitations: mail it to EMAIL, or (no EMAIL) return its link
    to copy. Either way it gets a new code, so an earlier link of it stops working. The link."""
    require_good_standing(user)
    if invitation.owner_id != user.pk or invitation.used_by_id is not None:
        raise ValidationError(_("This invitation is not yours to share, or it was used."))
    address = email.strip().lower()
    if address:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {"email": [_("%(email)s is not an email address.") % {"email": repr(email)}]}
            ) from None
        refuse_banned_address(address)
    code, key_hash = _new_code()
    with transaction.atomic():
        invitation.key_hash = key_hash
        invitation.sent_to = address
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["key_hash", "sent_to", "sent_at"])
        if address:
            context = {"link": invitation_link(code), "sender": user.username}
            transaction.on_commit(_mail_later([(address, "invitation", context)]))
    return invitation_link(code)


# --- signing up with one ------------------------------------------------------------------


def check_invitation(code: str) -> Invitation:
    """The unused invitation of CODE, or ValidationError on "invitation"."""
    invitation = Invitation.objects.filter(key_hash=hash_code(code)).first() if code else None
    if invitation is None:
        raise ValidationError({"invitation": [_(NOT_VALID)]})
    if invitation.used_by_id is not None:
        raise ValidationError({"invitation": [_(USED)]})
    return invitation


def use_invitation(code: str, user: User) -> Invitation:
    """Mark CODE's invitation used by USER; call it inside the transaction that opens USER's
    account, so a code opens one account however many sign-ups wait with it."""
    invitation = (
        Invitation.objects.select_for_update().filter(key_hash=hash_code(code)).first()
        if code
        else None
    )
    if invitation is None:
        raise ValidationError({"invitation": [_(NOT_VALID)]})
    if invitation.used_by_id is not None:
        raise ValidationError({"invitation": [_(USED)]})
    invitation.used_by = user
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_by", "used_at"])
    return invitation
