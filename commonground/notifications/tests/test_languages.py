"""E-mails rendered in each language: whatever language the person who caused a message (or
the worker) runs in, each recipient reads it in their own (their profile's, else the site's);
and the notifications pages in Spanish."""

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.test import Client
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext
from icalendar import Calendar

from commonground.notifications import registry
from commonground.notifications.registry import (
    CalendarEvent,
    DigestSection,
    Reminder,
    register_calendar_source,
    register_digest_section,
    register_reminder_rule,
)
from commonground.notifications.services import calendar, digests, reminders
from commonground.notifications.services.notify import notify
from commonground.partnerships.models import Seat

pytestmark = pytest.mark.django_db

FIXTURES = str(Path(__file__).parent / "templates")
FOOTER_EN = "You get this because you have a seat in a partnership on Common Ground."
FOOTER_ES = "Recibe este mensaje porque tiene un puesto en una alianza de Common Ground."


@pytest.fixture(autouse=True)
def restore_registry() -> Iterator[None]:
    saved = {
        name: dict(getattr(registry, name))
        for name in ("KINDS", "REMINDER_RULES", "CALENDAR_SOURCES", "DIGEST_SECTIONS")
    }
    yield
    for name, contents in saved.items():
        table = getattr(registry, name)
        table.clear()
        table.update(contents)


def speaks(user, language: str):  # type: ignore[no-untyped-def]
    user.language = language
    user.save(update_fields=["language"])
    return user


def mail_to(user) -> EmailMultiAlternatives:  # type: ignore[no-untyped-def]
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    assert isinstance(message, EmailMultiAlternatives)
    return message


def html_of(message: EmailMultiAlternatives) -> str:
    return str(message.alternatives[0][0])


def _digest_subject() -> str:
    return gettext("Weekly digest: %(partnership)s") % {"partnership": "Homelessness Response"}


def test_one_request_notifies_each_recipient_in_their_own_language(world, run_tasks):
    spanish, english = speaks(world.reporter, "es"), speaks(world.viewer, "en")
    subject = lazy(_digest_subject, str)()
    # The person who caused it, and the worker that mails it, both use Spanish.
    with translation.override("es"), transaction.atomic():
        for user in (spanish, english):
            notify(user=user, kind="test", key=f"t:{user.pk}", subject=subject, body="-", link="/")
    with translation.override("es"):
        run_tasks()
    es, en = mail_to(spanish), mail_to(english)
    assert es.subject == "Resumen semanal: Homelessness Response"
    assert en.subject == "Weekly digest: Homelessness Response"
    assert FOOTER_ES in es.body and FOOTER_ES in html_of(es)
    assert '<html lang="es">' in html_of(es) and "Abrir en Common Ground" in html_of(es)
    assert FOOTER_EN in en.body and FOOTER_ES not in en.body
    assert '<html lang="en">' in html_of(en) and "Open it in Common Ground" in html_of(en)
    assert es.extra_headers["Content-Language"] == "es"
    assert en.extra_headers["Content-Language"] == "en"


def test_a_person_with_no_language_chosen_gets_the_sites(world, run_tasks, settings):
    person = speaks(world.viewer, "")
    with translation.override("es"), transaction.atomic():
        notify(user=person, kind="test", key="t:1", subject="Hello", body="Body.")
    with translation.override("es"):
        run_tasks()
    message = mail_to(person)
    assert FOOTER_EN in message.body
    assert message.extra_headers["Content-Language"] == settings.LANGUAGE_CODE


def test_a_digest_is_written_in_its_readers_language(world, run_tasks, settings):
    spanish, english = speaks(world.viewer, "es"), speaks(world.reporter, "en")
    built_in: dict[int, str | None] = {}

    def pledges(*, partnership, user, since, until) -> DigestSection:
        built_in[user.pk] = translation.get_language()
        mine = partnership.pk == world.a.pk
        return DigestSection(
            new_items=1 if mine else 0,
            counts=((1 if mine else 0, gettext("Weekly"), gettext("Weekly")),),
            template="notifications/tests/digest_pledges",
            context={"pledges": ["Ten beds"] if mine else []},
        )

    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], FIXTURES]}
    ]
    registry.DIGEST_SECTIONS.clear()
    register_digest_section("tests.pledges", build=pledges)
    # The job runs in whatever language the worker has: here the opposite of each reader's.
    with time_machine.travel(dt.datetime(2025, 5, 5, 7, 5, tzinfo=dt.UTC), tick=False):
        with translation.override("en"):
            digests.send_due()
        with translation.override("es"):
            run_tasks()
    es, en = mail_to(spanish), mail_to(english)
    assert es.subject == "Resumen semanal: Homelessness Response"
    assert "Del 28 de abril de 2025 al 5 de mayo de 2025" in es.body
    assert "Elegir resúmenes semanales, mensuales o ninguno: http" in es.body
    assert "Darse de baja de este resumen: http" in es.body
    assert '<html lang="es">' in html_of(es) and "Darse de baja de este resumen" in html_of(es)
    assert es.extra_headers["Content-Language"] == "es"
    assert "List-Unsubscribe" in es.extra_headers
    assert en.subject == "Weekly digest: Homelessness Response"
    assert "28 April 2025 to 5 May 2025" in en.body
    assert "Unsubscribe from this digest: http" in en.body
    assert en.extra_headers["Content-Language"] == "en"
    # The sections were built in each reader's language (the summary line is the proof too).
    assert built_in[spanish.pk] == "es" and built_in[english.pk] == "en"
    assert spanish.notifications.get(kind="digest").body == "1 Semanal."


