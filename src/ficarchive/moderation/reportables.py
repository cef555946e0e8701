"""What can be reported, as a reporter finds it and as a moderator keeps it.

`find(user, kind, id)` is the live thing if USER may see it (else Http404, so a draft or a
private bookmark does not leak), with its label, the account responsible for it, and its
snapshot: what it said when it was reported (title, text, tags, author, address), kept on the
report so that an edit or a deletion afterwards changes nothing in the case.
`live(kind, id)` is the thing as moderators see it now, whoever may read it, or None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Model
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from ficarchive.accounts.models import Pseud, User
from ficarchive.moderation.models import Target
from ficarchive.social.models import Bookmark, Comment
from ficarchive.works.models import Chapter, Series, Work

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

NOUNS: dict[str, str] = {
    Target.WORK: "work",
    Target.CHAPTER: "chapter",
    Target.COMMENT: "comment",
    Target.SERIES: "series",
    Target.BOOKMARK: "bookmark",
    Target.USER: "user",
    Target.PSEUD: "pseud",
}


@dataclass
class Reportable:
    """A live thing found for a report."""

    kind: str
    obj: Any
    label: str
    subject: User | None
    owners: set[int] = field(default_factory=set)  # the accounts that may not report it

    @property
    def path(self) -> str:
        return path_of(self.obj)

    def snapshot(self) -> dict[str, Any]:
        taken = SNAPSHOTS[self.kind](self.obj)
        return {
            "kind": self.kind,
            "label": self.label,
            "url": _url(self.obj),
            "taken_at": timezone.now().isoformat(),
            **taken,
        }


def path_of(obj: Model) -> str:
    """The page of a reportable thing (a bookmark's is its own page)."""
    if isinstance(obj, Bookmark):
        return reverse("social:bookmark", args=[obj.pk])
    return str(obj.get_absolute_url())  # type: ignore[attr-defined]


def _url(obj: Model) -> str:
    return settings.SITE_URL.rstrip("/") + path_of(obj)


def _cut(text: str) -> str:
    """Long texts are kept up to REPORT_SNAPSHOT_MAX_CHARS characters (a note says so)."""
    most = settings.REPORT_SNAPSHOT_MAX_CHARS
    if len(text) <= most:
        return text
    return text[:most] + f"\n[… {len(text) - most:,} more characters not kept]"


def _creators(work: Work) -> list[Pseud]:
    return work.actual_creators


def _first_user(pseuds: list[Pseud]) -> User | None:
    return pseuds[0].user if pseuds else None


def _tags(work: Work) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in work.tags.order_by("type", "name"):
        found.setdefault(tag.type, []).append(tag.name)
    return found


# --- what each kind keeps -------------------------------------------------------------------


def _work_snapshot(work: Work) -> dict[str, Any]:
    chapters = work.posted_chapters()
    body = "\n".join(f"<h3>{c.heading}</h3>\n{c.body}" for c in chapters)
    creators = _creators(work)
    return {
        "title": work.title,
        "author": ", ".join(p.byline for p in creators),
        "authors": [p.user.username for p in creators],
        "tags": _tags(work),
        "summary": work.summary,
        "notes": "\n".join(n for n in (work.begin_notes, work.end_notes) if n),
        "body": _cut(body),
    }


def _chapter_snapshot(chapter: Chapter) -> dict[str, Any]:
    creators = _creators(chapter.work)
    return {
        "title": f"{chapter.work.title}, {chapter.heading}",
        "author": ", ".join(p.byline for p in creators),
        "authors": [p.user.username for p in creators],
        "tags": _tags(chapter.work),
        "summary": chapter.summary,
        "notes": "\n".join(n for n in (chapter.begin_notes, chapter.end_notes) if n),
        "body": _cut(chapter.body),
    }


def _comment_snapshot(comment: Comment) -> dict[str, Any]:
    return {
        "title": f"Comment on “{comment.work.title}”",
        "author": comment.author_name,
        "authors": [comment.user.username] if comment.user else [],
        "guest": comment.user_id is None,
        "body": _cut(comment.body),
    }


def _series_snapshot(series: Series) -> dict[str, Any]:
    creators = list(series.creators.select_related("user"))
    return {
        "title": series.title,
        "author": ", ".join(p.byline for p in creators),
        "authors": [p.user.username for p in creators],
        "summary": series.summary,
        "notes": series.notes,
        "works": [part.work.title for part in series.parts.select_related("work")],
    }


def _bookmark_snapshot(bookmark: Bookmark) -> dict[str, Any]:
    return {
        "title": f"Bookmark of “{bookmark.target.title}”",
        "author": bookmark.user.username,
        "authors": [bookmark.user.username],
        "tags": {"bookmark": list(bookmark.tags)},
        "notes": _cut(bookmark.notes),
    }


def _user_snapshot(user: User) -> dict[str, Any]:
    return {
        "title": user.username,
        "author": user.username,
        "authors": [user.username],
        "joined": user.date_joined.isoformat(),
        "pseuds": [{"name": p.name, "description": _cut(p.description)} for p in user.pseuds.all()],
    }


def _pseud_snapshot(pseud: Pseud) -> dict[str, Any]:
    return {
        "title": pseud.byline,
        "author": pseud.user.username,
        "authors": [pseud.user.username],
        "description": _cut(pseud.description),
    }


SNAPSHOTS: dict[str, Callable[[Any], dict[str, Any]]] = {
    Target.WORK: _work_snapshot,
    Target.CHAPTER: _chapter_snapshot,
    Target.COMMENT: _comment_snapshot,
    Target.SERIES: _series_snapshot,
    Target.BOOKMARK: _bookmark_snapshot,
    Target.USER: _user_snapshot,
    Target.PSEUD: _pseud_snapshot,
}


# --- finding a live thing --------------------------------------------------------------------


def _describe(kind: str, obj: Any) -> Reportable:
    """Label, subject and owners of a live thing of KIND."""
    if kind == Target.WORK:
        creators = _creators(obj)
        return Reportable(
            kind, obj, f"Work “{obj.title}”", _first_user(creators), {p.user_id for p in creators}
        )
    if kind == Target.CHAPTER:
        creators = _creators(obj.work)
        label = f"{obj.heading} of “{obj.work.title}”"
        return Reportable(kind, obj, label, _first_user(creators), {p.user_id for p in creators})
    if kind == Target.COMMENT:
        label = f"Comment by {obj.shown_name} on “{obj.work.title}”"  # as readers see it
        return Reportable(kind, obj, label, obj.user, {obj.user_id} - {None})
    if kind == Target.SERIES:
        creators = list(obj.creators.select_related("user"))
        return Reportable(
            kind, obj, f"Series “{obj.title}”", _first_user(creators), {p.user_id for p in creators}
        )
    if kind == Target.BOOKMARK:
        label = f"{obj.user.username}'s bookmark of “{obj.target.title}”"
        return Reportable(kind, obj, label, obj.user, {obj.user_id})
    if kind == Target.USER:
        return Reportable(kind, obj, f"User {obj.username}", obj, {obj.pk})
    return Reportable(kind, obj, f"Pseud {obj.byline}", obj.user, {obj.user_id})


def _readable(user: AnyUser, kind: str) -> Any:
    """The things of KIND this USER may see, as their pages decide."""
    works = Work.objects.visible_to(user).posted()
    if kind == Target.WORK:
        return works
    if kind == Target.CHAPTER:
        return Chapter.objects.filter(work__in=works, is_draft=False).select_related("work")
    if kind == Target.COMMENT:
        return Comment.objects.public().filter(work__in=works).select_related("work", "user")
    if kind == Target.SERIES:
        return Series.objects.visible_to(user)
    if kind == Target.BOOKMARK:
        shown = Bookmark.objects.shown_to(user).filter(is_private=False, is_hidden=False)
        return shown.select_related("user", "work", "series")
    if kind == Target.USER:
        return User.objects.all()
    return Pseud.objects.select_related("user")


def find(user: AnyUser, kind: str, target_id: int) -> Reportable:
    """The live thing of KIND that USER may see and report; Http404 if there is none."""
    if kind not in NOUNS:
        raise Http404("Nothing of that kind can be reported.")
    obj = _readable(user, kind).filter(pk=target_id).first()
    if obj is None:
        raise Http404(f"No such {NOUNS[kind]}, or you may not see it.")
    return _describe(kind, obj)


def live(kind: str, target_id: int) -> Any:
    """The thing as it is now, whoever may see it; None once it is deleted."""
    if kind == Target.WORK:
        return Work.objects.filter(pk=target_id).first()
    if kind == Target.CHAPTER:
        return Chapter.objects.select_related("work").filter(pk=target_id).first()
    if kind == Target.COMMENT:
        found = Comment.objects.select_related("work", "user").filter(pk=target_id).first()
        return None if found is None or found.is_deleted else found
    if kind == Target.SERIES:
        return Series.objects.filter(pk=target_id).first()
    if kind == Target.BOOKMARK:
        return (
            Bookmark.objects.select_related("user", "work", "series").filter(pk=target_id).first()
        )
    if kind == Target.USER:
        return User.objects.filter(pk=target_id).first()
    if kind == Target.PSEUD:
        return Pseud.objects.select_related("user").filter(pk=target_id).first()
    return None
