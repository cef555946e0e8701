"""Tag pages: the works that carry a tag."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ficarchive.pages import paginate
from ficarchive.tags.models import Tag
from ficarchive.works.models import Work


def works(request: HttpRequest, name: str) -> HttpResponse:
    """Works tagged NAME. A name used by tags of several types picks one with `?type=`."""
    same_name = list(Tag.objects.named(name))
    if not same_name:
        raise Http404("No such tag.")
    chosen = [tag for tag in same_name if tag.type == request.GET.get("type")]
    tag = (chosen or same_name)[0]
    page = paginate(request, Work.objects.listed_for(request.user).tagged(tag).with_blurb_data())
    others = [other for other in same_name if other.pk != tag.pk]
    context = {**page, "works": page["page_obj"], "tag": tag, "others": others}
    return render(request, "tags/works.html", context)
