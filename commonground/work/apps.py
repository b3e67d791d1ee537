from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "commonground.work"
    label = "work"
    verbose_name = "My work"
