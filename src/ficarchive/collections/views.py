"""Collection pages: the list, one collection and its works, making and changing one, its
waiting works and members for its keepers, and a work's collections for its creators."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.accounts.standing import good_standing_required
from ficarchive.collections import actions, revealing
from ficarchive.collections.forms import AddWorkForm, CollectionForm, InviteWorkForm, MemberForm
from ficarchive.collections.models import (
    Approval,
    Collection,
    CollectionItem,
    GiftExchange,
    PromptMeme,
)
from ficarchive.pages import paginate
from ficarchive.search.results import find_works
from ficarchive.search.sidebar import sidebar
from ficarchive.social.models import Bookmark
from ficarchive.works.forms import add_action_errors
from ficarchive.works.views.posting import editable_work, posted_data, status_of

COLLECTIONS_PER_PAGE = 30
BOOKMARKS_SHOWN = 10  # on the collection page; its bookmarks page has them all
Challenge = TypeVar("Challenge", GiftExchange, PromptMeme)


def challenge_of(model: type[Challenge], name: str) -> Challenge:
    """The gift exchange or prompt meme (MODEL) of the collection called NAME, or a 404."""
    found = model.objects.select_related("collection").filter(collection__name=name).first()
    if found is None:
        raise Http404(f"No {model._meta.verbose_name} here.")
    return found


def index(request: HttpRequest) -> HttpResponse:
    """Every collection, by title, with how many works it lists."""
    # Works any reader may find there: a hidden, unposted or (for guests) restricted work is
    # not counted, so the count tells no one of a work they may not see.
    listed = Q(
        items__author_status=Approval.APPROVED,
        items__moderator_status=Approval.APPROVED,
        items__work__is_draft=False,
        items__work__is_hidden=False,
    )
    if not request.user.is_authenticated:
        listed &= Q(items__work__restricted=False)
    found = Collection.objects.annotate(works=Count("items", filter=listed)).order_by("title")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        found = found.filter(Q(title__icontains=query) | Q(name__icontains=query))
    context = {**paginate(request, found, COLLECTIONS_PER_PAGE), "q": query}
    return render(request, "collections/index.html", context)


def detail(request: HttpRequest, name: str) -> HttpResponse:
    collection = get_object_or_404(Collection.objects.select_related("parent"), name=name)
    works = collection.listed_works(request.user).with_blurb_data()
    role = collection.role_of(request.user)
    waiting = collection.items.filter(moderator_status=Approval.PENDING)
    context = {
        **paginate(request, works),
        "collection": collection,
        "role": role,
        "waiting": waiting.count() if role else 0,
        "unrevealed": collection.waiting_for_reveal() if not role else 0,
        **_exchange_context(request, collection),
        "children": collection.children.order_by("title"),
        "has_meme": collection.has_meme,
        "bookmarks": collection.listed_bookmarks(request.user)[:BOOKMARKS_SHOWN],
        **_filters(request, collection),
    }
    return render(request, "collections/detail.html", context)


def _filters(request: HttpRequest, collection: Collection) -> dict[str, object]:
    """The works search's filters and the facets of the collection's works, as the search page
    draws them, leading to the search kept to the collection."""
    params = QueryDict(mutable=True)
    params["collection"] = collection.name
    found = find_works(params, request.user)
    search_url = reverse("search:works")
    facets = [
        (label, [replace(link, url=search_url + link.url) for link in links])
        for label, links in found.facets
    ]
    return {"sidebar": sidebar(params), "found": replace(found, facets=facets)}


def _exchange_context(request: HttpRequest, collection: Collection) -> dict[str, object]:
    exchange = GiftExchange.objects.filter(collection=collection).first()
    if exchange is None:
        return {"exchange": None}
    signed_up = request.user.is_authenticated and (
        exchange.signups.filter(user_id=request.user.pk).exists()
    )
    return {
        "exchange": exchange,
        "signups_open": exchange.signups_are_open(),
        "signed_up": signed_up,
    }


@login_required
@good_standing_required
def new(request: AuthedRequest) -> HttpResponse:
    form = CollectionForm(posted_data(request))
    if form.is_valid():
        try:
            made = actions.create_collection(request.user, form.details())
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Collection “%(title)s” made.") % {"title": made.title})
            return redirect(made)
    return render(request, "collections/form.html", {"form": form}, status=status_of(form))


def _kept(request: AuthedRequest, name: str, *roles: str) -> tuple[Collection, str]:
    """The collection and the reader's role in it, if it is one of ROLES (else 403)."""
    collection = get_object_or_404(Collection, name=name)
    return collection, collection.require_role(request.user, *roles)


