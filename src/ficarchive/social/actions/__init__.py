"""Every write to kudos, comments, bookmarks, subscriptions, the inbox and readings.

Each verb checks who may act (PermissionDenied), validates (ValidationError naming the field)
and writes in one transaction; counters move with `bump_counts` in that same transaction.
"""

from ficarchive.social.actions.accounts import forget_account
from ficarchive.social.actions.bookmarks import (
    BookmarkDetails,
    delete_bookmark,
    save_bookmark,
    set_bookmark_hidden,
)
from ficarchive.social.actions.comments import (
    approve_comment,
    delete_comment,
    edit_comment,
    freeze_thread,
    post_comment,
    refusal_to_comment,
    set_comment_hidden,
)
from ficarchive.social.actions.inbox import (
    delete_inbox_items,
    mark_inbox_items,
    notify,
    recount_unread,
)
from ficarchive.social.actions.kudos import give_kudos
from ficarchive.social.actions.positions import mark_chapter_read, set_position
from ficarchive.social.actions.readings import clear_history, mark_for_later, record_readings
from ficarchive.social.actions.shelves import (
    ShelfDetails,
    add_to_shelf,
    arrange_shelf,
    create_shelf,
    delete_shelf,
    move_on_shelf,
    move_shelf,
    remove_from_shelf,
    set_shelves_of,
    update_shelf,
)
from ficarchive.social.actions.subscriptions import (
    set_subscription_email,
    subscribe,
    unsubscribe,
)

__all__ = [
    "BookmarkDetails",
    "ShelfDetails",
    "add_to_shelf",
    "approve_comment",
    "arrange_shelf",
    "clear_history",
    "create_shelf",
    "delete_bookmark",
    "delete_comment",
    "delete_inbox_items",
    "delete_shelf",
    "edit_comment",
    "forget_account",
    "freeze_thread",
    "give_kudos",
    "mark_chapter_read",
    "mark_for_later",
    "mark_inbox_items",
    "move_on_shelf",
    "move_shelf",
    "notify",
    "post_comment",
    "record_readings",
    "recount_unread",
    "refusal_to_comment",
    "remove_from_shelf",
    "save_bookmark",
    "set_bookmark_hidden",
    "set_comment_hidden",
    "set_position",
    "set_shelves_of",
    "set_subscription_email",
    "subscribe",
    "unsubscribe",
    "update_shelf",
]
