from django.urls import path

from ficarchive.accounts import views
from ficarchive.accounts.two_factor.urls import urlpatterns as two_factor_urls

app_name = "accounts"
urlpatterns = [
    path("signup", views.signup, name="signup"),
    path("signup/confirm/<uidb64>/<token>", views.signup_confirm, name="signup_confirm"),
    path("login", views.login, name="login"),
    path("logout", views.logout, name="logout"),
    path("password/change", views.password_change, name="password_change"),
    path("password/reset", views.password_reset, name="password_reset"),
    path("password/reset/sent", views.password_reset_sent, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/done", views.password_reset_complete, name="password_reset_complete"),
    path("account/delete", views.delete_account, name="delete_account"),
    path("account/email", views.email_change, name="email_change"),
    path("account/email/<str:token>", views.email_change_confirm, name="email_change_confirm"),
    path("preferences", views.preferences, name="preferences"),
    path("language", views.choose_language, name="language"),
    path("preferences/filters", views.filters, name="filters"),
    path("preferences/filters/tags", views.hide_tags, name="hide_tags"),
    path("preferences/filters/tags/<int:tag_id>/show", views.show_tag, name="show_tag"),
    path("preferences/filters/works/<int:work_id>/hide", views.hide_work, name="hide_work"),
    path("preferences/filters/works/<int:work_id>/show", views.show_work, name="show_work"),
    path("preferences/filters/users/<str:username>/hide", views.hide_creator, name="hide_creator"),
    path("preferences/filters/users/<str:username>/show", views.show_creator, name="show_creator"),
    path("pseuds/new", views.pseud_new, name="pseud_new"),
    path("pseuds/<int:pseud_id>/edit", views.pseud_edit, name="pseud_edit"),
    path("pseuds/<int:pseud_id>/delete", views.pseud_delete, name="pseud_delete"),
    path("users/<str:username>", views.profile, name="profile"),
    path("users/<str:username>/works", views.user_works, name="user_works"),
    path("users/<str:username>/series", views.user_series, name="user_series"),
    path("users/<str:username>/pseuds", views.pseuds, name="pseuds"),
    path("users/<str:username>/pseuds/<str:pseud>", views.pseud, name="pseud"),
    *two_factor_urls,
]
