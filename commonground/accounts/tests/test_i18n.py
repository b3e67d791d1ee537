"""Accounts in Spanish (issue 10, item 3): the API's `message` texts follow Accept-Language, the
pages and the password-reset e-mail speak the reader's language, dates in the language's format,
and IATI labels stay English inside lang="en"."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from commonground.accounts.models import ApiToken, User
from commonground.accounts.services import api_token_create

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/organisations"


def _api(user: User, **headers: str) -> Client:
    _token, secret = api_token_create(user=user, name="script")
    return Client(headers={"authorization": f"Bearer {secret}", **headers})


def _post(client: Client, payload: dict[str, Any]) -> Any:
    return client.post(ORGANISATIONS, payload, content_type="application/json")


def test_api_validation_error_is_in_spanish_when_the_caller_asks_for_spanish(world) -> None:
    response = _post(_api(world.outsider, accept_language="es"), {"country": "NL"})
    body = response.json()
    assert response.status_code == 422 and body["code"] == "validation_error"
    assert body["message"] == "Faltan algunos campos o no son válidos."
    assert body["fields"]["name"] == ["Este campo es obligatorio."]
    assert response["Content-Language"] == "es"


def test_the_same_api_call_without_accept_language_is_in_english(world) -> None:
    body = _post(_api(world.outsider), {"country": "NL"}).json()
    assert body["message"] == "Some fields are missing or not valid."
    assert body["fields"]["name"] == ["This field is required."]


def test_a_services_refusal_comes_back_in_the_callers_language(world) -> None:
    payload = {"name": "Acme Cooperative", "org_type": "999", "country": "Netherlands"}
    spanish = _post(_api(world.outsider, accept_language="es-ES,es;q=0.9"), payload)
    assert spanish.status_code == 400 and spanish.json()["code"] == "invalid"
    assert spanish.json()["message"] == "Hay que corregir algunos datos de la organización."
    assert spanish.json()["fields"]["org_type"] == [
        "Elija un sector entre los tipos de organización IATI."
    ]
    english = _post(_api(world.outsider), payload).json()
    assert english["message"] == "Some organisation details need correcting."
    assert english["fields"]["country"] == [
        "Use the two-letter ISO country code, for example NL or KE."
    ]


def test_api_accept_language_wins_over_the_profile_language(world) -> None:
    User.objects.filter(pk=world.outsider.pk).update(language="es")
    client = Client(headers={"accept-language": "en"})
    client.force_login(User.objects.get(pk=world.outsider.pk))
    missing = client.get(f"{ORGANISATIONS}/999999")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Not found."
    assert "Accept-Language" in missing["Vary"]
    # The pages still follow the profile.
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Su perfil" in page


def test_api_401_and_404_texts_are_translated() -> None:
    anonymous = Client(headers={"accept-language": "es"}).get("/api/v1/me")
    assert anonymous.status_code == 401
    assert anonymous.json()["message"] == "Inicie sesión o envíe Authorization: Bearer <token>."


def test_profile_in_spanish_shows_spanish_text_and_dates(world) -> None:
    api_token_create(user=world.viewer, name="nightly sync")
    when = dt.datetime(2026, 3, 5, 10, 30, tzinfo=dt.UTC)
    ApiToken.objects.filter(user=world.viewer).update(created_at=when, revoked_at=when)
    client = Client(headers={"accept-language": "es"})
    client.force_login(world.viewer)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Tokens de API" in page and "Crear un token" in page
    assert '<time datetime="2026-03-05T10:30:00+00:00">5 mar 2026, 10:30</time>' in page
    assert "Revocado el" in page and "nunca" in page


def test_profile_in_english_uses_the_english_named_formats(world) -> None:
    api_token_create(user=world.viewer, name="nightly sync")
    when = dt.datetime(2026, 3, 5, 10, 30, tzinfo=dt.UTC)
    ApiToken.objects.filter(user=world.viewer).update(created_at=when)
    client = Client()
    client.force_login(world.viewer)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert ">5 Mar 2026, 10:30</time>" in page and "never" in page


def test_password_reset_mail_is_in_the_recipients_language(world) -> None:
    User.objects.filter(pk=world.viewer.pk).update(language="es")
    # Asked from an English browser: the e-mail still follows the recipient's profile.
    Client(headers={"accept-language": "en"}).post(
        reverse("accounts:password_reset"), {"email": world.viewer.email}
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Restablezca su contraseña de Common Ground"
    assert message.body.startswith("Hola:")
    assert "Si no fue usted, ignore este correo" in message.body


def test_password_reset_mail_without_a_profile_language_follows_the_page(world) -> None:
    response = Client(headers={"accept-language": "es"}).post(
        reverse("accounts:password_reset"), {"email": world.reporter.email}
    )
    assert response.status_code == 302
    assert mail.outbox[0].subject == "Restablezca su contraseña de Common Ground"
    page = Client(headers={"accept-language": "es"}).get(response["Location"]).content.decode()
    assert "Revise su correo electrónico" in page


def test_iati_sector_labels_stay_english_inside_lang_en(world) -> None:
    client = Client(headers={"accept-language": "es"})
    client.force_login(world.viewer)
    listing = client.get(reverse("accounts:organisations")).content.decode()
    assert "Registro de organizaciones" in listing
    assert '<td lang="en">Local Government</td>' in listing
    assert "3 organizaciones" in listing
    form = client.get(reverse("accounts:organisation_create")).content.decode()
    assert '<option value="" selected>Elija un sector</option>' in form
    assert '<option value="11" lang="en">Local Government</option>' in form
    assert "Sector (tipo de organización IATI)" in form


def test_messages_after_an_action_are_translated(world) -> None:
    token, _secret = api_token_create(user=world.viewer, name="nightly sync")
    client = Client(headers={"accept-language": "es"})
    client.force_login(world.viewer)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert "Token «nightly sync» revocado." in response.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
