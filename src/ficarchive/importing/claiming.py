"""The page an external author reaches from their invitation: the works an archivist imported
for them, to claim (signed in), orphan, or remove, and the choice to refuse imports from now on.

The signed link is the author's proof (`invitations.author_of_token`): orphaning, removing and
refusing need no account, and stay open to a suspended one; claiming needs an account in good
standing, so a guest is sent to log in and back here, and a suspended account is refused.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from ficarchive.accounts.standing import require_good_standing
from ficarchive.importing.invitations import BadClaimLink, author_of_token, waiting_works
from ficarchive.works import actions as works
from ficarchive.works.archived import ExternalAuthor

DECISIONS = ("claim", "orphan", "remove", "refuse")


@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, token: str) -> HttpResponse:
    try:
        author = author_of_token(token)
    except BadClaimLink as exc:
        reason = {"reason": str(exc)}
        return render(request, "importing/claim_refused.html", reason, status=_status(exc))
    if request.method == "POST":
        return _decide(request, token, author)
    context: dict[str, Any] = {
        "author": author,
        "names": sorted(set(author.names.values_list("name", flat=True))),
        "works": waiting_works(author),
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': request.path})}",
    }
    return render(request, "importing/claim.html", context)


def _status(exc: BadClaimLink) -> int:
    return 400 if exc.expired else 404


def _decide(request: HttpRequest, token: str, author: ExternalAuthor) -> HttpResponse:
    decision = request.POST.get("decision", "")
    here = reverse("importing:claim", args=[token])
    if decision == "claim":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': here})}")
        require_good_standing(request.user)  # a suspended account takes in no works
        claimed = works.claim_archived_works(request.user, author)  # type: ignore[arg-type]
        count = len(claimed)
        text = ngettext("%(count)s work is now yours.", "%(count)s works are now yours.", count)
        messages.success(request, text % {"count": count})
    elif decision == "orphan":
        orphaned = works.orphan_archived_works(author)
        count = len(orphaned)
        text = ngettext(
            "%(count)s work is orphaned: your name is off them.",
            "%(count)s works are orphaned: your name is off them.",
            count,
        )
        messages.success(request, text % {"count": count})
    elif decision == "remove":
        removed = works.remove_archived_works(author)
        text = ngettext(
            "%(count)s work is removed from the archive.",
            "%(count)s works are removed from the archive.",
            removed,
        )
        messages.success(request, text % {"count": removed})
    elif decision == "refuse":
        works.refuse_imports(author)
        messages.success(request, _("Archivists will not import works for your address again."))
    else:
        reason = _("Choose one of %(choices)s, not %(decision)s.") % {
            "choices": ", ".join(DECISIONS),
            "decision": repr(decision),
        }
        return render(request, "importing/claim_refused.html", {"reason": reason}, status=400)
    return redirect(here)
