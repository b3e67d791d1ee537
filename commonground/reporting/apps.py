from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "commonground.reporting"
    label = "reporting"
    verbose_name = "Reporting and communication"

    def ready(self) -> None:
        from commonground.reporting.signals import connect_plan

        connect_plan()
