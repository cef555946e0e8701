"""Gift exchange pages: settings (owners), sign-up (participants), sign-ups and matching
(keepers), a participant's assignment and the pinch hits, and a reader's gifts."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ficarchive.accounts.models import User
from ficarchive.accounts.requests import AuthedRequest
from ficarchive.accounts.standing import good_standing_required
from ficarchive.collections import exchange_actions as actions
from ficarchive.collections import nominations
from ficarchive.collections.exchange_forms import (
    AssignmentForm,
    ExchangeSettingsForm,
    NominationForm,
    SignupForm,
)
from ficarchive.collections.exchange_models import (
    ExchangeAssignment,
    ExchangeSignup,
    Gift,
    GiftExchange,
    MatchingState,
)
from ficarchive.collections.models import Collection
from ficarchive.collections.views import challenge_of
from ficarchive.pages import paginate
from ficarchive.works.forms import add_action_errors
from ficarchive.works.models import Work
from ficarchive.works.views.posting import posted_data, status_of


def _exchange(name: str) -> GiftExchange:
    return challenge_of(GiftExchange, name)


@login_required
@good_standing_required
def settings(request: AuthedRequest, name: str) -> HttpResponse:
    """Make the collection a gift exchange, or change its settings (owners)."""
    collection = get_object_or_404(Collection, name=name)
    collection.require_role(request.user, "owner")
    exchange = GiftExchange.objects.filter(collection=collection).first()
    initial = ExchangeSettingsForm.initial_of(exchange) if exchange else None
    form = ExchangeSettingsForm(posted_data(request), initial=initial)
    if form.is_valid():
        try:
            actions.configure_exchange(request.user, collection, form.settings())
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The gift exchange is saved."))
            return redirect(collection)
    context = {"form": form, "collection": collection, "exchange": exchange}
    return render(request, "collections/exchange/settings.html", context, status=status_of(form))


@login_required
@good_standing_required
def signup(request: AuthedRequest, name: str) -> HttpResponse:
    """Sign up, or change one's sign-up, while sign-ups are open."""
    exchange = _exchange(name)
    mine = ExchangeSignup.objects.filter(exchange=exchange, user=request.user).first()
    form = SignupForm(exchange, posted_data(request), signup=mine)
    if form.is_valid():
        try:
            actions.sign_up(
                request.user, exchange, form.prompts("requests"), form.prompts("offers")
            )
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            messages.success(request, _("Your sign-up is saved."))
            return redirect("collections:signup", name)
    context = {
        "form": form,
        "exchange": exchange,
        "collection": exchange.collection,
        "signup": mine,
        "open": exchange.signups_are_open(),
    }
    return render(request, "collections/exchange/signup.html", context, status=status_of(form))


@require_POST
@login_required
def withdraw(request: AuthedRequest, name: str) -> HttpResponse:
    exchange = _exchange(name)
    mine = get_object_or_404(ExchangeSignup, exchange=exchange, user=request.user)
    try:
        actions.withdraw(request.user, mine)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("collections:signup", name)
    messages.success(request, _("Your sign-up is withdrawn."))
    return redirect(exchange.collection)


def _kept_exchange(request: AuthedRequest, name: str) -> GiftExchange:
    exchange = _exchange(name)
    exchange.collection.require_role(request.user, "owner", "moderator")
    return exchange


@login_required
def signups(request: AuthedRequest, name: str) -> HttpResponse:
    """Every sign-up, for the keepers."""
    exchange = _kept_exchange(request, name)
    found = exchange.signups.select_related("pseud", "user").order_by("created_at", "id")
    context = {
        **paginate(request, found, 50),
        "exchange": exchange,
        "collection": exchange.collection,
    }
    return render(request, "collections/exchange/signups.html", context)


@login_required
def matching(request: AuthedRequest, name: str) -> HttpResponse:
    """The matching's progress and result; run it, change an assignment, send them all."""
    exchange = _kept_exchange(request, name)
    if request.method == "POST":
        verb = request.POST.get("verb")
        try:
            if verb == "run":
                actions.start_matching(request.user, exchange)
                messages.success(
                    request, _("The matching is queued; this page shows its progress.")
                )
            elif verb == "send":
                count = actions.send_assignments(request.user, exchange)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s assignment is sent.", "%(count)s assignments are sent.", count
                    )
                    % {"count": count},
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("collections:matching", name)
    assignments = exchange.assignments.select_related(
        "giver__pseud", "recipient__pseud", "pinch_hitter", "work"
    ).order_by("giver__pseud__name", "id")
    context = {
        **paginate(request, assignments, 100),
        "exchange": exchange,
        "collection": exchange.collection,
        "report": exchange.matching_report or {},
        "working": exchange.matching_state in (MatchingState.QUEUED, MatchingState.RUNNING),
        "form": AssignmentForm(exchange),
        "signup_count": exchange.signups.count(),
    }
    return render(request, "collections/exchange/matching.html", context)


