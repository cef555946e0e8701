"""Spam rules: points for what spam looks like, each with a named reason.

Points are log-odds: `checking` adds them to a base (most posts are not spam) and to the
classifier's, and turns the sum into a score in [0, 1]. Every number is a setting (`SPAM_*`).

- **links**: each link to another site (up to `SPAM_LINKS_COUNTED`), and more points when links
  are a large share of the text;
- **account**: a guest, a brand-new account, or one with few earlier public posts (one or two
  small indexed queries, each stopped at the few rows it needs);
- **repeat**: the same text (normalized) posted several times in the last hours, by anyone;
- **honeypot**: a field people never see was filled in;
- **burst**: many posts in a short time from one account or address.

Repeats and bursts are counted in the cache every process shares (`ficarchive.ratelimit`), so
they hold however many server processes answer.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from ficarchive.ratelimit import count_hit
from ficarchive.text.wordcount import html_to_text

if TYPE_CHECKING:
    from ficarchive.accounts.models import User

_ANCHOR = re.compile(
    r"<a\b[^>]*?\bhref\s*=\s*[\"']?([^\"'\s>]*)[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL
)
_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"']+", re.IGNORECASE)
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Reason:
    """One rule that fired: a short code, its points, and what a moderator reads."""

    code: str
    points: float
    detail: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Links:
    count: int  # distinct addresses on other sites
    share: float  # of the visible text, 0 to 1


def _own_host() -> str:
    return urlsplit(getattr(settings, "SITE_URL", "")).hostname or ""


def _elsewhere(url: str, own: str) -> bool:
    """A link to another site (not `/works/5`, `#top` or this archive's own address)."""
    url = url.strip()
    if not url or (url.startswith(("/", "#", "?")) and not url.startswith("//")):
        return False
    if url.lower().startswith(("mailto:", "tel:")):
        return True
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:  # "[url=http://x]" reads as a broken IPv6 address: a link all the same
        return True
    return bool(host) and host != own


def find_links(markup: str) -> Links:
    """Links in sanitized HTML (anchors) or plain text (bare addresses) and their share of it."""
    own = _own_host()
    addresses: set[str] = set()
    link_chars = 0
    for href, inner in _ANCHOR.findall(markup):
        if _elsewhere(href, own):
            addresses.add(href.strip().lower())
            link_chars += len(html_to_text(inner).strip()) or len(href)
    rest = html_to_text(_ANCHOR.sub(" ", markup))
    for url in _URL.findall(rest):
        if _elsewhere(url, own):
            addresses.add(url.lower())
            link_chars += len(url)
    visible = len(" ".join(html_to_text(markup).split())) or 1
    return Links(len(addresses), min(link_chars / visible, 1.0))


def text_with_links(markup: str) -> str:
    """The visible text on one line, then the addresses its links hide (spam's tell)."""
    plain = " ".join(html_to_text(markup).split())
    hidden = [href for href, _ in _ANCHOR.findall(markup) if href and href not in plain]
    return " ".join([plain, *dict.fromkeys(hidden)])


def link_reasons(markup: str) -> list[Reason]:
    links = find_links(markup)
    if not links.count:
        return []
    counted = min(links.count, settings.SPAM_LINKS_COUNTED)
    plural = "s" if links.count != 1 else ""
    found = [Reason("links", counted * settings.SPAM_LINK_POINTS, f"{links.count} link{plural}")]
    if links.share >= settings.SPAM_LINK_SHARE:
        found.append(
            Reason(
                "link_share",
                settings.SPAM_LINK_SHARE_POINTS,
                f"links are {links.share:.0%} of the text",
            )
        )
    return found


def earlier_public_posts(user: User, *, at_most: int, leave_out: tuple[str, int] = ("", 0)) -> int:
    """How many public comments and posted works USER made, counting no further than AT_MOST
    (each count stops there); LEAVE_OUT names the post being checked ("comment", 7)."""
    from ficarchive.social.models import Comment
    from ficarchive.works.models import Work

    kind, target = leave_out
    comments = Comment.objects.filter(user_id=user.pk).public()
    if kind == "comment":
        comments = comments.exclude(pk=target)
    found = comments.values("pk")[:at_most].count()
    if found >= at_most:
        return found
    works = Work.objects.by_user(user).filter(is_draft=False, is_hidden=False)
    if kind == "work":
        works = works.exclude(pk=target)
    return found + works.values("pk")[: at_most - found].count()


def account_reasons(author: User | None, leave_out: tuple[str, int] = ("", 0)) -> list[Reason]:
    """A guest or a new account, and one with few earlier public posts."""
    if author is None or not author.is_authenticated:
        return [
            Reason("guest", settings.SPAM_NEW_ACCOUNT_POINTS, "posted as a guest"),
            Reason("low_activity", settings.SPAM_LOW_ACTIVITY_POINTS, "no earlier posts"),
        ]
    found = []
    age = timezone.now() - author.date_joined
    if age < timedelta(days=settings.SPAM_NEW_ACCOUNT_DAYS):
        days = age.days
        when = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
        found.append(Reason("new_account", settings.SPAM_NEW_ACCOUNT_POINTS, f"joined {when}"))
    enough = settings.SPAM_LOW_ACTIVITY_POSTS
    posts = earlier_public_posts(author, at_most=enough, leave_out=leave_out)
    if posts < enough:
        found.append(
            Reason(
                "low_activity",
                settings.SPAM_LOW_ACTIVITY_POINTS,
                f"{posts} earlier public post{'s' if posts != 1 else ''}",
            )
        )
    return found


def normalized(text: str) -> str:
    """The text as repeats are compared: letters and digits only, lower case, single spaces."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def repeat_reasons(plain: str) -> list[Reason]:
    """The same text posted more than SPAM_REPEAT_POSTS times in SPAM_REPEAT_HOURS (this one
    counted); short texts ("Thank you!") are left out: many people write them."""
    text = normalized(plain)
    if len(text) < settings.SPAM_REPEAT_MIN_CHARS:
        return []
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    hours = settings.SPAM_REPEAT_HOURS
    hit = count_hit(f"spam-repeat:{digest}", limit=settings.SPAM_REPEAT_POSTS, window=hours * 3600)
    if hit.allowed:
        return []
    detail = f"the same text was posted {hit.count} times within {hours} hours"
    return [Reason("repeat", settings.SPAM_REPEAT_POINTS, detail)]


def burst_reasons(author: User | None, address: str) -> list[Reason]:
    """More than SPAM_BURST_POSTS posts (of any kind) in SPAM_BURST_SECONDS from one account,
    or from one address for guests."""
    if author is not None and author.is_authenticated:
        who = f"user:{author.pk}"
    elif address:
        who = f"address:{address}"
    else:
        return []
    seconds = settings.SPAM_BURST_SECONDS
    hit = count_hit(f"spam-burst:{who}", limit=settings.SPAM_BURST_POSTS, window=seconds)
    if hit.allowed:
        return []
    detail = f"{hit.count} posts within {seconds} seconds"
    return [Reason("burst", settings.SPAM_BURST_POINTS, detail)]


def honeypot_reasons(filled: bool) -> list[Reason]:
    if not filled:
        return []
    return [Reason("honeypot", settings.SPAM_HONEYPOT_POINTS, "a hidden field was filled in")]


def rule_reasons(
    markup: str,
    *,
    author: User | None,
    address: str = "",
    honeypot: bool = False,
    leave_out: tuple[str, int] = ("", 0),
    counts_as_a_post: bool = True,
) -> list[Reason]:
    """Every rule that fires for this text (sanitized HTML or plain text) and its poster. A
    text that is not a new post (a chapter or an edit of the poster's own work) does not count
    towards, nor is judged by, the posting-speed rule: an author moving a story in posts many
    chapters in a minute."""
    plain = html_to_text(markup)
    return [
        *honeypot_reasons(honeypot),
        *link_reasons(markup),
        *account_reasons(author, leave_out),
        *repeat_reasons(plain),
        *(burst_reasons(author, address) if counts_as_a_post else []),
    ]
