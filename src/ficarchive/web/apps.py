from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ficarchive.web"
    label = "web"
    verbose_name = "The web's conventions"
