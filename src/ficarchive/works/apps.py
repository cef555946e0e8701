from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "ficarchive.works"
    label = "works"
    verbose_name = "Works"
