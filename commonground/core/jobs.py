"""Background work: periodic jobs on top of Django's Tasks API, and the progress of long jobs.

The queue is django-tasks-db's table; `commonground worker` runs it. Django's Tasks API has no
scheduler, so a `tick` task re-enqueues itself every TICK_SECONDS (`run_after`) and enqueues
each periodic job whose time slot has come. A slot is claimed by inserting a PeriodicRun row
(unique per job and slot) in the same transaction as the enqueue: several workers, a tick run
twice or a worker restarted in the middle never run a job twice for one slot. A tick lost with a
crashed worker is replaced when a worker starts (`ensure_ticking`).

Jobs must still be idempotent on their own (a reminder job checks its own "sent" records): a
worker that dies inside a job leaves that job's queue row RUNNING, and nothing re-runs it; the
next slot's run picks up what it left undone.

Progress: a long job writes how far it got to the "progress" cache (core.jobs.progress_set),
outside its transaction, where pages read it; see the CACHES setting.
"""

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.tasks import Task, task
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from commonground.core.models import PeriodicRun

TICK_SECONDS = 60


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Task
    every: dt.timedelta

    def slot(self, now: dt.datetime) -> int:
        return int(now.timestamp() // self.every.total_seconds())


PERIODIC: dict[str, Periodic] = {}


def periodic(every: dt.timedelta) -> Callable[[Task], Task]:
    """Register a task (already decorated with @task) to run once every `every`."""

    def register(job: Task) -> Task:
        name = job.module_path
        PERIODIC[name] = Periodic(name=name, task=job, every=every)
        return job

    return register


def discover() -> dict[str, Periodic]:
    """Import every app's `tasks` module, so their periodic jobs are registered."""
    autodiscover_modules("tasks")
    return PERIODIC


def run_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue each periodic job whose current slot nobody has claimed yet; their names."""
    now = now or timezone.now()
    started = []
    for job in discover().values():
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(name=job.name, slot=job.slot(now), enqueued_at=now)
                result = job.task.enqueue()
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another tick claimed this slot
        started.append(job.name)
    return started


def _tick_waiting() -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=tick.module_path, status="READY").exists()


def ensure_ticking(delay: float = 0) -> None:
    """Make sure a tick is queued: at worker start, and at the end of every tick."""
    if not _tick_waiting():
        tick.using(run_after=timezone.now() + dt.timedelta(seconds=delay)).enqueue()


@task
def tick() -> list[str]:
    """Start what is due, then queue the next tick."""
    started = run_due()
    ensure_ticking(delay=TICK_SECONDS)
    return started


# Progress of long jobs ------------------------------------------------------------------------


def progress_set(key: str, done: int, total: int, **extra: Any) -> None:
    caches["progress"].set(key, {"done": done, "total": total, "at": time.time(), **extra})


def progress_get(key: str) -> dict[str, Any] | None:
    value = caches["progress"].get(key)
    return value if isinstance(value, dict) else None


def progress_clear(key: str) -> None:
    caches["progress"].delete(key)
