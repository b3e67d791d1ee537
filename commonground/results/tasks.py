"""Background tasks of the results capability, run by `commonground worker`. Each imports its
service in its body; services import the tasks they queue at the top (tasks at the edge)."""

import datetime as dt

from django.tasks import task

from commonground.core.jobs import periodic


@task
def check_import(job_id: str) -> str:
    """The dry run of a large results file."""
    from commonground.results.services import import_jobs

    return import_jobs.run_check(job_id)


@task
def run_import(job_id: str) -> str:
    """The import of a large results file the uploader confirmed."""
    from commonground.results.services import import_jobs

    return import_jobs.run_import(job_id)


@periodic(every=dt.timedelta(days=1))
@task
def refresh_progress() -> int:
    """Recompute every indicator's progress once a day: "no recent data" and the expected value
    on the straight line move with the calendar even when nobody writes."""
    from commonground.results.services.summaries import refresh_all

    return refresh_all()
