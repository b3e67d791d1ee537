"""The core's periodic jobs, run by the worker (commonground.core.jobs)."""

import datetime as dt

from django.tasks import task

from commonground.core.jobs import periodic


@periodic(every=dt.timedelta(days=1))
@task
def sweep_orphan_files() -> int:
    """Delete uploads whose row was never committed (see core.files); how many."""
    from commonground.core.files import sweep_orphan_files as sweep

    return len(sweep())
