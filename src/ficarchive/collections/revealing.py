"""Anonymous and unrevealed collections: their works' flags, and the reveal.

A work in an unrevealed collection is seen only by its creators, the collection's keepers and
the archive's moderators (`Work.objects.visible_to`); a work in an anonymous collection is by
"Anonymous" (`Work.creator_credits`) and is left out of its creators' listings for others
(`bylined_for`). Both are flags on the work (`in_unrevealed_collection`,
`in_anonymous_collection`), kept here from the work's collections whenever an item or a
collection changes, so that every read stays one indexed filter.

The reveal clears both of a collection's settings: by hand (`reveal`), or by the upkeep when
its time comes (`reveal_due`). Each creator hears of it in their inbox; the subscribers to a
creator or a series, and a gift's recipient, hear of each work that no one could see before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ficarchive.accounts.models import User
from ficarchive.accounts.standing import require_good_standing
from ficarchive.collections.exchange_models import Gift
from ficarchive.collections.meme_models import Fill
from ficarchive.collections.models import Collection, CollectionItem, Role
from ficarchive.search.actions import record_change
from ficarchive.works.models import Creatorship, Work

logger = logging.getLogger(__name__)
REVEALED_NOTICE = gettext_noop("The collection “%(title)s” is revealed: your work shows your name.")


def tell_recipients(gifts: list[Gift]) -> None:
    """Each gift's recipient (but one who refused it) finds it in their inbox."""
    from ficarchive.social.actions.inbox import notify_works
    from ficarchive.social.models import InboxKind

    notify_works(((g.recipient_id, g.work_id, "") for g in gifts if not g.refused), InboxKind.GIFT)


def refresh_works(work_ids: Iterable[int]) -> list[int]:
    """Set each work's unrevealed and anonymous flags from the collections it is counted in
    (`CollectionItem.objects.counted`); the ids of the works that changed (the search index
    and the blurb caches hear of them)."""
    ids = sorted(set(work_ids))
    if not ids:
        return []
    counted = CollectionItem.objects.counted().filter(work_id__in=ids)
    unrevealed = set(
        counted.filter(collection__is_unrevealed=True).values_list("work_id", flat=True)
    )
    anonymous = set(counted.filter(collection__is_anonymous=True).values_list("work_id", flat=True))
    now_wanted: dict[tuple[bool, bool], list[int]] = {}
    rows = Work.objects.filter(pk__in=ids).values_list(
        "id", "in_unrevealed_collection", "in_anonymous_collection"
    )
    for work_id, was_unrevealed, was_anonymous in rows:
        wanted = (work_id in unrevealed, work_id in anonymous)
        if wanted != (was_unrevealed, was_anonymous):
            now_wanted.setdefault(wanted, []).append(work_id)
    now = timezone.now()
    for (is_unrevealed, is_anonymous), changed in now_wanted.items():
        Work.objects.filter(pk__in=changed).update(
            in_unrevealed_collection=is_unrevealed,
            in_anonymous_collection=is_anonymous,
            revised_at=now,
        )
    changed_ids = sorted(i for changed in now_wanted.values() for i in changed)
    if changed_ids:
        record_change(changed_ids)
    return changed_ids


def refresh_collection(collection: Collection) -> list[int]:
    """`refresh_works` for every work in COLLECTION (after its settings changed)."""
    return refresh_works(collection.items.values_list("work_id", flat=True))


@transaction.atomic
def reveal(user: User, collection: Collection) -> int:
    """An owner or moderator reveals the collection now: its works and their creators are
    shown. How many works were revealed."""
    require_good_standing(user)
    collection.require_role(user, Role.OWNER, Role.MODERATOR)
    locked = Collection.objects.select_for_update().get(pk=collection.pk)
    return _reveal(locked)


def reveal_due(now: datetime | None = None) -> int:
    """Reveal every collection whose reveal time came (the upkeep's job), each in its own
    transaction; how many collections were revealed."""
    now = now or timezone.now()
    done = 0
    for collection_id in Collection.objects.due_for_reveal(now).values_list("id", flat=True):
        with transaction.atomic():
            due = (
                Collection.objects.select_for_update()
                .due_for_reveal(now)
                .filter(pk=collection_id)
                .first()
            )
            if due is None:  # revealed by hand, or moved later, meanwhile
                continue
            _reveal(due)
            done += 1
    return done


def _reveal(collection: Collection) -> int:
    """Clear the collection's secrecy, refresh its works, and tell who should hear."""
    from ficarchive.social import events
    from ficarchive.social.actions.inbox import notify_works
    from ficarchive.social.models import InboxKind

    hidden_before = set(
        Work.objects.filter(
            collection_items__collection=collection, in_unrevealed_collection=True
        ).values_list("id", flat=True)
    )
    collection.is_unrevealed = collection.is_anonymous = False
    collection.reveal_at = None
    collection.save(update_fields=["is_unrevealed", "is_anonymous", "reveal_at", "updated_at"])
    changed = refresh_works(collection.items.values_list("work_id", flat=True))
    listed = CollectionItem.objects.listed().filter(collection=collection, work_id__in=changed)
    creators = Creatorship.objects.filter(
        work_id__in=listed.values("work_id"), accepted=True, work__is_draft=False
    ).values_list("pseud__user_id", "work_id")
    notify_works(
        (
            (user_id, work_id, _(REVEALED_NOTICE) % {"title": collection.title})
            for user_id, work_id in sorted(set(creators))
        ),
        InboxKind.REVEALED,
    )
    news = [work_id for work_id in changed if work_id in hidden_before]
    for work_id in news:  # no one but its creators saw it: it is news now
        transaction.on_commit(partial(events.work_posted, work_id))
    tell_recipients(list(Gift.objects.filter(work_id__in=news, work__is_draft=False)))
    fills = Fill.objects.filter(work_id__in=news, work__is_draft=False).select_related("prompt")
    notify_works(
        ((f.prompt.user_id, f.work_id, "") for f in fills if f.prompt.user_id), InboxKind.FILL
    )
    logger.info("collection %s revealed: %d works", collection.name, len(changed))
    return len(changed)
