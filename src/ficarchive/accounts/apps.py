from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ficarchive.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from ficarchive.accounts import signals  # noqa: F401  (connects the receivers)
