from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "commonground.results"
    label = "results"
    verbose_name = "Results and monitoring"

    def ready(self) -> None:
        # Registers ResultsPerm with the partnership policy before the first request.
        # What results puts in people's "My work".
        from commonground.results import (
            access,  # noqa: F401
            work,
        )
        from commonground.work.registry import register_work_source

        register_work_source("results.results", items=work.result_work)
        register_work_source("results.recommendations", items=work.recommendation_work)
        register_work_source("results.imports", items=work.import_work)
        # Where a partnership stands: its progress and its recommendations' due dates.
        from commonground.partnerships.standing import register_deadlines, register_progress
        from commonground.results import standing

        register_progress("results.progress", progress=standing.progress)
        register_deadlines("results.recommendations", deadlines=standing.recommendation_deadlines)
        # Where the ledger's results objects are seen.
        from commonground.core.ledger_links import page, register_object_links

        register_object_links(
            {
                "results.indicator": page("results:indicator", "indicator_id"),
                "results.objective": page("results:framework"),
                "results.dimension": page("results:dimensions"),
                "results.result": page("results:result", "result_id"),
                "results.evaluationsession": page("results:evaluation", "evaluation_id"),
                "results.recommendation": page("results:evaluations"),
                "results.importjob": page("results:import"),
            }
        )
