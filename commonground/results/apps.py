from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "commonground.results"
    label = "results"
    verbose_name = "Results and monitoring"
