from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "ficarchive.tags"
    label = "tags"
    verbose_name = "Tags"

    def ready(self) -> None:
        from ficarchive import db

        db.connect_signals()  # tag names compare by LOWER(name): make it fold every letter
