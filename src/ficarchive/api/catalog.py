"""Series and tags: a series with its parts, tag lookup, autocomplete, a fandom's tag tree."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router

from ficarchive.api import present
from ficarchive.api.auth import READ_AUTH
from ficarchive.api.choices import AutocompleteTypeName, TagTypeName
from ficarchive.api.common import PathId, answers
from ficarchive.api.errors import ApiError
from ficarchive.api.schemas import FandomNodeOut, SeriesOut, TagListOut, TagOut, Text
from ficarchive.tags.models import MAX_TAG_LENGTH, Tag, TagType
from ficarchive.tags.resolving import autocomplete as matching_tags
from ficarchive.tags.views_autocomplete import AutocompleteForm
from ficarchive.works.models import Series, Work

router = Router(tags=["series and tags"])

TagName = Annotated[Text, Query(min_length=1, max_length=MAX_TAG_LENGTH)]
TagTypeParam = Annotated[TagTypeName | None, Query(description="Pick among tags sharing the name.")]


@router.get("/series/{series_id}", response=answers(SeriesOut), auth=READ_AUTH)
def get_series(request: HttpRequest, series_id: PathId) -> dict[str, Any]:
    """A series and the parts the reader may see, in order (a 404 when none is visible)."""
    found = get_object_or_404(Series.objects.visible_to(request.user), pk=series_id)
    parts = (
        found.parts_listed_for(request.user)
        .select_related(None)
        .prefetch_related(Prefetch("work", queryset=Work.objects.with_blurb_data()))
    )
    works = [(number, part.work) for number, part in enumerate(parts, start=1)]
    return present.series(request, found, works)


def _named_tag(name: str, tag_type: str | None) -> tuple[Tag, list[Tag]]:
    """The tag NAME (of TAG_TYPE when given), and the tags of other types sharing its name."""
    found = list(Tag.objects.named(name).select_related("synonym_of"))
    chosen = [tag for tag in found if tag_type is None or tag.type == tag_type]
    if not chosen:
        raise Http404("No such tag.")
    return chosen[0], [tag for tag in found if tag.pk != chosen[0].pk]


@router.get("/tags", response=answers(TagOut), auth=READ_AUTH)
def get_tag(request: HttpRequest, name: TagName, type: TagTypeParam = None) -> dict[str, Any]:
    """A tag by name: its state, canonical tag, synonyms, parents and children, as its page."""
    tag, others = _named_tag(name, type)
    listed = Work.objects.listed_for(request.user)
    works = request.build_absolute_uri(reverse("api:works")) + "?" + _query(include=tag.name)
    return present.tag_ref(tag) | {
        "state": tag.state,
        "synonym_of": present.tag_ref(tag.synonym_of) if tag.synonym_of else None,
        "works": works,
        "family": present.family(tag.family(listed)),
        "same_name": [present.tag_ref(other) for other in others],
    }


MAX_TREE_DEPTH = 4


def _fandom_node(tag: Tag, listed: Any, depth: int) -> dict[str, Any]:
    family = tag.family(listed)
    below = family.sub_fandoms if depth < MAX_TREE_DEPTH else []
    return present.tag_ref(tag) | {
        "cast": [present.ranked(item) for item in family.cast],
        "sub_fandoms": [_fandom_node(sub.merger, listed, depth + 1) for sub in below],
    }


@router.get("/tags/tree", response=answers(FandomNodeOut), auth=READ_AUTH)
def fandom_tree(request: HttpRequest, name: TagName) -> dict[str, Any]:
    """A fandom's tag tree: its canonical characters and relationships ranked by the works
    the reader may see, and its sub-fandoms (four levels down at most) with theirs."""
    fandom, _ = _named_tag(name, TagType.FANDOM)
    return _fandom_node(fandom.merger, Work.objects.listed_for(request.user), depth=0)


def _query(**params: str) -> str:
    query = QueryDict(mutable=True)
    query.update(params)
    return query.urlencode()


@router.get("/tags/autocomplete", response=answers(TagListOut), auth=READ_AUTH)
def autocomplete_tags(
    request: HttpRequest,
    type: AutocompleteTypeName,
    q: Annotated[Text, Query(max_length=MAX_TAG_LENGTH)] = "",
    fandom: Annotated[list[Text] | None, Query(max_length=20)] = None,
) -> dict[str, Any]:
    """Wrangled tags of a type (fandom, character, relationship, freeform) whose names hold
    every word typed, canonical first; characters and relationships within the `fandom`s."""
    form = AutocompleteForm(request.GET)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise ApiError(422, str(errors[0]), field=field)
    data = form.cleaned_data
    tags = matching_tags(data["type"], data["q"], form.fandom_names)
    return {"items": [present.tag_ref(tag) for tag in tags]}
