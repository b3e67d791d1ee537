"""Forms tie help and errors to their inputs: every id an input's aria-describedby names is on
the page (screen readers read nothing for an id that is missing)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _dangling(html: str) -> list[str]:
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    named = {
        ref for refs in re.findall(r'aria-describedby="([^"]+)"', html) for ref in refs.split()
    }
    return sorted(named - ids)


def test_help_and_errors_are_announced_with_their_inputs(world):
    client = Client()
    client.force_login(world.coordinator)
    pages = [
        client.post(reverse("reporting:schedule_create", args=[world.a.pk]), {"title": ""}),
        client.post(reverse("partnerships:edit", args=[world.a.pk]), {"title": ""}),
        client.get(reverse("reporting:schedule_create", args=[world.a.pk])),
    ]
    for response in pages:
        html = response.content.decode()
        assert "aria-describedby" in html
        assert _dangling(html) == [], response.request["PATH_INFO"]
