"""Large results imports through the worker: upload → check → confirm → import, with progress,
problems by row and column, and every step once."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from commonground.core import jobs
from commonground.core.models import AuditEvent, PeriodicRun
from commonground.partnerships.models import Seat
from commonground.results.models import ImportJob, ImportJobStatus, Result, ResultStatus
from commonground.results.services import import_jobs
from commonground.results.tests.factories import make_indicator, make_objective
from commonground.results.tests.test_import_pages import _csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_2025_small_threshold(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_BACKGROUND_ROWS = 2
    settings.CACHES = {
        **settings.CACHES,
        "progress": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "progress"),
        },
    }
    with time_machine.travel(dt.datetime(2025, 8, 15, 9, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def indicators(world):
    outcome = make_objective(world, title="People housed quickly")
    housed = make_indicator(world, outcome, title="People housed")
    beds = make_indicator(world, outcome, title="Beds opened", target_value=400)
    return {"housed": housed, "beds": beds}


def _rows(indicators, beds_q1: object = 3) -> list[list[object]]:
    housed, beds = indicators["housed"], indicators["beds"]
    return [
        [housed.pk, housed.title, "2025-Q1", "", 10, ""],
        [housed.pk, housed.title, "2025-Q2", "", 12, ""],
        [beds.pk, beds.title, "2025-Q1", "", beds_q1, "new shelter"],
    ]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _upload(client, world, data: bytes, name: str = "big.csv"):
    url = reverse("results:import", args=[world.a.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def _job_url(world, job: ImportJob, name: str = "import_job") -> str:
    return reverse(f"results:{name}", args=[world.a.pk, job.pk])


def test_a_large_file_is_checked_confirmed_and_imported_by_the_worker(world, indicators, run_tasks):
    client = _client(world.reporter)
    response = _upload(client, world, _csv(_rows(indicators)))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _job_url(world, job)
    assert job.status == ImportJobStatus.CHECKING and job.rows == 3
    assert job.created_by == world.reporter and job.partnership == world.a
    assert "Waiting for the background worker" in _text(client.get(_job_url(world, job)))

    assert run_tasks() == ["checked"]
    job.refresh_from_db()
    assert job.status == ImportJobStatus.CHECKED
    page = _text(client.get(_job_url(world, job)))
    assert "no problems" in page
    assert "3 results created, 0 updated, 0 unchanged" in page
    assert "Import now" in page
    assert not Result.objects.exists(), "the check writes nothing"

    response = client.post(_job_url(world, job, "import_job_confirm"))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJobStatus.IMPORTING
    assert "Waiting for the background worker to start the import" in _text(
        client.get(_job_url(world, job))
    )

    assert run_tasks() == ["done"]
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert job.report["created"] == 3
    assert Result.objects.filter(status=ResultStatus.DRAFT).count() == 3
    page = _text(client.get(_job_url(world, job)))
    assert "3 results created, 0 updated, 0 unchanged" in page
    actions = list(
        AuditEvent.objects.filter(partnership=world.a)
        .filter(action__startswith="results")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == ["results_import.upload", "results_import.confirm", "results.import"]
    assert not (import_jobs.store() / job.stored_name).exists(), "the file is gone once imported"


def test_problems_are_listed_by_row_and_column_and_nothing_is_written(world, indicators, run_tasks):
    client = _client(world.reporter)
    _upload(client, world, _csv(_rows(indicators, beds_q1="lots")))
    assert run_tasks() == ["problems"]
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    page = _text(client.get(_job_url(world, job)))
    assert "Nothing was imported: 1 problem in 1 row" in page
    assert "Row 4 value" in page
    assert "Import now" not in page
    assert not Result.objects.exists()
    # A confirmation posted anyway changes nothing.
    response = client.post(_job_url(world, job, "import_job_confirm"), follow=True)
    assert "nothing to import" in _text(response)
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_confirming_twice_imports_once(world, indicators, run_tasks):
    client = _client(world.reporter)
    _upload(client, world, _csv(_rows(indicators)))
    run_tasks()
    job = ImportJob.objects.get()
    client.post(_job_url(world, job, "import_job_confirm"))
    response = client.post(_job_url(world, job, "import_job_confirm"), follow=True)
    assert "already been started" in _text(response)
    assert DBTaskResult.objects.filter(task_path__endswith="run_import").count() == 1
    assert run_tasks() == ["done"]
    # The task run again (a worker restarted after finishing it) does nothing.
    assert import_jobs.run_import(str(job.pk)) == "skipped"
    assert Result.objects.count() == 3


def test_only_the_uploader_sees_the_job(world, indicators):
    _upload(_client(world.reporter), world, _csv(_rows(indicators)))
    job = ImportJob.objects.get()
    for person in (world.editor, world.coordinator):
        assert _client(person).get(_job_url(world, job)).status_code == 404
        assert _client(person).post(_job_url(world, job, "import_job_confirm")).status_code == 404
    other = reverse("results:import_job", args=[world.b.pk, job.pk])
    assert _client(world.other_coordinator).get(other).status_code == 404


def test_a_seat_revoked_before_the_import_stops_it(world, indicators, run_tasks):
    client = _client(world.reporter)
    _upload(client, world, _csv(_rows(indicators)))
    run_tasks()
    job = ImportJob.objects.get()
    client.post(_job_url(world, job, "import_job_confirm"))
    Seat.objects.filter(user=world.reporter, partnership=world.a).update(role="viewer")
    assert run_tasks() == ["failed"]
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert "no longer allows reporting" in job.message
    assert not Result.objects.exists()


def test_progress_is_shown_while_importing_and_htmx_gets_only_the_status(world, indicators):
    client = _client(world.reporter)
    _upload(client, world, _csv(_rows(indicators)))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.IMPORTING)
    jobs.progress_set(job.progress_key, 2, 3, stage="importing")
    page = client.get(_job_url(world, job))
    assert '<progress id="import-progress" class="cg-progress" max="3" value="2">' in (
        page.content.decode()
    )
    assert "2 of 3 (67%)" in _text(page)
    partial = client.get(_job_url(world, job), headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html and 'id="import-status"' in html
    assert 'hx-trigger="every 2s"' in html


def test_a_job_nobody_moved_for_a_quarter_of_an_hour_shows_as_interrupted(world, indicators):
    client = _client(world.reporter)
    _upload(client, world, _csv(_rows(indicators)))
    job = ImportJob.objects.get()
    with time_machine.travel(dt.datetime(2025, 8, 15, 9, 16, tzinfo=dt.UTC)):
        page = client.get(_job_url(world, job))
    assert "This import was interrupted" in _text(page)
    assert 'hx-trigger="every 2s"' not in page.content.decode()


def _interrupted(world, indicators, run_tasks, *, while_importing: bool):
    """A job whose worker died with it: the task was taken and never finished."""
    client = _client(world.reporter)
    _upload(client, world, _csv(_rows(indicators)))
    if while_importing:
        run_tasks()
        client.post(_job_url(world, ImportJob.objects.get(), "import_job_confirm"))
    DBTaskResult.objects.filter(status="READY").update(status="RUNNING")  # taken, then lost
    return client, ImportJob.objects.get()


@pytest.mark.parametrize("while_importing", [False, True], ids=["checking", "importing"])
def test_an_interrupted_job_can_be_tried_again_from_the_kept_file(
    world, indicators, run_tasks, while_importing
):
    client, job = _interrupted(world, indicators, run_tasks, while_importing=while_importing)
    with time_machine.travel(dt.datetime(2025, 8, 15, 9, 30, tzinfo=dt.UTC), tick=True):
        page = client.get(_job_url(world, job))
        assert "This import was interrupted" in _text(page)
        response = client.post(_job_url(world, job, "import_job_retry"), follow=True)
        assert "This import was interrupted" not in _text(response)
        if while_importing:
            assert run_tasks() == ["done"]
        else:
            assert run_tasks() == ["checked"]
            client.post(_job_url(world, job, "import_job_confirm"))
            assert run_tasks() == ["done"]
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE and job.report["created"] == 3
    assert Result.objects.count() == 3
    assert AuditEvent.objects.filter(action="results_import.retry", object_id=str(job.pk)).exists()


def test_a_job_still_moving_is_not_tried_again(world, indicators, run_tasks):
    client, job = _interrupted(world, indicators, run_tasks, while_importing=True)
    queued = DBTaskResult.objects.count()
    with time_machine.travel(dt.datetime(2025, 8, 15, 9, 5, tzinfo=dt.UTC), tick=True):
        response = client.post(_job_url(world, job, "import_job_retry"), follow=True)
    assert "not interrupted" in _text(response)
    assert DBTaskResult.objects.count() == queued
    for person in (world.editor, world.coordinator):
        assert _client(person).post(_job_url(world, job, "import_job_retry")).status_code == 404


def test_small_files_still_import_in_the_request(world, indicators, settings):
    settings.IMPORT_BACKGROUND_ROWS = 2000
    response = _upload(_client(world.reporter), world, _csv(_rows(indicators)))
    assert response.status_code == 200
    assert "3 results created" in _text(response)
    assert not ImportJob.objects.exists()


def test_periodic_jobs_run_once_per_slot(world):
    now = dt.datetime(2025, 8, 15, 9, tzinfo=dt.UTC)
    started = jobs.run_due(now)
    assert "commonground.results.tasks.refresh_progress" in started
    assert "commonground.results.tasks.refresh_progress" not in jobs.run_due(
        now + dt.timedelta(hours=1)
    )
    assert PeriodicRun.objects.filter(name__endswith="refresh_progress").count() == 1
    again = jobs.run_due(now + dt.timedelta(days=1))
    assert "commonground.results.tasks.refresh_progress" in again