@login_required
@good_standing_required
def edit(request: AuthedRequest, name: str) -> HttpResponse:
    collection, _role = _kept(request, name, "owner")
    initial = {
        "name": collection.name,
        "title": collection.title,
        "summary": collection.summary,
        "rules": collection.rules,
        "is_open": collection.is_open,
        "is_moderated": collection.is_moderated,
        "parent": collection.parent.name if collection.parent else "",
        "is_anonymous": collection.is_anonymous,
        "is_unrevealed": collection.is_unrevealed,
        "reveal_at": timezone.localtime(collection.reveal_at) if collection.reveal_at else None,
    }
    form = CollectionForm(posted_data(request), initial=initial)
    if form.is_valid():
        try:
            actions.update_collection(request.user, collection, form.details())
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The collection is saved."))
            return redirect(collection)
    context = {"form": form, "collection": collection}
    return render(request, "collections/form.html", context, status=status_of(form))


@login_required
def manage(request: AuthedRequest, name: str) -> HttpResponse:
    """For keepers: works waiting for approval, every work, and (for owners) the members."""
    collection, role = _kept(request, name, "owner", "moderator")
    items = collection.items.select_related("work").order_by(
        "moderator_status", "-created_at", "-id"
    )
    invite_form = InviteWorkForm(request.POST if "work" in request.POST else None)
    if request.method == "POST" and invite_form.is_valid():
        try:
            actions.invite_work(request.user, invite_form.cleaned_data["work"], collection)
        except ValidationError as exc:
            add_action_errors(invite_form, exc)
        else:
            messages.success(request, _("The work's creators are asked."))
            return redirect("collections:manage", collection.name)
    member_form = MemberForm(request.POST if "username" in request.POST else None)
    if request.method == "POST" and member_form.is_valid():
        try:
            actions.set_member(
                request.user,
                collection,
                member_form.cleaned_data["username"],
                member_form.cleaned_data["role"] or None,
            )
        except ValidationError as exc:
            add_action_errors(member_form, exc)
        else:
            messages.success(request, _("The members are saved."))
            return redirect("collections:manage", collection.name)
    context = {
        **paginate(request, items, 50),
        "bookmark_items": collection.bookmark_items.select_related("bookmark__user")
        .exclude(moderator_status=Approval.APPROVED)
        .order_by("created_at"),
        "collection": collection,
        "role": role,
        "members": collection.members.select_related("user").order_by("role", "user__username"),
        "member_form": member_form,
        "invite_form": invite_form,
    }
    status = max(status_of(member_form), status_of(invite_form))
    return render(request, "collections/manage.html", context, status=status)


@require_POST
@login_required
def review(request: AuthedRequest, name: str, item_id: int) -> HttpResponse:
    collection, _role = _kept(request, name, "owner", "moderator")
    item = get_object_or_404(collection.items.select_related("collection", "work"), pk=item_id)
    verb = request.POST.get("verb")
    if verb == "remove":
        actions.remove_item(request.user, item)
        messages.success(
            request, _("“%(title)s” is out of the collection.") % {"title": item.work.title}
        )
    elif verb in ("approve", "refuse"):
        actions.review_item(request.user, item, verb == "approve")
        messages.success(request, _("Saved."))
    return redirect("collections:manage", collection.name)


@require_POST
@login_required
@good_standing_required
def reveal(request: AuthedRequest, name: str) -> HttpResponse:
    """Reveal the collection's works and creators now."""
    collection, _role = _kept(request, name, "owner", "moderator")
    count = revealing.reveal(request.user, collection)
    messages.success(
        request,
        ngettext(
            "“%(title)s” is revealed: %(count)s work is shown with its creators.",
            "“%(title)s” is revealed: %(count)s works are shown with their creators.",
            count,
        )
        % {"title": collection.title, "count": count},
    )
    return redirect(collection)


