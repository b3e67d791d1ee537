from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and the `seed` command. It may import every app; no app imports it."""

    name = "commonground.demo"
    label = "demo"
    verbose_name = "Demo data"
