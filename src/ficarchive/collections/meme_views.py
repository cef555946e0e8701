"""Prompt meme pages: its settings (owners), and the prompts with their claims and fills,
filterable by tag, where readers post, claim and fill prompts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.accounts.standing import good_standing_required
from ficarchive.collections import meme_actions as actions
from ficarchive.collections.meme_forms import MemeForm, PromptForm
from ficarchive.collections.meme_models import Claim, Fill, Prompt, PromptMeme
from ficarchive.collections.models import Collection
from ficarchive.collections.views import challenge_of
from ficarchive.pages import paginate
from ficarchive.works.forms import add_action_errors
from ficarchive.works.models import Work
from ficarchive.works.views.posting import posted_data, status_of

PROMPTS_PER_PAGE = 20


def _meme(name: str) -> PromptMeme:
    return challenge_of(PromptMeme, name)


@login_required
@good_standing_required
def settings(request: AuthedRequest, name: str) -> HttpResponse:
    collection = get_object_or_404(Collection, name=name)
    collection.require_role(request.user, "owner")
    meme = PromptMeme.objects.filter(collection=collection).first()
    initial = {"is_open": meme.is_open, "allow_anonymous": meme.allow_anonymous} if meme else None
    form = MemeForm(posted_data(request), initial=initial)
    if form.is_valid():
        actions.configure_meme(request.user, collection, **form.cleaned_data)
        messages.success(request, _("The prompt meme is saved."))
        return redirect("collections:prompts", name)
    context = {"form": form, "collection": collection}
    return render(request, "collections/meme/settings.html", context, status=status_of(form))


def prompts(request: HttpRequest, name: str) -> HttpResponse:
    """The meme's prompts, newest first, with their claims and the fills the reader may see;
    the form for a new prompt."""
    meme = _meme(name)
    tag = request.GET.get("tag", "").strip()[:150]
    visible = Work.objects.listed_for(request.user)
    found = (
        meme.prompts.tagged(tag)
        .select_related("user")
        .prefetch_related(
            Prefetch("claims", queryset=Claim.objects.select_related("user")),
            Prefetch(
                "fills",
                queryset=Fill.objects.filter(work__in=visible.values("id")).select_related("work"),
            ),
        )
    )
    form = PromptForm(meme, posted_data(request) if request.user.is_authenticated else None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/login?next={request.path}")
        if form.is_valid():
            try:
                actions.post_prompt(
                    request.user,
                    meme,
                    form.tags(),
                    form.cleaned_data["text"],
                    anonymous=form.cleaned_data.get("anonymous", False),
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Your prompt is posted."))
                return redirect("collections:prompts", name)
    page = paginate(request, found, PROMPTS_PER_PAGE)
    claimed: set[int] = set()
    if request.user.is_authenticated:
        shown = [prompt.pk for prompt in page["page_obj"]]
        claimed = set(
            Claim.objects.filter(user_id=request.user.pk, prompt_id__in=shown).values_list(
                "prompt_id", flat=True
            )
        )
    context = {
        **page,
        "claimed": claimed,
        "meme": meme,
        "collection": meme.collection,
        "tag": tag,
        "form": form,
        "role": meme.collection.role_of(request.user),
    }
    return render(request, "collections/meme/prompts.html", context, status=status_of(form))


def _prompt(name: str, prompt_id: int) -> Prompt:
    return get_object_or_404(
        Prompt.objects.select_related("meme__collection"), meme__collection__name=name, pk=prompt_id
    )


@require_POST
@login_required
@good_standing_required
def claim(request: AuthedRequest, name: str, prompt_id: int) -> HttpResponse:
    actions.claim(request.user, _prompt(name, prompt_id))
    messages.success(request, _("You claimed the prompt. Fill it when your work is ready."))
    return redirect(f"/collections/{name}/prompts#prompt-{prompt_id}")


@require_POST
@login_required
def unclaim(request: AuthedRequest, name: str, prompt_id: int) -> HttpResponse:
    actions.unclaim(request.user, _prompt(name, prompt_id))
    messages.success(request, _("You no longer claim the prompt."))
    return redirect(f"/collections/{name}/prompts#prompt-{prompt_id}")


@require_POST
@login_required
def delete(request: AuthedRequest, name: str, prompt_id: int) -> HttpResponse:
    actions.delete_prompt(request.user, _prompt(name, prompt_id))
    messages.success(request, _("The prompt is deleted."))
    return redirect("collections:prompts", name)
