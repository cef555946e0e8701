from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "ficarchive.tags"
    label = "tags"
    verbose_name = "Tags"
