"""Tag pages (the works that carry a tag, with its synonyms, parents and children) and the
wrangling pages, which only tag wranglers may open."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.pages import paginate
from ficarchive.search.listings import listing
from ficarchive.search.saved_actions import tag_default_of
from ficarchive.tags import actions
from ficarchive.tags.forms import (
    AcceptSuggestionForm,
    BulkWrangleForm,
    MediaForm,
    TagWrangleForm,
)
from ficarchive.tags.models import Tag, TagType, WranglingChange, can_wrangle
from ficarchive.works.forms import add_action_errors
from ficarchive.works.models import Work, WorkQuerySet
from ficarchive.works.views.posting import posted_data, status_of

TAGS_PER_WRANGLING_PAGE = 50

View = Callable[..., HttpResponse]


def _named_tag(request: HttpRequest, name: str, *types: str) -> tuple[Tag, list[Tag]]:
    """The tag NAME (of TYPES, if given); `?type=` picks among tags of several types that share
    the name. Also returns the others that share it."""
    same_name = Tag.objects.named(name).select_related("synonym_of")
    if types:
        same_name = same_name.filter(type__in=types)
    found = list(same_name)
    if not found:
        raise Http404("No such tag.")
    chosen = [tag for tag in found if tag.type == request.GET.get("type")]
    tag = (chosen or found)[0]
    return tag, [other for other in found if other.pk != tag.pk]


def works(request: HttpRequest, name: str) -> HttpResponse:
    """Works found under NAME (its synonyms and, for a fandom, its sub-fandoms too), and the
    tag's place among the others: its canonical tag, synonyms, parents and children."""
    tag, others = _named_tag(request, name)
    default = tag_default_of(request.user) if "all" not in request.GET else None
    if default is not None:  # the reader's default search, with this tag
        through = QueryDict(default.query, mutable=True)
        through.appendlist("include", tag.name)
        through["tag_default"] = tag.name
        return redirect(f"{reverse('search:works')}?{through.urlencode()}")

    def listed() -> WorkQuerySet:  # only where the index's listing will not do
        return Work.objects.listed_for(request.user)

    drawn = listing(request, tag)
    page = paginate(request, listed().tagged(tag).with_blurb_data() if drawn is None else drawn)
    context = {
        **page,
        "works": page["page_obj"],
        "drawn": drawn is not None,
        "tag": tag,
        "others": others,
        "family": tag.family(listed),
        "can_wrangle": can_wrangle(request.user),
    }
    return render(request, "tags/works.html", context)


