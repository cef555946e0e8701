"""The spam check every posted text goes through before it is shown.

`check("comment", comment.pk, comment.body, author=user, address=ip)` scores the text with the
rules (`rules`), the classifier (`classifier`) and, when `AKISMET_API_KEY` is set, Akismet;
writes one `SpamCheck` (held at or above `SPAM_HOLD_THRESHOLD`, else passed) and returns it.
The caller keeps a held item from readers (a held comment, a hidden work, a hidden pseud text)
until a moderator decides it in the spam queue.

The score is a logistic sum: `SPAM_BASE_POINTS` + the rules' points + `SPAM_CLASSIFIER_WEIGHT`
times the classifier's log-odds (none for texts of a word or two), squashed into [0, 1]. By
the rules alone, a short comment without links from a brand-new account scores 0.38 and passes;
with a link in a sentence it scores 0.62 and is held.
"""

from __future__ import annotations

import logging
import math
import re
from typing import TYPE_CHECKING

from django.conf import settings

from ficarchive.moderation.guests import address_key
from ficarchive.moderation.models import SpamCheck, SpamState
from ficarchive.moderation.spam import classifier
from ficarchive.moderation.spam.rules import Reason, rule_reasons, text_with_links

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

logger = logging.getLogger(__name__)

# What a check is of, as SpamCheck.target_kind names it.
COMMENT = "comment"
WORK = "work"
PSEUD = "pseud"
KINDS = (COMMENT, WORK, PSEUD)

_WORDS = re.compile(r"[^\W_]+")
_URL = re.compile(r"(?:\bhttps?://|\bwww\.)\S+", re.IGNORECASE)
_EDGE = 1e-3  # the classifier's probability is kept this far from 0 and 1 (finite log-odds)


def _log_odds(probability: float) -> float:
    probability = min(max(probability, _EDGE), 1 - _EDGE)
    return math.log(probability / (1 - probability))


def score_of(reasons: list[Reason]) -> float:
    """The score in [0, 1] that these reasons (the classifier's among them) add up to."""
    total = settings.SPAM_BASE_POINTS + sum(reason.points for reason in reasons)
    return 1 / (1 + math.exp(-total))


def classifier_reason(plain: str) -> Reason:
    """The classifier's weighed log-odds; nothing for texts of fewer than
    SPAM_CLASSIFIER_MIN_WORDS words (besides links): a word or two tells it too little."""
    words = len(_WORDS.findall(_URL.sub(" ", plain)))
    if words < settings.SPAM_CLASSIFIER_MIN_WORDS:
        return Reason("classifier", 0.0, "too short for the classifier")
    probability = classifier.spam_probability(plain)
    points = settings.SPAM_CLASSIFIER_WEIGHT * _log_odds(probability)
    return Reason("classifier", round(points, 3), f"the classifier says {probability:.0%} spam")


def akismet_reasons(plain: str, *, author: User | None, address: str, kind: str) -> list[Reason]:
    """Akismet's verdict when a key is set and the `akismet` package is installed; nothing
    otherwise, or when it cannot be reached (the archive never waits on it to work)."""
    key = getattr(settings, "AKISMET_API_KEY", "")
    if not key:
        return []
    try:
        import akismet  # type: ignore[import-not-found]

        config = akismet.Config(key=key, url=settings.SITE_URL)
        with akismet.SyncClient.validated_client(config=config) as client:
            answer = client.comment_check(
                user_ip=address or "127.0.0.1",
                comment_content=plain,
                comment_type="comment" if kind == COMMENT else "forum-post",
                comment_author=author.username if author is not None else "",
            )
    except Exception:  # an optional service: any failure means no verdict
        logger.warning("Akismet could not check a %s", kind, exc_info=True)
        return []
    if not answer:
        return []
    return [Reason("akismet", settings.AKISMET_POINTS, "Akismet says spam")]


def check(
    kind: str,
    target_id: int,
    text: str,
    *,
    author: User | AnonymousUser | None,
    address: str = "",
    honeypot: bool = False,
    counts_as_a_post: bool = True,
) -> SpamCheck:
    """Score TEXT (sanitized HTML or plain text) posted by AUTHOR (None or anonymous for a
    guest, from ADDRESS) as the KIND with TARGET_ID, and write the check, held or passed.
    COUNTS_AS_A_POST false (a later chapter, an edit): the posting-speed rule leaves it out."""
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not something the spam check knows ({', '.join(KINDS)}).")
    poster = author if author is not None and author.is_authenticated else None
    plain = text_with_links(text[: settings.SPAM_CHECKED_CHARS * 4])[: settings.SPAM_CHECKED_CHARS]
    reasons = rule_reasons(
        text,
        author=poster,
        address=address,
        honeypot=honeypot,
        leave_out=(kind, target_id),
        counts_as_a_post=counts_as_a_post,
    )
    reasons.append(classifier_reason(plain))
    reasons += akismet_reasons(plain, author=poster, address=address, kind=kind)
    score = score_of(reasons)
    held = score >= settings.SPAM_HOLD_THRESHOLD
    return SpamCheck.objects.create(
        target_kind=kind,
        target_id=target_id,
        author=poster,
        author_address="" if poster is not None else address_key(address),
        text=plain,
        score=round(score, 4),
        reasons=[reason.as_json() for reason in reasons if reason.points],
        state=SpamState.HELD if held else SpamState.PASSED,
    )