@require_POST
@login_required
@good_standing_required
def assign(request: AuthedRequest, name: str, signup_id: int) -> HttpResponse:
    """A keeper gives one participant a recipient by hand."""
    exchange = _kept_exchange(request, name)
    giver = get_object_or_404(ExchangeSignup, exchange=exchange, pk=signup_id)
    form = AssignmentForm(exchange, request.POST)
    if form.is_valid():
        try:
            actions.set_assignment(request.user, exchange, giver, form.recipient_signup())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The assignment is saved."))
    else:
        messages.error(request, _("Choose someone who signed up."))
    return redirect("collections:matching", name)


@login_required
def assignment(request: AuthedRequest, name: str) -> HttpResponse:
    """A participant's assignments (theirs and pinch hits they took), and the open pinch hits."""
    exchange = _exchange(name)
    mine = exchange.assignments.filter(
        Q(giver__user=request.user, pinch_hitter__isnull=True, sent_at__isnull=False)
        | Q(pinch_hitter=request.user)
    )
    context = {
        "exchange": exchange,
        "collection": exchange.collection,
        "assignments": mine.select_related("exchange", "recipient__pseud", "work"),
        "pinch_hits": exchange.assignments.pinch_hits()
        .exclude(recipient__user=request.user)
        .select_related("recipient__pseud"),
    }
    return render(request, "collections/exchange/assignment.html", context)


def _on_assignment(
    request: AuthedRequest,
    name: str,
    assignment_id: int,
    act: Callable[[User, ExchangeAssignment], object],
    done: str,
) -> HttpResponse:
    """Do ACT to the collection's assignment, and say DONE or why not."""
    found = get_object_or_404(ExchangeAssignment, exchange__collection__name=name, pk=assignment_id)
    try:
        act(request.user, found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("collections:assignment", name)


@require_POST
@login_required
def default(request: AuthedRequest, name: str, assignment_id: int) -> HttpResponse:
    done = _("You have defaulted; the assignment waits for a pinch hitter.")
    return _on_assignment(request, name, assignment_id, actions.default_assignment, done)


@require_POST
@login_required
@good_standing_required
def take(request: AuthedRequest, name: str, assignment_id: int) -> HttpResponse:
    done = _("The pinch hit is yours.")
    return _on_assignment(request, name, assignment_id, actions.take_pinch_hit, done)


def gifts(request: HttpRequest, username: str) -> HttpResponse:
    """The works given to a reader that its reader may see; their refusal, for the recipient."""
    person = get_object_or_404(get_user_model(), username__iexact=username, is_active=True)
    visible = Work.objects.listed_for(request.user).filter(
        gifts__recipient=person, gifts__refused=False
    )
    own = request.user.is_authenticated and request.user.pk == person.pk
    found = Gift.objects.filter(
        recipient=person, refused=False, work__in=visible.values("id")
    ).select_related("work")
    context = {**paginate(request, found, 20), "person": person, "own": own}
    return render(request, "collections/exchange/gifts.html", context)


@require_POST
@login_required
def refuse(request: AuthedRequest, gift_id: int) -> HttpResponse:
    gift = get_object_or_404(Gift.objects.select_related("work"), pk=gift_id)
    actions.refuse_gift(request.user, gift)
    messages.success(
        request, _("You refused “%(title)s”: it no longer names you.") % {"title": gift.work.title}
    )
    return redirect("collections:gifts", request.user.username)


@login_required
@good_standing_required
def nominate(request: AuthedRequest, name: str) -> HttpResponse:
    """Nominate tags for the tag set; the keepers approve or reject what waits."""
    exchange = _exchange(name)
    role = exchange.collection.role_of(request.user)
    if request.method == "POST" and request.POST.get("verb") in ("approve", "reject"):
        exchange.collection.require_role(request.user, "owner", "moderator")
        try:
            nominations.review(
                request.user,
                exchange,
                request.POST.get("kind", ""),
                request.POST.get("name", ""),
                request.POST["verb"] == "approve",
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect("collections:nominations", name)
    form = NominationForm(exchange, posted_data(request))
    if form.is_valid():
        try:
            with transaction.atomic():
                count = sum(
                    nominations.nominate(request.user, exchange, kind, names)
                    for kind, names in form.names().items()
                )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext("%(count)s tag nominated.", "%(count)s tags nominated.", count)
                % {"count": count},
            )
            return redirect("collections:nominations", name)
    context = {
        "exchange": exchange,
        "collection": exchange.collection,
        "form": form,
        "role": role,
        "mine": exchange.nominations.filter(user=request.user),
        "waiting": nominations.pending(exchange) if role else [],
    }
    template = "collections/exchange/nominations.html"
    return render(request, template, context, status=status_of(form))
