"""Two languages (issue 10, item 3): the switcher on every page, the choice kept on the profile for
people signed in, the browser's language for people signed out."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonground.accounts.models import User
from commonground.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SKIP_ES = "Saltar al contenido principal"
SKIP_EN = "Skip to main content"


def _switch(client: Client, language: str, next_url: str = "/accounts/login/") -> Any:
    return client.post(reverse("accounts:language"), {"language": language, "next": next_url})


def test_a_stranger_gets_the_browsers_language_and_can_switch() -> None:
    client = Client(headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="es">' in page and SKIP_ES in page
    assert 'lang="en"' in page and ">English</button>" in page  # the way back, in its own words
    switched = _switch(client, "en")
    assert switched.status_code == 302 and switched["Location"] == "/accounts/login/"
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page and SKIP_EN in page


def test_a_signed_in_persons_choice_is_kept_on_the_profile(world) -> None:
    client = Client()
    client.force_login(world.viewer)
    assert SKIP_EN in client.get(reverse("partnerships:mine")).content.decode()
    _switch(client, "es", reverse("partnerships:mine"))
    assert User.objects.get(pk=world.viewer.pk).language == "es"
    assert AuditEvent.objects.filter(action="user.language", actor=world.viewer).exists()
    # On another device, with an English browser and no cookie, the profile decides.
    elsewhere = Client(headers={"accept-language": "en"})
    elsewhere.force_login(world.viewer)
    page = elsewhere.get(reverse("partnerships:mine"))
    assert SKIP_ES in page.content.decode() and page["Content-Language"] == "es"


def test_an_unknown_language_or_a_foreign_next_address_is_refused(world) -> None:
    client = Client()
    assert _switch(client, "fr").status_code == 400
    away = _switch(client, "es", "https://evil.example/")
    assert away.status_code == 302 and away["Location"] == reverse("home")
