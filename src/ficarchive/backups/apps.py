from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "ficarchive.backups"
    verbose_name = "Backups"
