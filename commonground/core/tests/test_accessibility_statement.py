"""The accessibility statement (issue 10, item 5): public, linked from every page's footer, and
it sends barrier reports to the site's contact address."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_statement_is_public_and_names_the_standard_and_the_contact(settings) -> None:
    settings.CONTACT_EMAIL = "access@city.example"
    page = Client().get(reverse("accessibility"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "WCAG" in html and "2.1" in html and "level AA" in html
    assert 'href="mailto:access@city.example?subject=Accessibility%20barrier"' in html
    assert "Known limits" in html


def test_every_page_links_to_it_from_the_footer(world) -> None:
    signed_in = Client()
    signed_in.force_login(world.coordinator)
    for client, url in ((Client(), reverse("accounts:login")), (signed_in, reverse("home"))):
        page = client.get(url, follow=True).content.decode()
        footer = page.split('class="site-footer"')[1]
        assert f'href="{reverse("accessibility")}"' in footer, url