@login_required
@good_standing_required
def work_collections(request: AuthedRequest, work_id: int) -> HttpResponse:
    """A work's collections, for its creators: add it to one, or take it out."""
    work = editable_work(request, work_id)
    form = AddWorkForm(posted_data(request) if "collection" in request.POST else None)
    if form.is_valid():
        try:
            item = actions.add_work(request.user, work, form.cleaned_data["collection"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if item.is_listed:
                note = _("The work is in “%(title)s”.")
            else:
                note = _("The work waits for a moderator of “%(title)s” to approve it.")
            messages.success(request, note % {"title": item.collection.title})
            return redirect("collections:work_collections", work.pk)
    if request.method == "POST" and request.POST.get("answer") in ("accept", "decline"):
        answered = get_object_or_404(
            CollectionItem.objects.select_related("collection", "work"),
            work=work,
            pk=int(request.POST["item"]) if request.POST.get("item", "").isdigit() else 0,
        )
        try:
            accept = request.POST["answer"] == "accept"
            actions.answer_invitation(request.user, answered, accept)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            note = _("The work is in “%(title)s”.") if accept else _("You declined “%(title)s”.")
            messages.success(request, note % {"title": answered.collection.title})
        return redirect("collections:work_collections", work.pk)
    if request.method == "POST" and "remove" in request.POST:
        remove = request.POST.get("remove", "")
        item = get_object_or_404(
            CollectionItem.objects.select_related("collection", "work"),
            work=work,
            pk=int(remove) if remove.isdigit() else 0,
        )
        actions.remove_item(request.user, item)
        messages.success(request, _("Taken out of “%(title)s”.") % {"title": item.collection.title})
        return redirect("collections:work_collections", work.pk)
    items = (
        CollectionItem.objects.filter(work=work)
        .select_related("collection")
        .order_by("collection__title")
    )
    context = {"work": work, "form": form, "items": items}
    return render(request, "collections/work_collections.html", context, status=status_of(form))


@login_required
@good_standing_required
def bookmark_collections(request: AuthedRequest, bookmark_id: int) -> HttpResponse:
    """A bookmark's collections, for its owner: put it in one, or take it out."""
    bookmark = get_object_or_404(Bookmark, pk=bookmark_id, user=request.user)
    form = AddWorkForm(posted_data(request) if "collection" in request.POST else None)
    if form.is_valid():
        try:
            item = actions.add_bookmark(request.user, bookmark, form.cleaned_data["collection"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if item.moderator_status == Approval.APPROVED:
                note = _("The bookmark is in “%(title)s”.")
            else:
                note = _("The bookmark waits for a moderator of “%(title)s” to approve it.")
            messages.success(request, note % {"title": item.collection.title})
            return redirect("collections:bookmark_collections", bookmark.pk)
    if request.method == "POST" and request.POST.get("remove", "").isdigit():
        item = get_object_or_404(
            bookmark.collection_items.select_related("collection", "bookmark"),
            pk=int(request.POST["remove"]),
        )
        actions.review_bookmark(request.user, item, "remove")
        messages.success(request, _("Taken out of “%(title)s”.") % {"title": item.collection.title})
        return redirect("collections:bookmark_collections", bookmark.pk)
    items = bookmark.collection_items.select_related("collection").order_by("collection__title")
    context = {"bookmark": bookmark, "form": form, "items": items}
    template = "collections/bookmark_collections.html"
    return render(request, template, context, status=status_of(form))


@require_POST
@login_required
def review_bookmark(request: AuthedRequest, name: str, item_id: int) -> HttpResponse:
    collection, _role = _kept(request, name, "owner", "moderator")
    item = get_object_or_404(collection.bookmark_items.select_related("bookmark"), pk=item_id)
    actions.review_bookmark(request.user, item, request.POST.get("verb", ""))
    messages.success(request, _("Saved."))
    return redirect("collections:manage", collection.name)


def bookmarks(request: HttpRequest, name: str) -> HttpResponse:
    """Every bookmark listed in the collection that its reader may see."""
    collection = get_object_or_404(Collection, name=name)
    found = collection.listed_bookmarks(request.user)
    context = {**paginate(request, found, 20), "collection": collection}
    return render(request, "collections/bookmarks.html", context)
