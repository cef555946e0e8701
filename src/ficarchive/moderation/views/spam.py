"""The spam queue: held items oldest first, each decided in one click."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.moderation.actions import spam as spam_actions
from ficarchive.moderation.models import SpamCheck
from ficarchive.moderation.permissions import require
from ficarchive.moderation.spam.queue import held_items
from ficarchive.pages import paginate

DONE = {
    "spam": _("Marked as spam."),
    "spam-ban": _("Marked as spam; its author is spam-banned."),
    "not-spam": _("Released as not spam."),
}


@login_required
def spam_queue(request: AuthedRequest) -> HttpResponse:
    require(request.user, "review_spam")
    held = SpamCheck.objects.held().select_related("author")
    context = paginate(request, held, settings.SPAM_QUEUE_PER_PAGE)
    checks = list(context["page_obj"])
    items = held_items(checks)
    context["checks"] = [(check, items[check.pk]) for check in checks]
    context["may_ban"] = spam_actions.may_ban_from_queue(request.user)
    return render(request, "moderation/spam.html", context)


@login_required
@require_POST
def decide(request: AuthedRequest, check_id: int, decision: str) -> HttpResponse:
    require(request.user, "review_spam")
    if decision not in DONE:
        raise Http404(gettext("No such decision."))
    check = get_object_or_404(SpamCheck.objects.select_related("author"), pk=check_id)
    try:
        if decision == "not-spam":
            spam_actions.mark_not_spam(request.user, check)
        else:
            spam_actions.mark_spam(request.user, check, ban=decision == "spam-ban")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, DONE[decision])
    page = request.POST.get("page", "")
    queue = reverse("moderation:spam")
    return redirect(f"{queue}?page={page}" if page.isdigit() else queue)
