from django.apps import AppConfig


class ExportingConfig(AppConfig):
    name = "ficarchive.exporting"
    label = "exporting"
    verbose_name = "Downloads and feeds"
