"""Report exports: PDFs kept, made in the request or by the worker, downloaded by whoever may
still see them, published with the `reporting.report_published` fact."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from commonground.core.errors import Conflict, InvalidInput
from commonground.notifications.models import Notification
from commonground.partnerships.services import seat_revoke
from commonground.reporting import pdf
from commonground.reporting.facts import report_published
from commonground.reporting.models import ReportExport
from commonground.reporting.services import exports
from commonground.reporting.tests.report_data import Q1, framework_with_result, pdf_text
from commonground.results.tests.factories import make_indicator, records
from conftest import World

pytestmark = pytest.mark.django_db

RANGE = {"date_from": "2025-01-01", "date_to": "2025-03-31"}
Status = ReportExport.Status


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def large(world: World, settings: Any) -> None:
    """Reports of A from now on are large: one indicator over a threshold of none."""
    make_indicator(world)
    settings.REPORT_BACKGROUND_INDICATORS = 0


def ask(world: World, user: Any) -> ReportExport:
    return exports.export_request(actor=user, seat=world.seat(user), date_from=Q1[0], date_to=Q1[1])


def download(client: Client, export: ReportExport) -> Any:
    if export.partnership_id is None:
        return client.get(reverse("reporting:council_export_download", args=[export.pk]))
    return client.get(
        reverse("reporting:report_export_download", args=[export.partnership_id, export.pk])
    )


def test_a_small_report_is_kept_at_once(world: World) -> None:
    framework_with_result(world)
    client = client_for(world.viewer)

    with records("report_export.request", "report_export.done"):
        response = client.post(reverse("reporting:report_export_create", args=[world.a.pk]), RANGE)

    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == exports.export_url(export)
    assert export.status == Status.DONE and export.requested_by == world.viewer
    assert export.file.name.startswith("report-exports/")
    assert not Notification.objects.exists()  # the person is on the page: no notification
    page = client.get(response["Location"])
    assert "Download the PDF" in page.content.decode()
    file = download(client, export)
    assert file["Content-Disposition"] == (
        'attachment; filename="progress-report-homelessness-response-2025-01-01-to-2025-03-31.pdf"'
    )
    assert "40 people" in pdf_text(b"".join(file.streaming_content))


def test_a_large_report_is_made_by_the_worker_and_the_requester_gets_a_link(
    world: World, settings: Any, run_tasks: Any
) -> None:
    settings.REPORT_BACKGROUND_INDICATORS = 0
    framework_with_result(world)
    client = client_for(world.editor)
    url = reverse("reporting:progress_report", args=[world.a.pk])

    page = client.get(url, RANGE)
    assert "Prepare the PDF" in page.content.decode()
    straight = client.get(reverse("reporting:progress_report_pdf", args=[world.a.pk]), RANGE)
    assert straight.status_code == 302 and straight["Location"].startswith(url)

    response = client.post(reverse("reporting:report_export_create", args=[world.a.pk]), RANGE)
    export = ReportExport.objects.get()
    assert export.status == Status.QUEUED and not export.file
    waiting = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "being made in the background" in waiting
    assert 'hx-trigger="every 2s"' in waiting
    assert download(client, export).status_code == 302  # not ready: back to its page

    assert "done" in run_tasks()
    export.refresh_from_db()
    assert export.status == Status.DONE and export.finished_at is not None
    with export.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Homelessness Response" in text and "40 people" in text
    (notice,) = Notification.objects.filter(user=world.editor)
    assert notice.kind == "report_ready"
    assert notice.link == exports.export_url(export)
    assert notice.partnership_id == world.a.pk
    ready = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "Download the PDF" in ready and "hx-trigger" not in ready
    assert download(client, export).status_code == 200


def test_a_large_council_summary_is_made_by_the_worker(
    world: World, settings: Any, run_tasks: Any
) -> None:
    settings.REPORT_BACKGROUND_PARTNERSHIPS = 0
    client = client_for(world.coordinator)

    response = client.post(reverse("reporting:council_export_create"), RANGE)

    export = ReportExport.objects.get()
    assert export.partnership is None and export.status == Status.QUEUED
    assert response["Location"] == reverse("reporting:council_export", args=[export.pk])
    run_tasks()
    export.refresh_from_db()
    assert export.status == Status.DONE
    text = pdf_text(b"".join(download(client, export).streaming_content))
    assert "Homelessness Response" in text and "Dune Restoration" not in text
    assert Notification.objects.get(user=world.coordinator).kind == "report_ready"
    # Nobody else sees somebody's council summary, not even at its address.
    for other in (world.editor, world.other_coordinator, world.outsider):
        assert download(client_for(other), export).status_code == 404
        assert client_for(other).get(response["Location"]).status_code == 404


def test_a_task_run_twice_makes_one_file(world: World, settings: Any, run_tasks: Any) -> None:
    large(world, settings)
    export = ask(world, world.viewer)

    run_tasks()
    first = ReportExport.objects.get(pk=export.pk).file.name

    assert exports.export_render(export.pk) == "skipped"
    assert ReportExport.objects.get(pk=export.pk).file.name == first
    assert len(list((Path(settings.MEDIA_ROOT) / "report-exports").rglob("*.pdf"))) == 1
    assert Notification.objects.filter(kind="report_ready").count() == 1


def test_the_worker_refuses_a_requester_who_lost_the_seat(
    world: World, settings: Any, run_tasks: Any
) -> None:
    large(world, settings)
    export = ask(world, world.viewer)
    seat_revoke(actor=world.coordinator, seat=world.seat(world.viewer))

    with records("report_export.fail"):
        run_tasks()

    export.refresh_from_db()
    assert export.status == Status.FAILED and not export.file
    assert "no longer hold a seat" in export.message
    assert Notification.objects.get(user=world.viewer).kind == "report_failed"


def test_a_rendering_error_fails_the_export_with_a_message(
    world: World, settings: Any, run_tasks: Any, monkeypatch: Any
) -> None:
    large(world, settings)
    export = ask(world, world.viewer)

    def broken(*args: Any) -> bytes:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(pdf, "progress_report_pdf", broken)
    run_tasks()

    export.refresh_from_db()
    assert export.status == Status.FAILED
    assert export.message == "The PDF could not be made. Try again, or ask for help."
    page = client_for(world.viewer).get(exports.export_url(export)).content.decode()
    assert "The PDF could not be made." in page


def test_download_checks_access_again(world: World) -> None:
    export = ask(world, world.viewer)
    assert download(client_for(world.viewer), export).status_code == 200
    # Until it is published, nobody else in the partnership sees it.
    assert download(client_for(world.reporter), export).status_code == 404
    assert download(client_for(world.coordinator), export).status_code == 404

    seat_revoke(actor=world.coordinator, seat=world.seat(world.viewer))

    assert download(client_for(world.viewer), export).status_code == 404


def test_a_published_report_is_for_everyone_who_may_view_the_partnership(world: World) -> None:
    export = ask(world, world.coordinator)
    with report_published.observed() as statements:
        url = reverse("reporting:report_export_publish", args=[world.a.pk, export.pk])
        with records("report_export.publish"):
            client_for(world.coordinator).post(url)
    heard = [statement["export"] for statement in statements]

    export.refresh_from_db()
    assert export.published
    assert heard == [export]
    assert download(client_for(world.reporter), export).status_code == 200
    assert download(client_for(world.other_coordinator), export).status_code == 404
    again = client_for(world.coordinator).post(url, follow=True)
    assert "already published" in again.content.decode()


def test_only_a_finished_report_is_published_by_those_who_manage_reporting(
    world: World, settings: Any
) -> None:
    large(world, settings)
    queued = ask(world, world.editor)
    with pytest.raises(Conflict, match="Only a finished report"):
        exports.export_publish(actor=world.editor, seat=world.seat(world.editor), export=queued)
    settings.REPORT_BACKGROUND_INDICATORS = 40
    done = ask(world, world.viewer)
    with pytest.raises(PermissionDenied):
        exports.export_publish(actor=world.viewer, seat=world.seat(world.viewer), export=done)
    assert not ReportExport.objects.filter(published=True).exists()


def test_a_wrong_range_creates_no_export(world: World) -> None:
    response = client_for(world.viewer).post(
        reverse("reporting:report_export_create", args=[world.a.pk]),
        {"date_from": "2025-04-01", "date_to": "2025-01-01"},
    )
    assert response.status_code == 400
    assert "comes before the start date" in response.content.decode()
    assert not ReportExport.objects.exists()
    with pytest.raises(InvalidInput):
        exports.export_request(
            actor=world.viewer,
            seat=world.seat(world.viewer),
            date_from=dt.date(2025, 4, 1),
            date_to=dt.date(2025, 1, 1),
        )
