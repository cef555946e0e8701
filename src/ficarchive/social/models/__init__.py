"""The social models, one module per feature; import them from here."""

from ficarchive.social.models.bookmarks import Bookmark, BookmarkQuerySet, bookmarked_works
from ficarchive.social.models.comments import Comment, CommentQuerySet, CommentStatus
from ficarchive.social.models.ereaders import DeviceProgress, EpubVersion, ReadingDevice
from ficarchive.social.models.inbox import InboxItem, InboxKind, InboxQuerySet
from ficarchive.social.models.kudos import Kudos, KudosQuerySet
from ficarchive.social.models.readings import ChapterRead, Reading, ReadingQuerySet, later_works
from ficarchive.social.models.shelves import Shelf, ShelfEntry, ShelfQuerySet
from ficarchive.social.models.stats import COUNTERS, WorkDay, WorkStats, bump_counts
from ficarchive.social.models.subscriptions import (
    Subscription,
    SubscriptionQuerySet,
    followed_chapters,
    followed_creators_works,
    followed_series_parts,
)

__all__ = [
    "COUNTERS",
    "Bookmark",
    "BookmarkQuerySet",
    "ChapterRead",
    "Comment",
    "CommentQuerySet",
    "CommentStatus",
    "DeviceProgress",
    "EpubVersion",
    "InboxItem",
    "InboxKind",
    "InboxQuerySet",
    "Kudos",
    "KudosQuerySet",
    "Reading",
    "ReadingDevice",
    "ReadingQuerySet",
    "Shelf",
    "ShelfEntry",
    "ShelfQuerySet",
    "Subscription",
    "SubscriptionQuerySet",
    "WorkDay",
    "WorkStats",
    "bookmarked_works",
    "bump_counts",
    "followed_chapters",
    "followed_creators_works",
    "followed_series_parts",
    "later_works",
]
