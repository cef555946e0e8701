from django.urls import path

from ficarchive.social.views import (
    blocks,
    bookmarks,
    comments,
    devices,
    inbox,
    kosync,
    kudos,
    places,
    readings,
    shelves,
    stats,
)

app_name = "social"
urlpatterns = [
    # kudos
    path("works/<int:work_id>/kudos", kudos.give, name="kudos"),
    path("users/<str:username>/favorites", kudos.favorites, name="favorites"),
    # comments
    path("works/<int:work_id>/comments", comments.new, name="comment_new"),
    path("comments/<int:comment_id>", comments.comment, name="comment"),
    path("comments/<int:comment_id>/reply", comments.reply, name="reply"),
    path("comments/<int:comment_id>/edit", comments.edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete", comments.delete, name="comment_delete"),
    path("comments/<int:comment_id>/<str:verb>", comments.moderate, name="comment_moderate"),
    # bookmarks
    path("works/<int:work_id>/bookmark", bookmarks.bookmark_work, name="bookmark_work"),
    path("works/<int:work_id>/bookmarks", bookmarks.work_bookmarks, name="work_bookmarks"),
    path("series/<int:series_id>/bookmark", bookmarks.bookmark_series, name="bookmark_series"),
    path("bookmarks/<int:bookmark_id>", bookmarks.bookmark, name="bookmark"),
    path("bookmarks/<int:bookmark_id>/delete", bookmarks.delete, name="bookmark_delete"),
    path("users/<str:username>/bookmarks", bookmarks.user_bookmarks, name="user_bookmarks"),
    # shelves: private, ordered lists of works
    path("shelves", shelves.shelves, name="shelves"),
    path("shelves/<int:shelf_id>", shelves.shelf, name="shelf"),
    path("shelves/<int:shelf_id>/edit", shelves.edit, name="shelf_edit"),
    path("shelves/<int:shelf_id>/delete", shelves.delete, name="shelf_delete"),
    path("shelves/<int:shelf_id>/move", shelves.move, name="shelf_move"),
    path(
        "shelves/<int:shelf_id>/works/<int:work_id>/move",
        shelves.move_work,
        name="shelf_move_work",
    ),
    path(
        "shelves/<int:shelf_id>/works/<int:work_id>/remove",
        shelves.remove_work,
        name="shelf_remove_work",
    ),
    path("works/<int:work_id>/shelves", shelves.shelve, name="shelve"),
    # subscriptions and the inbox
    path("works/<int:work_id>/subscribe", inbox.subscribe_work, name="subscribe_work"),
    path("series/<int:series_id>/subscribe", inbox.subscribe_series, name="subscribe_series"),
    path("users/<str:username>/subscribe", inbox.subscribe_user, name="subscribe_user"),
    path("subscriptions", inbox.subscriptions, name="subscriptions"),
    path("subscriptions/<int:subscription_id>/delete", inbox.unsubscribe, name="unsubscribe"),
    path(
        "subscriptions/<int:subscription_id>/email",
        inbox.subscription_email,
        name="subscription_email",
    ),
    path("inbox", inbox.inbox, name="inbox"),
    path("inbox/update", inbox.update_inbox, name="inbox_update"),
    # history and later
    path("history", readings.history, name="history"),
    path("history/clear", readings.clear_history, name="clear_history"),
    path("later", readings.later, name="later"),
    path("works/<int:work_id>/later", readings.mark_later, name="later_mark"),
    # e-readers that keep the reader's place: device keys, and KOReader's sync protocol
    path("preferences/devices", devices.devices, name="devices"),
    path("preferences/devices/<int:device_id>/remove", devices.remove_device, name="device_remove"),
    path("kosync/", kosync.healthcheck, name="kosync_root"),
    path("kosync/healthcheck", kosync.healthcheck, name="kosync_health"),
    path("kosync/users/create", kosync.create_user, name="kosync_create_user"),
    path("kosync/users/auth", kosync.auth_user, name="kosync_auth"),
    path("kosync/syncs/progress", kosync.update_progress, name="kosync_update"),
    path("kosync/syncs/progress/<str:document>", kosync.get_progress, name="kosync_progress"),
    # the reader's place in a work
    path("works/<int:work_id>/place", places.keep_place, name="keep_place"),
    path("works/<int:work_id>/chapters/<int:chapter_id>/read", places.mark_read, name="mark_read"),
    # stats
    path("stats", stats.stats, name="stats"),
    # blocking and muting
    path("blocked", blocks.blocked, name="blocked"),
    path("muted", blocks.muted, name="muted"),
    *(
        path(f"users/<str:username>/{verb}", blocks.change, {"verb": verb}, name=verb)
        for verb in blocks.VERBS
    ),
]
