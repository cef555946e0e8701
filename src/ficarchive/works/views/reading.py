"""Reading: the home page, the list of works, a work (whole or chapter by chapter), its index."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ficarchive.pages import paginate
from ficarchive.search.listings import listing
from ficarchive.social.places import place_in, read_chapters
from ficarchive.works.models import Chapter, Credit, Work
from ficarchive.works.series_places import series_neighbours

HOME_WORKS = 20
ADULT_SESSION_KEY = "adult_ok_works"
ADULT_SESSION_LIMIT = 500


def home(request: HttpRequest) -> HttpResponse:
    drawn = listing(request, per_page=HOME_WORKS)
    if drawn is not None:
        context = {"works": drawn[0:HOME_WORKS], "drawn": True}
    else:
        context = {"works": Work.objects.listed_for(request.user).with_blurb_data()[:HOME_WORKS]}
    return render(request, "works/home.html", context)


def index(request: HttpRequest) -> HttpResponse:
    drawn = listing(request)
    works = Work.objects.listed_for(request.user).with_blurb_data() if drawn is None else drawn
    page = paginate(request, works)
    context = {**page, "works": page["page_obj"], "drawn": drawn is not None}
    return render(request, "works/index.html", context)


def detail(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _open_work(request, work_id)
    if isinstance(work, HttpResponse):
        return work
    return _render_work(request, work, chapter_id=None, whole=_wants_full_work(request))


def chapter(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work = _open_work(request, work_id)
    if isinstance(work, HttpResponse):
        return work
    return _render_work(request, work, chapter_id=chapter_id, whole=False)


def navigate(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _open_work(request, work_id)
    if isinstance(work, HttpResponse):
        return work
    chapters = _numbered(work.chapters_visible_to(request.user).defer("body", "body_source"))
    context = {"work": work, "chapters": chapters, **_reader_place(request, work)}
    return render(request, "works/navigate.html", context)


# --- helpers -------------------------------------------------------------------------------


def _open_work(request: HttpRequest, work_id: int) -> Work | HttpResponse:
    """The work if this reader may open it; guests are sent to log in for restricted works.

    Anything else the reader may not see (drafts, hidden works, unknown ids) is a 404, so that
    its existence does not leak.
    """
    reading = Work.objects.with_blurb_data().prefetch_related(
        Prefetch("credits", queryset=Credit.objects.select_related("pseud__user"))
    )
    work = get_object_or_404(reading, pk=work_id)
    if work.is_visible_to(request.user):
        return work
    if not request.user.is_authenticated and _open_to_registered_users(work):
        return redirect_to_login(request.get_full_path())
    raise Http404("No such work.")


def _open_to_registered_users(work: Work) -> bool:
    return work.restricted and not work.is_draft and not work.is_hidden


def _wants_full_work(request: HttpRequest) -> bool:
    """`?view_full_work=true|false` wins; otherwise the reader's preference decides."""
    asked = request.GET.get("view_full_work")
    if asked in ("true", "false"):
        return asked == "true"
    return bool(request.user.is_authenticated and request.user.view_full_work)


def _numbered(chapters: QuerySet[Chapter]) -> list[Chapter]:
    """The chapters in order, each with `number`: its place among the chapters shown."""
    numbered = list(chapters)
    for number, item in enumerate(numbered, start=1):
        item.number = number  # type: ignore[attr-defined]
    return numbered


def _adult_notice_passed(request: HttpRequest, work: Work, editable: bool) -> bool:
    """Whether to show an adult work without the notice first.

    `?view_adult=true` accepts the notice for this work for the rest of the session.
    """
    if not work.is_adult or editable:
        return True
    if request.user.is_authenticated and request.user.skip_adult_notice:
        return True
    accepted: list[int] = request.session.get(ADULT_SESSION_KEY, [])
    if request.GET.get("view_adult") == "true":
        if work.pk not in accepted:
            request.session[ADULT_SESSION_KEY] = [*accepted, work.pk][-ADULT_SESSION_LIMIT:]
        return True
    return work.pk in accepted


def _with_query(request: HttpRequest, **params: str) -> str:
    """This page's address with some query-string parameters set."""
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in params.items():
        query[key] = value
    return f"{request.path}?{query.urlencode()}"


def _render_work(
    request: HttpRequest, work: Work, *, chapter_id: int | None, whole: bool
) -> HttpResponse:
    """The work page (or the adult-content notice in front of it)."""
    editable = work.is_editable_by(request.user)
    chapters = work.chapters_visible_to(request.user)
    visible = _numbered(chapters if whole else chapters.defer("body", "body_source"))
    reading = _chapters_shown(visible, chapter_id, whole)
    context: dict[str, Any] = {
        "work": work,
        "editable": editable,
    }
    if not _adult_notice_passed(request, work, editable):
        context |= {"adult_notice": True, "proceed_url": _with_query(request, view_adult="true")}
    else:
        context |= reading | {"series_links": series_neighbours(work, request.user)}
        context["draft_totals"] = _draft_totals(work, visible)
        context |= _reader_place(request, work)
    return render(request, "works/detail.html", context)


def _reader_place(request: HttpRequest, work: Work) -> dict[str, Any]:
    """The signed-in reader's place in the posted WORK, and whether the page keeps it (their
    history is on)."""
    user: Any = request.user
    if work.is_draft or not user.is_authenticated or not user.keep_history:
        return {"place": None, "keeps_place": False, "read_chapters": frozenset()}
    place = place_in(user, work)
    read = place.read if place else read_chapters(user, work)
    return {"place": place, "keeps_place": True, "read_chapters": read}


def _draft_totals(work: Work, visible: list[Chapter]) -> dict[str, Any] | None:
    """A draft's words and chapters as they will be once posted (its chapters are drafts
    too, so the stored counts, of posted chapters only, are still zero); None for a posted
    work."""
    if not work.is_draft:
        return None
    total = "?" if work.expected_chapters is None else str(work.expected_chapters)
    return {
        "words": sum(chapter.word_count for chapter in visible),
        "chapters": f"{len(visible)}/{total}",
    }


def _chapters_shown(visible: list[Chapter], chapter_id: int | None, whole: bool) -> dict[str, Any]:
    """Which chapters the page shows, and its place among the reader's chapters.

    A chapter id that is not among the chapters the reader may see is a 404.
    """
    if chapter_id is not None:
        shown = [item for item in visible if item.pk == chapter_id]
        if not shown:
            raise Http404("No such chapter.")
    else:
        shown = visible if whole else visible[:1]
    place = visible.index(shown[0]) if shown else 0
    return {
        "chapters": shown,
        "chapter_total": len(visible),
        "whole": whole or len(visible) == 1,
        "first": place == 0,
        "last": place + 1 >= len(visible),
        "previous_chapter": visible[place - 1] if place > 0 and not whole else None,
        "next_chapter": visible[place + 1] if place + 1 < len(visible) and not whole else None,
    }
