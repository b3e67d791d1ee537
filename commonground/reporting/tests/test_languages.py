"""Reporting in Spanish: pages in the language asked for, notifications in the recipient's
language whatever the actor's, and PDFs in the language of the person who asked for them, also
when the worker makes them."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from commonground.core.errors import Conflict
from commonground.notifications.models import Notification
from commonground.reporting import pdf
from commonground.reporting.models import ReportExport
from commonground.reporting.selectors.calendar import due_date_events
from commonground.reporting.selectors.progress_report import progress_report
from commonground.reporting.services import reminders, reports
from commonground.reporting.tests.factories import make_schedule, report_of, submit
from commonground.reporting.tests.report_data import Q1, framework_with_result
from conftest import World

pytestmark = pytest.mark.django_db

RANGE = {"date_from": "2025-01-01", "date_to": "2025-03-31"}


@pytest.fixture(autouse=True)
def _mid_2025():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2025, 4, 20, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def spanish_client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(user)  # type: ignore[arg-type]
    return client


def speaks(user: Any, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def test_the_reporting_page_is_in_spanish_with_spanish_dates(world: World) -> None:
    make_schedule(world)

    page = spanish_client(world.coordinator).get(reverse("reporting:reports", args=[world.a.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Informes</h1>" in html
    assert "Calendarios" in html and "Informes de los socios" in html
    assert "trimestral, vence 30 días después del fin de cada periodo;" in html
    assert "Recordatorios: 7 días antes, el día del vencimiento, 3 días después." in html
    # 2025-Q1 ends on 31 March and is due 30 April: Spanish short dates.
    assert "31 mar 2025" in html and "30 abr 2025" in html
    assert "Vence" in html  # the Q1 report's state
    assert "Partner reports" not in html and "Schedules" not in html


def test_a_report_page_and_its_refusal_speak_spanish(world: World) -> None:
    report = report_of(world, make_schedule(world), "2025-Q1")
    client = spanish_client(world.reporter)

    page = client.get(reverse("reporting:report", args=[world.a.pk, report.pk])).content.decode()
    assert "Enviar a revisión" in page and "Guardar el borrador" in page
    assert "Periodo 1 ene 2025 \u2013 31 mar 2025 · vence el 30 de abril de 2025" in page

    with translation.override("es"), pytest.raises(Conflict) as refused:
        reports.report_accept(
            actor=world.coordinator, seat=world.seat(world.coordinator), report=report
        )
    assert refused.value.message == "Un informe sin enviar no puede ser aceptado."


def test_report_to_review_is_written_in_each_reviewers_language(world: World) -> None:
    speaks(world.coordinator, "es")  # the editor chose no language: the site's, English
    report = report_of(world, make_schedule(world), "2025-Q1")

    with translation.override("en"):  # the reporter's request is in English
        submit(world, report)

    spanish = Notification.objects.get(kind="report_submitted", user=world.coordinator)
    english = Notification.objects.get(kind="report_submitted", user=world.editor)
    assert spanish.subject == "Informe para revisar: Shelter Network, 2025-Q1"
    assert spanish.body.startswith(f"{world.reporter.full_name} envió el informe 2025-Q1 de")
    assert english.subject == "Report to review: Shelter Network, 2025-Q1"


def test_a_return_keeps_the_reviewers_comment_and_speaks_the_writers_language(
    world: World,
) -> None:
    speaks(world.reporter, "es")
    report = report_of(world, make_schedule(world), "2025-Q1")
    submit(world, report)

    with translation.override("en"):
        reports.report_return(
            actor=world.coordinator,
            seat=world.seat(world.coordinator),
            report=report,
            comment="Add the numbers.",
        )

    notice = Notification.objects.get(kind="report_return", user=world.reporter)
    assert notice.subject.startswith("Informe devuelto con comentarios: 2025-Q1,")
    assert notice.body.endswith(
        "devolvió el informe con comentarios (Shelter Network, 2025-Q1).\n\nAdd the numbers."
    )


def test_reminders_and_calendar_events_are_in_the_recipients_language(world: World) -> None:
    speaks(world.reporter, "es")
    report = report_of(world, make_schedule(world), "2025-Q1")

    # Three days overdue: the writers and the coordinators are reminded.
    by_user = {r.user.pk: r for r in reminders.reminders_of(report, 3)}
    spanish, english = by_user[world.reporter.pk], by_user[world.coordinator.pk]
    assert str(spanish.subject).startswith("Informe atrasado 3 días: Shelter Network, 2025-Q1")
    assert "vence el 30 de abril de 2025." in str(spanish.body)
    assert str(english.subject).startswith("Report overdue by 3 days: Shelter Network, 2025-Q1")
    assert "is due on 30 April 2025." in str(english.body)

    (event, *_) = due_date_events([world.seat(world.reporter)])
    assert event.summary.startswith("Vence el informe: Shelter Network 2025-Q1")


def test_a_progress_report_rendered_in_spanish_has_spanish_headings(world: World) -> None:
    framework_with_result(world)
    report = progress_report(world.a, *Q1)

    with translation.override("es"):
        html = render_to_string(
            "reporting/progress_report_pdf.html", {"report": report, "pdf": True}
        )

    assert '<html lang="es"' in html
    assert (
        "<title>Informe de avance: Homelessness Response, "
        "del 1 de enero de 2025 al 31 de marzo de 2025</title>" in html
    )
    for heading in (
        "Estado general",
        "Marco de resultados",
        "Logros",
        "Desafíos",
        "Informes de los socios",
    ):
        assert f">{heading}</h2>" in html
    assert "Overall status" not in html and "Results framework" not in html


def _capture_pdf_html(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Keep the HTML each PDF is made from (and skip WeasyPrint)."""
    made: list[str] = []

    def render(template_name: str, context: dict[str, Any]) -> bytes:
        made.append(render_to_string(template_name, {**context, "pdf": True}))
        return b"%PDF-1.7 test"

    monkeypatch.setattr(pdf, "render_pdf", render)
    return made


