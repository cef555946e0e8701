from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ficarchive.demo"
    label = "demo"
    verbose_name = "Demo content"
