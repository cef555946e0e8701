from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "ficarchive.search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from ficarchive.search.actions import creator_removed

        # Some actions note a change before removing a creator: the document follows.
        post_delete.connect(creator_removed, sender="works.Creatorship", dispatch_uid="search")
