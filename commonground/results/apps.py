from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "commonground.results"
    label = "results"
    verbose_name = "Results and monitoring"

    def ready(self) -> None:
        # Registers ResultsPerm with the partnership policy before the first request.
        from commonground.results import access  # noqa: F401
