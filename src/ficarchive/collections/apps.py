from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    name = "ficarchive.collections"
    verbose_name = "Collections and challenges"
