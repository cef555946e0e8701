"""Addresses of two-factor sign-in, joined to the accounts app's (names `accounts:two_factor…`)."""

from django.urls import path

from ficarchive.accounts.two_factor import views

urlpatterns = [
    path("preferences/two-factor", views.overview, name="two_factor"),
    path("preferences/two-factor/app", views.add_app, name="two_factor_app"),
    path("preferences/two-factor/app/remove", views.remove_app, name="two_factor_app_remove"),
    path("preferences/two-factor/backup-codes", views.backup_codes, name="two_factor_backup"),
    path(
        "preferences/two-factor/passkeys/options",
        views.passkey_options,
        name="two_factor_passkey_options",
    ),
    path("preferences/two-factor/passkeys", views.add_passkey, name="two_factor_passkey_add"),
    path(
        "preferences/two-factor/passkeys/<int:passkey_id>/remove",
        views.remove_passkey,
        name="two_factor_passkey_remove",
    ),
    path("preferences/two-factor/off", views.turn_off, name="two_factor_off"),
    path("login/second-factor", views.verify, name="two_factor_verify"),
    path(
        "login/second-factor/passkey/options",
        views.verify_passkey_options,
        name="two_factor_verify_passkey_options",
    ),
    path("login/second-factor/passkey", views.verify_passkey, name="two_factor_verify_passkey"),
]