def test_a_reminder_rule_with_plain_texts_is_asked_in_each_recipients_language(world):
    speaks(world.coordinator, "es")
    speaks(world.editor, "en")

    def reminders_of(partnership) -> list[Reminder]:
        language = translation.get_language()
        return [
            Reminder(
                user=seat.user,
                kind="tests.pledge",
                key=f"tests.pledge:{seat.user_id}",
                subject=f"subject in {language}",
                body=f"body in {language}",
            )
            for seat in Seat.objects.filter(partnership=partnership)
            if seat.user in (world.coordinator, world.editor)
        ]

    register_reminder_rule("tests.pledges", due=lambda now: [world.a], reminders=reminders_of)
    with translation.override("es"):
        assert reminders.send_due() == 2
    assert world.coordinator.notifications.get().subject == "subject in es"
    assert world.editor.notifications.get().body == "body in en"


def test_a_reminder_rule_with_lazy_texts_is_read_in_each_recipients_language(world):
    speaks(world.coordinator, "es")
    speaks(world.editor, "en")
    asked: list[str | None] = []

    def reminders_of(partnership) -> list[Reminder]:
        asked.append(translation.get_language())
        text = lazy(_digest_subject, str)()
        return [
            Reminder(user=user, kind="tests.lazy", key=f"l:{user.pk}", subject=text, body=text)
            for user in (world.coordinator, world.editor)
        ]

    register_reminder_rule("tests.lazy", due=lambda now: [world.a], reminders=reminders_of)
    reminders.send_due()
    assert asked == ["en"], "lazy texts need no second asking"
    assert world.coordinator.notifications.get().subject.startswith("Resumen semanal")
    assert world.editor.notifications.get().subject.startswith("Weekly digest")


def test_a_calendar_feed_is_in_its_owners_language_not_the_clients(world):
    speaks(world.reporter, "es")

    def titles(seats: Sequence[Seat]) -> list[CalendarEvent]:
        return [
            CalendarEvent(
                uid="t@commonground",
                day=dt.date(2026, 3, 2),
                summary=f"{gettext('Monthly')}: {seats[0].partnership.title}",
                url="https://example.test/",
                description=gettext("Weekly"),
            )
        ]

    register_calendar_source("tests.titles", events=titles)
    _, secret = calendar.feed_create(user=world.reporter)
    response = Client().get(f"/calendar/{secret}/reports.ics", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "es"
    feed = Calendar.from_ical(response.content)
    assert str(feed["X-WR-CALNAME"]) == "Common Ground: vencimientos de informes"
    events = {str(e["UID"]): e for e in feed.walk("VEVENT")}
    assert str(events["t@commonground"]["SUMMARY"]) == "Mensual: Homelessness Response"


def test_the_inbox_in_spanish(world):
    speaks(world.reporter, "es")
    made_at = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)
    with time_machine.travel(made_at, tick=False), transaction.atomic():
        notify(user=world.reporter, kind="test", key="t:1", subject="Hola", body="Texto.")
    client = Client()
    client.force_login(world.reporter)
    page = client.get("/notifications/").content.decode()
    assert '<html lang="es">' in page
    assert "<h1>Notificaciones</h1>" in page
    assert "<strong>1 sin leer</strong>" in page
    assert "Marcar todas como leídas" in page and "Mostrar solo las no leídas" in page
    assert '<span class="badge">Nueva</span>' in page
    assert "3 dic 2026, 09:30" in page
    assert "Marcar como leída" in page
    response = client.post("/notifications/read-all/", follow=True)
    assert "1 notificación marcada como leída." in response.content.decode()


def test_digest_settings_and_unsubscribe_in_spanish(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(world.viewer)
    page = client.get("/notifications/digests/").content.decode()
    assert "<h1>Resúmenes por correo electrónico</h1>" in page
    assert ">Semanal</option>" in page and ">Sin resumen</option>" in page
    saved = client.post("/notifications/digests/", {f"digest_{world.a.pk}": "none"}, follow=True)
    assert "Se guardaron sus preferencias de resumen." in saved.content.decode()
    token = digests.unsubscribe_token(world.viewer.pk, world.a.pk)
    done = Client(HTTP_ACCEPT_LANGUAGE="es").get(f"/digests/unsubscribe/{token}/")
    assert (
        "no recibe resúmenes sobre <strong>Homelessness Response</strong>" in done.content.decode()
    )
    bad = Client(HTTP_ACCEPT_LANGUAGE="es").get("/digests/unsubscribe/forged/")
    assert bad.status_code == 400 and "no es válido" in bad.content.decode()


def test_the_calendar_page_in_spanish(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(world.reporter)
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC), tick=False):
        made = client.post("/profile/calendar/").content.decode()
    assert "<h1>Calendario suscrito</h1>" in made
    assert "Cópiela ahora en su aplicación de calendario" in made
    assert "creada el 3 dic 2026, 09:30." in made
    assert 'data-confirm="¿Revocar su dirección de calendario?' in made
    revoked = client.post("/profile/calendar/revoke/", follow=True).content.decode()
    assert "Calendario suscrito revocado" in revoked
    assert "Crear mi dirección de calendario" in revoked
