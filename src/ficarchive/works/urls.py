from django.urls import path

from ficarchive.works.views import manage, posting, reading, scheduling, series

app_name = "works"
urlpatterns = [
    # reading
    path("works", reading.index, name="index"),
    path("works/<int:work_id>", reading.detail, name="detail"),
    path("works/<int:work_id>/chapters/<int:chapter_id>", reading.chapter, name="chapter"),
    path("works/<int:work_id>/navigate", reading.navigate, name="navigate"),
    path("series/<int:series_id>", series.detail, name="series"),
    # posting and editing
    path("works/new", posting.new_work, name="new"),
    path("works/<int:work_id>/edit", posting.edit_work, name="edit"),
    path("works/<int:work_id>/delete", posting.delete_work, name="delete"),
    path("works/<int:work_id>/post", posting.post_draft, name="post_draft"),
    path("works/<int:work_id>/chapters/new", posting.new_chapter, name="chapter_new"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/edit",
        posting.edit_chapter,
        name="chapter_edit",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/delete",
        posting.delete_chapter,
        name="chapter_delete",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/post",
        posting.post_chapter,
        name="chapter_post",
    ),
    path("works/<int:work_id>/chapters/order", posting.reorder_chapters, name="chapter_order"),
    path("drafts", posting.drafts, name="drafts"),
    # scheduled and silent release
    path("works/<int:work_id>/schedule", scheduling.schedule_work, name="schedule"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/schedule",
        scheduling.schedule_chapter,
        name="chapter_schedule",
    ),
    path(
        "works/<int:work_id>/schedules/<int:release_id>/cancel",
        scheduling.cancel_release,
        name="schedule_cancel",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/post-silently",
        scheduling.post_chapter_silently,
        name="chapter_post_silently",
    ),
    # creators, series, admin
    path("works/<int:work_id>/creators", manage.creators, name="creators"),
    path("invitations", manage.invitations, name="invitations"),
    path(
        "invitations/<int:creatorship_id>/<str:answer>",
        manage.answer_invitation,
        name="answer_invitation",
    ),
    path("works/<int:work_id>/hide", manage.hide, name="hide"),
    path("works/<int:work_id>/series", series.add_work, name="series_add"),
    path("series/new", series.new, name="series_new"),
    path("series/<int:series_id>/edit", series.edit, name="series_edit"),
]