def test_a_pdf_downloaded_in_spanish_is_in_spanish(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    framework_with_result(world)
    made = _capture_pdf_html(monkeypatch)

    response = spanish_client(world.viewer).get(
        reverse("reporting:progress_report_pdf", args=[world.a.pk]), RANGE
    )

    assert response.status_code == 200
    (html,) = made
    assert "Estado general" in html and "Overall status" not in html


def test_the_worker_makes_the_pdf_in_the_language_it_was_asked_in(
    world: World, settings: Any, run_tasks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.REPORT_BACKGROUND_INDICATORS = 0  # large: made by the worker
    framework_with_result(world)
    made = _capture_pdf_html(monkeypatch)
    speaks(world.editor, "es")

    spanish_client(world.editor).post(
        reverse("reporting:report_export_create", args=[world.a.pk]), RANGE
    )
    assert ReportExport.objects.get().status == ReportExport.Status.QUEUED
    with translation.override("en"):  # the worker's own language
        assert "done" in run_tasks()

    (html,) = made
    assert '<html lang="es"' in html and "Marco de resultados" in html
    notice = Notification.objects.get(user=world.editor, kind="report_ready")
    assert notice.subject == "El PDF de su informe de avance está listo"
    assert "del 1 de enero de 2025 al 31 de marzo de 2025" in notice.body


def test_the_digest_section_is_in_the_recipients_language(world: World) -> None:
    from commonground.reporting.selectors.digest import digest_section

    speaks(world.viewer, "es")
    make_schedule(world)  # its 2025-Q1 report fell due on 30 April
    since = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    until = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)

    section = digest_section(partnership=world.a, user=world.viewer, since=since, until=until)

    assert "informe ahora atrasado" in {one for _, one, _ in section.counts}
    with translation.override("en"):  # the digest job's own language
        text = render_to_string(f"{section.template}.txt", dict(section.context))
    assert "INFORMES ATRASADOS" in text and "vence el 30 abr 2025" in text


def test_the_apis_messages_follow_accept_language(world: World) -> None:
    report = report_of(world, make_schedule(world), "2025-Q1")
    submit(world, report)
    base = f"/api/v1/partnerships/{world.a.pk}"
    client = spanish_client(world.coordinator)

    returned = client.post(
        f"{base}/reports/{report.pk}/return", {"comment": ""}, content_type="application/json"
    )
    wrong_state = client.get(f"{base}/reports?state=lost")

    assert returned.status_code == 409 and returned.json()["code"] == "comment_required"
    assert returned.json()["message"] == "Indique qué hay que cambiar."
    assert wrong_state.status_code == 400
    assert wrong_state.json()["message"].startswith("Elija uno de: not_yet_due, due,")
