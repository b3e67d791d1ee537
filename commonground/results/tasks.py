"""Background tasks of the results capability, run by `commonground worker`."""

import datetime as dt

from django.tasks import task

from commonground.core.jobs import periodic
from commonground.results.services import import_jobs


@task
def check_import(job_id: str) -> str:
    """The dry run of a large results file."""
    return import_jobs.run_check(job_id)


@task
def run_import(job_id: str) -> str:
    """The import of a large results file the uploader confirmed."""
    return import_jobs.run_import(job_id)


@periodic(every=dt.timedelta(days=1))
@task
def refresh_progress() -> int:
    """Recompute every indicator's progress once a day: "no recent data" and the expected value
    on the straight line move with the calendar even when nobody writes."""
    from commonground.results.services.summaries import refresh_all

    return refresh_all()
