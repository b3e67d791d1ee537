"""The partnership pages, API messages and the invitation e-mail in Spanish (issue 10, item 3):
a person who reads Spanish gets Spanish words and Spanish dates; IATI labels stay English,
marked lang="en"; a person who reads English still gets English."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from commonground.core.models import AuditEvent
from commonground.partnerships.services import invitation_create

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _spanish_client(user: object) -> Client:
    client = Client(headers={"accept-language": "es"})
    client.force_login(user)
    return client


def test_overview_in_spanish_has_spanish_labels_and_dates(world):
    page = _spanish_client(world.coordinator).get(reverse("partnerships:detail", args=[world.a.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="es">' in html
    for words in ("Vista general", "Propósito", "Datos", "Socios", "Actividad reciente"):
        assert words in html
    assert (
        "usted participa como <strong>coordinador</strong> en nombre de City of Testville" in html
    )
    # The partnership runs 2025-01-01 to 2027-12-31: DATE_FORMAT in Spanish.
    assert "Del 1 de enero de 2025 al 31 de diciembre de 2027" in html
    assert "Líder / articulador" in html  # the lead partner's role
    # The IATI activity status is English, and says so.
    assert f'<span lang="en">{world.a.status_label}</span>' in html
    assert "Purpose" not in html and "Recent activity" not in html


def test_recent_activity_dates_use_the_spanish_short_format(world):
    html = (
        _spanish_client(world.coordinator)
        .get(reverse("partnerships:detail", args=[world.a.pk]))
        .content.decode()
    )
    with translation.override("es"):
        today = formats.date_format(dt.datetime.now(dt.UTC), "SHORT_DATE_FORMAT")
    assert today.split()[1].islower()  # "3 dic 2026": Spanish month abbreviations
    assert today in html


def test_my_partnerships_in_spanish_names_the_role_in_spanish(world):
    html = _spanish_client(world.reporter).get(reverse("partnerships:mine")).content.decode()
    for words in ("Mis alianzas", "Nueva alianza", "Organización líder", "Su rol"):
        assert words in html
    assert '<span class="badge">Informante</span>' in html


def test_the_same_overview_in_english_stays_english(world, client):
    client.force_login(world.coordinator)
    html = client.get(reverse("partnerships:detail", args=[world.a.pk])).content.decode()
    assert "1 January 2025 to 31 December 2027" in html
    assert "you are <strong>coordinator</strong> for City of Testville" in html


def test_a_partnership_that_fails_validation_is_explained_in_spanish_through_the_api(world):
    client = _spanish_client(world.coordinator)
    response = client.post(
        f"{API}/partnerships",
        {
            "title": "",
            "purpose": "Aire limpio.",
            "start_date": "2026-06-01",
            "end_date": "2026-01-01",
            "lead_organisation_id": world.ngo.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"] == "Hay que corregir algunos datos de la alianza."
    assert body["fields"]["title"] == ["Dé un título a la alianza."]
    assert body["fields"]["end_date"] == [
        "La fecha de fin debe ser igual o posterior a la fecha de inicio."
    ]


def test_a_refused_api_call_names_the_role_in_spanish(world):
    response = _spanish_client(world.reporter).patch(
        f"{API}/partnerships/{world.a.pk}",
        {"title": "Otro título"},
        content_type="application/json",
        headers={"if-match": '"1"'},
    )
    assert response.status_code == 403
    assert response.json()["message"] == "Su rol (Informante) no permite hacer esto."


def test_an_english_api_client_still_gets_english(world, client):
    client.force_login(world.coordinator)
    response = client.post(
        f"{API}/partnerships",
        {
            "title": "",
            "purpose": "x",
            "start_date": "2026-01-01",
            "lead_organisation_id": world.city.pk,
        },
        content_type="application/json",
    )
    assert response.json()["message"] == "Some partnership details need correcting."


def test_an_invitation_sent_from_a_spanish_page_is_written_in_spanish(
    world, django_capture_on_commit_callbacks
):
    client = _spanish_client(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partnerships:invite", args=[world.a.pk]),
            {"email": "nueva@example.test", "role": "reporter", "partner": world.ngo_a.pk},
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert (
        message.subject == "Coordinator le invita a unirse a Homelessness Response en Common Ground"
    )
    assert message.body.startswith("Hola:")
    assert (
        "Coordinator le invita a unirse a «Homelessness Response» en Common Ground como "
        "informante, en nombre de Shelter Network." in message.body
    )
    assert "caduca en 14 días" in message.body
    assert "Si no esperaba este mensaje, puede ignorarlo." in message.body
    assert "Hello" not in message.body
    # The page that confirms it speaks Spanish too.
    page = client.get(response["Location"]).content.decode()
    assert "Invitación enviada a nueva@example.test." in page


def test_an_invitation_is_written_in_the_language_active_when_it_is_sent(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), translation.override("es"):
        invitation_create(
            actor=world.coordinator,
            partnership=world.a,
            partner=world.ngo_a,
            email="una@example.test",
            role="viewer",
        )
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        invitation_create(
            actor=world.coordinator,
            partnership=world.a,
            partner=world.ngo_a,
            email="other@example.test",
            role="viewer",
        )
    spanish, english = mail.outbox
    assert "como lector" in spanish.body and "caduca en 14 días" in spanish.body
    assert "as viewer" in english.body and "expires in 14 days" in english.body


def test_the_new_partnership_form_in_spanish_labels_every_field(world):
    html = _spanish_client(world.outsider).get(reverse("partnerships:create")).content.decode()
    for label in ("Título", "Organización líder", "Propósito", "Zona geográfica"):
        assert label in html
    assert "Fecha de inicio" in html and "Fecha de fin" in html
    # The IATI statuses, the OECD DAC sectors and the SDG titles are English lists.
    assert '<select name="status" lang="en"' in html
    assert html.count('<div lang="en">') == 2


def test_the_ledger_labels_objects_in_english_whoever_writes(world):
    client = _spanish_client(world.coordinator)
    response = client.post(
        reverse("partnerships:partner_add", args=[world.a.pk]),
        {"organisation": world.other_org.pk, "role": "funding", "aims": ""},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="partner.add").latest("seq")
    assert event.object_label == "Dune Foundation (Funding)"
    page = client.get(response["Location"]).content.decode()
    assert "Dune Foundation se unió como socio." in page