def wrangler_only(view: View) -> View:
    """Log in first; then only tag wranglers get past (403 for everybody else)."""

    @wraps(view)
    def check(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_wrangle(request.user):
            raise PermissionDenied("Only tag wranglers may wrangle tags.")
        return view(request, *args, **kwargs)

    return login_required(check)


@wrangler_only
def wrangling(request: AuthedRequest) -> HttpResponse:
    """The wrangling home: canonical fandoms by how many unwrangled tags their works carry."""
    fandoms = Tag.objects.canonical().of_type(TagType.FANDOM).with_unwrangled_counts()
    context = {
        **paginate(request, fandoms, per_page=TAGS_PER_WRANGLING_PAGE),
        "unwrangled_fandoms": Tag.objects.unwrangled().of_type(TagType.FANDOM).count(),
    }
    return render(request, "tags/wrangling.html", context)


@wrangler_only
def wrangle_fandom(request: AuthedRequest, name: str) -> HttpResponse:
    """A fandom's unwrangled tags by use in its works, with bulk actions and suggestions."""
    fandom, _others = _named_tag(request, name, TagType.FANDOM)
    in_fandom = Work.objects.posted().tagged(fandom)
    tags = Tag.objects.unwrangled().exclude(type=TagType.FANDOM).with_use_counts(in_fandom)
    return _bulk_page(request, tags, fandom)


@wrangler_only
def wrangle_fandoms(request: AuthedRequest) -> HttpResponse:
    """Fandom tags nobody has wrangled yet, by use, with bulk actions."""
    tags = Tag.objects.unwrangled().of_type(TagType.FANDOM).with_use_counts(Work.objects.posted())
    return _bulk_page(request, tags, None)


def _bulk_page(request: AuthedRequest, tags: Any, fandom: Tag | None) -> HttpResponse:
    form = BulkWrangleForm(posted_data(request))
    if form.is_valid():
        chosen, action = list(form.cleaned_data["tags"]), form.cleaned_data["action"]
        try:
            done = actions.wrangle_tags(request.user, chosen, action, form.cleaned_data["names"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, " ".join(change.description for change in done[:20]))
            return redirect(request.get_full_path())
    page = paginate(request, tags, per_page=TAGS_PER_WRANGLING_PAGE)
    listed = list(page["page_obj"])
    suggestions = actions.suggestions_for(listed, fandom)
    rows = [(tag, suggestions.get(tag.pk, [])) for tag in listed]
    checked = set(request.POST.getlist("tags")) if form.is_bound else set()
    context = {**page, "form": form, "fandom": fandom, "rows": rows, "checked": checked}
    return render(request, "tags/wrangle_fandom.html", context, status=status_of(form))


@require_POST
@wrangler_only
def accept_suggestion(request: AuthedRequest) -> HttpResponse:
    """One click on a suggestion: the tag becomes a synonym of the suggested canonical tag."""
    form = AcceptSuggestionForm(request.POST)
    if not form.is_valid():
        return HttpResponse("That suggestion names no tag.", status=400)
    tag, name = form.cleaned_data["suggestion"]
    fandom = form.cleaned_data["fandom"]
    try:
        done = actions.accept_suggestion(request.user, tag, name, fandom)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, " ".join(change.description for change in done))
    if fandom is None:
        return redirect("tags:wrangling")
    return redirect("tags:wrangle_fandom", fandom.name)


@wrangler_only
def edit(request: AuthedRequest, name: str) -> HttpResponse:
    """One tag's wrangling: any action, including merging and unwrangling."""
    tag, _others = _named_tag(request, name)
    form = TagWrangleForm(posted_data(request))
    if form.is_valid():
        try:
            done = actions.wrangle_tags(
                request.user, [tag], form.cleaned_data["action"], form.cleaned_data["names"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, done[0].description)
            return redirect(f"{reverse('tags:edit', args=[tag.name])}?type={tag.type}")
    context = {
        "tag": tag,
        "form": form,
        "media_form": MediaForm(initial={"media_type": tag.media}),
        "family": tag.family(Work.objects.listed_for(request.user)),
    }
    return render(request, "tags/edit.html", context, status=status_of(form))


@require_POST
@wrangler_only
def set_media(request: AuthedRequest, name: str) -> HttpResponse:
    """A canonical fandom's media type, from its wrangling page."""
    tag, _others = _named_tag(request, name, TagType.FANDOM)
    form = MediaForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose one of the media types.", status=400)
    try:
        actions.set_media(request.user, tag, form.cleaned_data["media_type"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("“%(name)s” is listed under %(media)s.")
            % {"name": tag.name, "media": tag.get_media_display()},
        )
    return redirect(f"{reverse('tags:edit', args=[tag.name])}?type={tag.type}")


@wrangler_only
def changes(request: AuthedRequest) -> HttpResponse:
    """Every wrangling change, newest first, with Undo buttons."""
    log = WranglingChange.objects.newest_first()
    return render(request, "tags/changes.html", paginate(request, log))


@require_POST
@wrangler_only
def undo(request: AuthedRequest, change_id: int) -> HttpResponse:
    change = get_object_or_404(WranglingChange.objects.select_related("tag"), pk=change_id)
    try:
        actions.undo_change(request.user, change)
    except ValidationError as exc:
        context = {**paginate(request, WranglingChange.objects.newest_first()), "error": exc}
        return render(request, "tags/changes.html", context, status=400)
    messages.success(request, _("Undid: %(description)s") % {"description": change.description})
    return redirect("tags:changes")
