from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "ficarchive.accounts.two_factor"
    label = "two_factor"
    verbose_name = _("Two-factor sign-in")

    def ready(self) -> None:
        from ficarchive.accounts.two_factor import admin

        admin.register()
