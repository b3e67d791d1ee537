from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "commonground.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"

    def ready(self) -> None:
        # Where the ledger's partnership objects are seen.
        from commonground.core.ledger_links import page, register_object_links

        register_object_links(
            {
                "partnerships.partnership": page("partnerships:detail"),
                "partnerships.partner": page("partnerships:partners"),
                "partnerships.seat": page("partnerships:people"),
                "partnerships.invitation": page("partnerships:people"),
            }
        )
