"""What the social parts of a work page show, for the template tags and the htmx answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ficarchive.accounts.models import Block, Mute, User
from ficarchive.accounts.standing import refusal_to_write
from ficarchive.pages import paginate
from ficarchive.social.actions import refusal_to_comment
from ficarchive.social.forms import NewCommentForm
from ficarchive.social.hits import hits_shown
from ficarchive.social.models import (
    Bookmark,
    Comment,
    Kudos,
    Reading,
    Subscription,
    WorkStats,
)
from ficarchive.social.models.comments import mark_anonymous_creators
from ficarchive.works.models import Chapter, Creatorship, Work

KUDOS_NAMES = 50
THREADS_PER_PAGE = 20
GUEST_COOKIE = "ficarchive_guest"
GUEST_SALT = "ficarchive.social.guest"


def stats_of(work: Work) -> WorkStats:
    """The work's counters (all zero before anything happened to it)."""
    try:
        return work.stats  # type: ignore[attr-defined,no-any-return]
    except WorkStats.DoesNotExist:
        return WorkStats(work=work)


def guest_token(request: HttpRequest) -> str:
    """The guest's anonymous token from its signed cookie ("" if it has none yet)."""
    token = request.get_signed_cookie(GUEST_COOKIE, default="", salt=GUEST_SALT)
    return str(token)


def reader_state(request: HttpRequest, work: Work) -> dict[str, Any]:
    """The reader's own kudos, bookmark, subscription, "later" mark and block on the work.

    One query for all of them, kept on the request for the other parts of the page.
    """
    cached: dict[int, dict[str, Any]] = request.__dict__.setdefault("_social_state", {})
    if work.pk in cached:
        return cached[work.pk]
    user = request.user
    if not user.is_authenticated:
        token = guest_token(request)
        given = bool(token) and Kudos.objects.on(work).from_reader(user, token).exists()
        state: dict[str, Any] = {"kudos_given": given}
    else:
        mine = {"user_id": user.pk, "work": OuterRef("pk")}
        creators = Creatorship.objects.filter(work_id=work.pk, accepted=True)
        state = (
            Work.objects.filter(pk=work.pk)
            .annotate(
                bookmark_id=Subquery(Bookmark.objects.filter(**mine).values("pk")[:1]),
                subscription_id=Subquery(Subscription.objects.filter(**mine).values("pk")[:1]),
                marked_later=Exists(Reading.objects.filter(is_later=True, **mine)),
                kudos_given=Exists(Kudos.objects.filter(**mine)),
                blocked=Exists(
                    Block.objects.filter(
                        blocked_id=user.pk, blocker_id__in=creators.values("pseud__user_id")
                    )
                ),
            )
            .values("bookmark_id", "subscription_id", "marked_later", "kudos_given", "blocked")
            .get()
        )
    cached[work.pk] = state
    return state


def person_state(viewer: Any, person: User) -> dict[str, Any] | None:
    """The viewer's subscription to, block of and mute of PERSON, in one query; None when no
    follow/block/mute controls apply (a guest, or one's own pages)."""
    if not viewer.is_authenticated or viewer.pk == person.pk:
        return None
    following = Subscription.objects.filter(user_id=viewer.pk, creator_id=person.pk)
    return dict(
        User.objects.filter(pk=person.pk)
        .annotate(
            subscription_id=Subquery(following.values("pk")[:1]),
            blocked=Exists(Block.objects.filter(blocker_id=viewer.pk, blocked_id=person.pk)),
            muted=Exists(Mute.objects.filter(muter_id=viewer.pk, muted_id=person.pk)),
        )
        .values("subscription_id", "blocked", "muted")
        .get()
    )


def kudos_sentence(users: Sequence[User | None], more_users: int, guests: int) -> SafeString:
    """Who left kudos, as one sentence: the named users linked, then the counts of the others."""
    names = format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((user.get_absolute_url(), user.username) for user in users if user is not None),
    )
    more = ngettext("%(count)s more user", "%(count)s more users", more_users) % {
        "count": more_users
    }
    guest_count = ngettext("%(count)s guest", "%(count)s guests", guests) % {"count": guests}
    if users and more_users and guests:
        text = _("%(names)s and %(more)s as well as %(guests)s left kudos on this work!")
    elif users and more_users:
        text = _("%(names)s and %(more)s left kudos on this work!")
    elif users and guests:
        text = _("%(names)s as well as %(guests)s left kudos on this work!")
    elif users:
        text = _("%(names)s left kudos on this work!")
    else:
        text = _("%(guests)s left kudos on this work!")
    shown = {"names": names, "more": escape(more), "guests": escape(guest_count)}
    return mark_safe(escape(text) % shown)  # every part of it is escaped


