from django.urls import path

from ficarchive.collections import exchange_views, meme_views, views

app_name = "collections"
urlpatterns = [
    path("collections", views.index, name="index"),
    path("collections/new", views.new, name="new"),
    path("collections/<slug:name>", views.detail, name="detail"),
    path("collections/<slug:name>/edit", views.edit, name="edit"),
    path("collections/<slug:name>/manage", views.manage, name="manage"),
    path("collections/<slug:name>/items/<int:item_id>", views.review, name="review"),
    path("collections/<slug:name>/reveal", views.reveal, name="reveal"),
    path("collections/<slug:name>/bookmarks", views.bookmarks, name="bookmarks"),
    path(
        "collections/<slug:name>/bookmark-items/<int:item_id>",
        views.review_bookmark,
        name="review_bookmark",
    ),
    path(
        "bookmarks/<int:bookmark_id>/collections",
        views.bookmark_collections,
        name="bookmark_collections",
    ),
    path("collections/<slug:name>/exchange", exchange_views.settings, name="exchange"),
    path("collections/<slug:name>/signup", exchange_views.signup, name="signup"),
    path("collections/<slug:name>/signup/withdraw", exchange_views.withdraw, name="withdraw"),
    path("collections/<slug:name>/signups", exchange_views.signups, name="signups"),
    path("collections/<slug:name>/nominations", exchange_views.nominate, name="nominations"),
    path("collections/<slug:name>/matching", exchange_views.matching, name="matching"),
    path(
        "collections/<slug:name>/matching/<int:signup_id>",
        exchange_views.assign,
        name="assign",
    ),
    path("collections/<slug:name>/assignment", exchange_views.assignment, name="assignment"),
    path(
        "collections/<slug:name>/assignments/<int:assignment_id>/default",
        exchange_views.default,
        name="default",
    ),
    path(
        "collections/<slug:name>/assignments/<int:assignment_id>/take",
        exchange_views.take,
        name="take",
    ),
    path("collections/<slug:name>/meme", meme_views.settings, name="meme"),
    path("collections/<slug:name>/prompts", meme_views.prompts, name="prompts"),
    path("collections/<slug:name>/prompts/<int:prompt_id>/claim", meme_views.claim, name="claim"),
    path(
        "collections/<slug:name>/prompts/<int:prompt_id>/unclaim",
        meme_views.unclaim,
        name="unclaim",
    ),
    path(
        "collections/<slug:name>/prompts/<int:prompt_id>/delete",
        meme_views.delete,
        name="prompt_delete",
    ),
    path("users/<str:username>/gifts", exchange_views.gifts, name="gifts"),
    path("gifts/<int:gift_id>/refuse", exchange_views.refuse, name="refuse"),
    path("works/<int:work_id>/collections", views.work_collections, name="work_collections"),
]
