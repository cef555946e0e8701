from django.apps import AppConfig
from django.core.signals import request_finished


class SearchConfig(AppConfig):
    name = "ficarchive.search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ficarchive.search.heap import give_back_now_and_then

        request_finished.connect(give_back_now_and_then, dispatch_uid="search-heap")