def kudos_context(request: HttpRequest, work: Work, *, editable: bool) -> dict[str, Any]:
    total = stats_of(work).kudos
    named = list(Kudos.objects.on(work).named()[: KUDOS_NAMES + 1]) if total else []
    users = len(named) if len(named) <= KUDOS_NAMES else Kudos.objects.on(work).named().count()
    state = reader_state(request, work)
    given = state["kudos_given"]
    kudos_users = [kudos.user for kudos in named[:KUDOS_NAMES]]
    more_users, guests = max(users - KUDOS_NAMES, 0), max(total - users, 0)
    return {
        "work": work,
        "kudos_users": kudos_users,
        "kudos_more_users": more_users,
        "kudos_guests": guests,
        "kudos_sentence": kudos_sentence(kudos_users, more_users, guests),
        "kudos_total": total,
        "kudos_given": given,
        "can_give_kudos": not editable
        and not given
        and not state.get("blocked")
        and not refusal_to_write(request.user),
    }


def reader_context(request: HttpRequest, work: Work) -> dict[str, Any]:
    """The work's counters, and the reader's own bookmark, subscription and "later" mark."""
    stats = stats_of(work)
    shown = {"work": work, "stats": stats, "hits": hits_shown(work.pk)}
    if not request.user.is_authenticated:
        return shown
    state = reader_state(request, work)
    return {
        **shown,
        "own_bookmark": state["bookmark_id"],
        "own_subscription": state["subscription_id"],
        "marked_later": state["marked_later"],
    }


def counters_update(request: HttpRequest, work: Work) -> str:
    """The work's counters as they are now, for an htmx answer to swap in out of band: after an
    in-page kudos or comment, the "Kudos:" and "Comments:" numbers above change with it."""
    stats = WorkStats.objects.filter(work_id=work.pk).first() or WorkStats(work=work)
    context = {"work": work, "stats": stats, "hits": hits_shown(work.pk), "oob": True}
    return render_to_string("social/_work_stats.html", context, request)


def build_threads(comments: list[Comment], roots: list[Comment], work: Work) -> list[Comment]:
    """Attach each comment's shown replies as `children` (and whether it is by an anonymous
    creator of WORK); returns the roots."""
    mark_anonymous_creators([*roots, *comments], work)
    children: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            children.setdefault(comment.parent_id, []).append(comment)
    for comment in [*roots, *comments]:
        comment.children = children.get(comment.pk, [])  # type: ignore[attr-defined]
    return roots


def comments_context(
    request: HttpRequest, work: Work, *, chapter: Chapter | None, moderator: bool
) -> dict[str, Any]:
    """A page of comment threads on the work (or one chapter), and the form for a new one."""
    shown = Comment.objects.filter(work=work).shown_to(request.user, moderator=moderator)
    if chapter is not None:
        shown = shown.filter(chapter=chapter)
    page = paginate(request, shown.threads().select_related("user", "chapter"), THREADS_PER_PAGE)
    roots = list(page["page_obj"])
    replies = list(shown.filter(thread_id__in=[root.pk for root in roots]).for_display())
    refusal = refusal_to_comment(request.user, work)
    if not refusal and request.user.is_authenticated and reader_state(request, work)["blocked"]:
        refusal = "You cannot comment on this work."
    return {
        **page,
        "work": work,
        "comment_chapter": chapter,
        "threads": build_threads(replies, roots, work),
        "moderator": moderator,
        "comment_refusal": refusal,
        "comment_form": NewCommentForm(guest=not request.user.is_authenticated),
        "pending_count": shown.filter(status="pending").count() if moderator else 0,
    }


def thread_context(request: HttpRequest, comment: Comment, *, moderator: bool) -> dict[str, Any]:
    """One comment and the replies under it, as its own page shows them."""
    shown = Comment.objects.filter(work_id=comment.work_id).shown_to(
        request.user, moderator=moderator
    )
    thread = list(
        shown.filter(
            Q(thread_id=comment.thread_id_or_own) | Q(pk=comment.thread_id_or_own)
        ).for_display()
    )
    build_threads(thread, [], comment.work)
    root = next((c for c in thread if c.pk == comment.pk), comment)
    return {"threads": [root], "moderator": moderator, "work": comment.work}
