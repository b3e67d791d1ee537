"""The background worker as a real process (`commonground worker`) against a real database of
the outer run's kind (SQLite or PostgreSQL): it picks up queued work, runs the periodic jobs'
tick, and carries a large results import from upload to imported."""

import json
import os
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.processes import run_command, scratch_database, start, stop

pytestmark = pytest.mark.django_db  # only for the outer run's settings; the worker has its own

# Builds the conftest world (partnership A with a reporter) and two indicators, through the
# services, and uploads a three-row results file as a large import.
SETUP = textwrap.dedent(
    """
    import csv, io, json
    from conftest import build_world
    from commonground.partnerships.models import Seat
    from commonground.results.services import import_jobs
    from commonground.results.tests.factories import make_indicator, make_objective

    world = build_world()
    outcome = make_objective(world, title="People housed quickly")
    housed = make_indicator(world, outcome, title="People housed")
    beds = make_indicator(world, outcome, title="Beds opened", target_value=400)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["indicator_id", "indicator", "period", "partner", "value", "note"])
    writer.writerow([housed.pk, housed.title, "2025-Q1", "", 10, ""])
    writer.writerow([housed.pk, housed.title, "2025-Q2", "", 12, ""])
    writer.writerow([beds.pk, beds.title, "2025-Q1", "", 3, "new shelter"])
    job = import_jobs.job_start(
        actor=world.reporter,
        seat=Seat.objects.get(user=world.reporter, partnership=world.a),
        data=buffer.getvalue().encode(),
        file_name="big.csv",
        rows=3,
    )
    print(json.dumps({"job": str(job.pk)}))
    """
)

STATE = textwrap.dedent(
    """
    import json
    from commonground.core.models import PeriodicRun
    from commonground.results.models import ImportJob, Result
    job = ImportJob.objects.get(pk=JOB)
    print(json.dumps({
        "status": job.status,
        "report": job.report,
        "results": Result.objects.count(),
        "periodic": sorted(PeriodicRun.objects.values_list("name", flat=True)),
    }))
    """
)

CONFIRM = textwrap.dedent(
    """
    from commonground.results.models import ImportJob
    from commonground.results.services import import_jobs
    job = ImportJob.objects.get(pk=JOB)
    import_jobs.job_confirm(actor=job.created_by, job=job)
    """
)


@dataclass
class Scratch:
    env: dict[str, str]
    tmp: Path

    def shell(self, script: str) -> dict:
        output = run_command(["shell", "-c", script], self.env)
        return json.loads(output.strip().splitlines()[-1])

    def state(self, job: str) -> dict:
        return self.shell(STATE.replace("JOB", repr(job)))


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Scratch]:
    url, postgres = scratch_database(tmp_path, "cg_worker")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ENVIRONMENT": "development",
        "DEBUG": "0",
        "DATABASE_URL": url,
        "VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "file",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    try:
        run_command(["migrate", "--no-input", "-v", "0"], env)
        yield Scratch(env, tmp_path)
    finally:
        if postgres:
            postgres.drop()


def _wait_for(scratch: Scratch, job: str, status: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = scratch.state(job)
        if state["status"] == status:
            return state
        if time.monotonic() > deadline:
            log = (scratch.tmp / "worker.log").read_text(errors="replace")[-3000:]
            raise AssertionError(f"job still {state['status']!r}, not {status!r}:\n{log}")
        time.sleep(0.5)


def test_the_worker_process_checks_and_imports_a_large_file(scratch: Scratch) -> None:
    job = scratch.shell(SETUP)["job"]
    assert scratch.state(job)["status"] == "checking"
    worker = start(["worker", "--interval", "0.2"], scratch.env, scratch.tmp / "worker.log")
    try:
        checked = _wait_for(scratch, job, "checked")
        assert checked["results"] == 0, "the check writes nothing"
        # The worker's first tick started the periodic jobs.
        assert "commonground.results.tasks.refresh_progress" in checked["periodic"]
        scratch.shell(CONFIRM.replace("JOB", repr(job)) + "\nprint('{}')")
        done = _wait_for(scratch, job, "done")
        assert done["results"] == 3
        assert done["report"]["created"] == 3
    finally:
        stop(worker)
    assert worker.returncode is not None


# A reminder due today (site time) for the NGO's next report: the worker's periodic reminder
# job makes it and mails it through the file backend.
REMINDER_SETUP = textwrap.dedent(
    """
    import json
    from django.utils import timezone
    from conftest import build_world
    from commonground.reporting.models import PartnerReport, ReportingPeriod
    from commonground.reporting.tests.factories import make_schedule

    world = build_world()
    schedule = make_schedule(world, reminder_offsets=[0])
    report = PartnerReport.objects.filter(period__schedule=schedule).order_by("period__start")[0]
    ReportingPeriod.objects.filter(pk=report.period_id).update(due_date=timezone.localdate())
    print(json.dumps({"report": report.pk}))
    """
)

REMINDER_STATE = textwrap.dedent(
    """
    import json
    from django_tasks_db.models import DBTaskResult
    from commonground.notifications.models import Notification
    print(json.dumps({
        "notifications": list(
            Notification.objects.filter(kind="reminder").values_list("key", "email_status")
        ),
        "reminder_runs": DBTaskResult.objects.filter(
            task_path="commonground.notifications.tasks.send_reminders", status="SUCCESSFUL"
        ).count(),
    }))
    """
)

# What a restart after a new time slot looks like: the slot's claim is gone and the scheduler's
# tick is due at once, so the new worker runs the reminder job again straight away.
NEXT_SLOT = textwrap.dedent(
    """
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult
    from commonground.core.models import PeriodicRun
    PeriodicRun.objects.all().delete()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    print("{}")
    """
)


def _mailed(scratch: Scratch, subject: str) -> int:
    folder = scratch.tmp / "mail"
    if not folder.exists():
        return 0
    return sum(f.read_text(errors="replace").count(f"Subject: {subject}") for f in folder.iterdir())


def _wait_reminders(scratch: Scratch, check: Callable[[dict], bool], timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = scratch.shell(REMINDER_STATE)
        if check(state):
            return state
        if time.monotonic() > deadline:
            log = (scratch.tmp / "worker.log").read_text(errors="replace")[-3000:]
            raise AssertionError(f"reminders not as expected: {state}\n{log}")
        time.sleep(0.5)


def test_the_worker_process_sends_a_due_reminder_once_across_a_restart(scratch: Scratch) -> None:
    report = scratch.shell(REMINDER_SETUP)["report"]
    subject = "Report due today: Shelter Network"
    worker = start(["worker", "--interval", "0.2"], scratch.env, scratch.tmp / "worker.log")
    try:
        state = _wait_reminders(
            scratch, lambda s: [status for _, status in s["notifications"]] == ["sent"]
        )
    finally:
        stop(worker)
    [(key, _)] = state["notifications"]
    assert key.startswith(f"reminder:{report}:0:")
    assert _mailed(scratch, subject) == 1
    # Restart in the next slot: the job runs again and finds the reminder made.
    scratch.shell(NEXT_SLOT)
    runs = state["reminder_runs"]
    worker = start(["worker", "--interval", "0.2"], scratch.env, scratch.tmp / "worker.log")
    try:
        again = _wait_reminders(scratch, lambda s: s["reminder_runs"] > runs)
    finally:
        stop(worker)
    assert again["notifications"] == state["notifications"]
    assert _mailed(scratch, subject) == 1, "the restarted worker sent nothing again"
