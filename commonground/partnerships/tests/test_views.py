"""The pages: my partnerships, forms, near-duplicate organisations, CSRF on every state-changing
page, GETs that never change state, and password reset by e-mail."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from commonground.accounts.models import ApiToken, Organisation, User
from commonground.accounts.services import api_token_create
from commonground.core.models import AuditEvent
from commonground.partnerships.models import Invitation, Partner, Partnership, Seat
from commonground.partnerships.services import invitation_create, partnership_update
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

NAMESPACES = ("accounts", "partnerships")


# --- my partnerships, creating and editing ---------------------------------------------------


def test_my_partnerships_lists_exactly_my_partnerships_with_their_figures(world, client):
    client.force_login(world.reporter)
    response = client.get(reverse("partnerships:mine"))
    assert response.status_code == 200
    rows = list(response.context["partnerships"])
    assert [p.pk for p in rows] == [world.a.pk]
    page = response.content.decode()
    assert "Homelessness Response" in page
    assert "Dune Restoration" not in page
    row = re.search(r"<tr>\s*<th scope=\"row\".*?</tr>", page, re.S).group(0)
    cells = {
        label: re.sub(r"<[^>]+>", "", cell).strip()
        for label, cell in re.findall(r'<td data-label="([^"]+)">(.*?)</td>', row, re.S)
    }
    assert world.a.status_label in row
    assert cells == {
        "Progress": "Not assessed",
        "Next deadline": "—",
        "Overdue": "0",
        "Your role": "Reporter",
        "Lead organisation": "City of Testville",
    }


def test_my_partnerships_is_empty_for_an_outsider(world, client):
    client.force_login(world.outsider)
    response = client.get(reverse("partnerships:mine"))
    assert list(response.context["partnerships"]) == []
    assert "no seat in a partnership yet" in response.content.decode()


def test_my_partnerships_requires_sign_in(world, client):
    response = client.get(reverse("partnerships:mine"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_creating_a_partnership_through_the_page_makes_the_creator_coordinator(world, client):
    client.force_login(world.outsider)
    response = client.post(
        reverse("partnerships:create"),
        {
            "lead_organisation": world.ngo.pk,
            "title": "Warm Winters",
            "purpose": "Nobody sleeps outside in winter.",
            "start_date": "2025-11-01",
            "status": "2",
            "sdg_goals": ["1", "11"],
        },
    )
    partnership = Partnership.objects.get(title="Warm Winters")
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:detail", args=[partnership.pk])
    assert partnership.sdg_goals == [1, 11]
    seat = Seat.objects.get(partnership=partnership, user=world.outsider)
    assert seat.role == "coordinator"
    assert (seat.partner.organisation, seat.partner.role) == (world.ngo, "lead")
    assert client.get(response["Location"]).status_code == 200


def test_creating_a_partnership_with_end_before_start_shows_the_error(world, client):
    client.force_login(world.outsider)
    response = client.post(
        reverse("partnerships:create"),
        {
            "lead_organisation": world.ngo.pk,
            "title": "Backwards",
            "purpose": "Oops.",
            "start_date": "2025-11-01",
            "end_date": "2025-01-01",
            "status": "2",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"]
    assert not Partnership.objects.filter(title="Backwards").exists()


def _edit_data(partnership, **overrides):
    return {
        "title": partnership.title,
        "purpose": partnership.purpose,
        "start_date": partnership.start_date.isoformat(),
        "end_date": partnership.end_date.isoformat() if partnership.end_date else "",
        "status": partnership.status,
        "sectors": partnership.sectors,
        "sdg_goals": partnership.sdg_goals,
        "version": partnership.version,
        **overrides,
    }


def test_edit_form_with_a_stale_version_warns_and_does_not_overwrite(world, client):
    stale = _edit_data(world.a, title="My stale title")
    partnership_update(
        actor=world.editor,
        partnership=Partnership.objects.get(pk=world.a.pk),
        data={"title": "Editor's title"},
        version=world.a.version,
    )
    client.force_login(world.coordinator)
    response = client.post(reverse("partnerships:edit", args=[world.a.pk]), stale)
    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    world.a.refresh_from_db()
    assert world.a.title == "Editor's title"


def test_edit_form_with_the_current_version_saves(world, client):
    client.force_login(world.editor)
    response = client.post(
        reverse("partnerships:edit", args=[world.a.pk]), _edit_data(world.a, geography="Riverside")
    )
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.geography == "Riverside"


def test_viewer_cannot_open_the_edit_form(world, client):
    client.force_login(world.viewer)
    assert client.get(reverse("partnerships:edit", args=[world.a.pk])).status_code == 403


def test_outsider_gets_404_for_partnership_pages(world, client):
    client.force_login(world.outsider)
    for name in ("detail", "edit", "partners", "people", "activity"):
        assert client.get(reverse(f"partnerships:{name}", args=[world.a.pk])).status_code == 404


# --- organisations ---------------------------------------------------------------------------


def test_organisation_page_warns_about_a_near_match_and_creates_on_confirmation(world, client):
    client.force_login(world.outsider)
    url = reverse("accounts:organisation_create")
    data = {"name": "City of Testvile", "org_type": "11"}
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Is it one of these?" in page
    assert "City of Testville" in page
    assert not Organisation.objects.filter(name="City of Testvile").exists()
    assert 'name="confirm_new" value="True"' in page

    response = client.post(url, {**data, "confirm_new": "True"})
    created = Organisation.objects.get(name="City of Testvile")
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:organisation", args=[created.pk])


def test_organisation_page_names_only_partnerships_the_viewer_can_see(world, client):
    url = reverse("partnerships:organisation", args=[world.city.pk])
    client.force_login(world.outsider)
    response = client.get(url)
    assert response.status_code == 200
    assert "City of Testville" in response.content.decode()
    assert "Homelessness Response" not in response.content.decode()
    client.force_login(world.viewer)
    assert "Homelessness Response" in client.get(url).content.decode()


def test_nobody_can_revoke_someone_elses_token(world, client):
    token, _ = api_token_create(user=world.editor, name="script")
    client.force_login(world.coordinator)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_own_token_is_revoked_from_the_profile_page(world, client):
    token, _ = api_token_create(user=world.editor, name="script")
    client.force_login(world.editor)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


# --- CSRF and safe GETs on every page --------------------------------------------------------


def _patterns(resolver, namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and namespace in NAMESPACES and pattern.name:
            yield f"{namespace}:{pattern.name}", pattern


@pytest.fixture
def url_kwargs(world):
    invitation, raw = invitation_create(
        actor=world.coordinator,
        partnership=world.a,
        partner=world.ngo_a,
        email="pending@ngo.test",
        role="viewer",
    )
    token, _ = api_token_create(user=world.coordinator, name="script")
    return {
        "partnership_id": world.a.pk,
        "partner_id": world.ngo_a.pk,
        "seat_id": world.seat(world.viewer).pk,
        "invitation_id": invitation.pk,
        "token_id": token.pk,
        "token": raw,
        "organisation_id": world.city.pk,
        "uidb64": urlsafe_base64_encode(force_bytes(world.coordinator.pk)),
    }


def _all_urls(url_kwargs):
    urls = {}
    for name, pattern in _patterns(get_resolver()):
        kwargs = {key: url_kwargs[key] for key in pattern.pattern.converters}
        urls[name] = reverse(name, kwargs=kwargs)
    return urls


def _state():
    return {
        model.__name__: model.objects.count()
        for model in (
            AuditEvent,
            Partnership,
            Partner,
            Seat,
            Invitation,
            ApiToken,
            User,
            Organisation,
        )
    } | {
        "revoked": ApiToken.objects.filter(revoked_at__isnull=False).count()
        + Invitation.objects.filter(revoked_at__isnull=False).count()
    }


def _accepts_post(client, url):
    # TRACE passes the CSRF check; the method guard then answers 405 with the allowed methods.
    response = client.generic("TRACE", url)
    return response.status_code != 405 or "POST" in response["Allow"]


EXPECTED_POST_URLS = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:profile",
    "accounts:token_revoke",
    "accounts:organisation_create",
    "partnerships:create",
    "partnerships:edit",
    "partnerships:partner_add",
    "partnerships:partner_edit",
    "partnerships:partner_remove",
    "partnerships:invite",
    "partnerships:seat_role",
    "partnerships:seat_revoke",
    "partnerships:invitation_revoke",
    "partnerships:invitation",
}


def test_every_state_changing_page_refuses_a_post_without_csrf_token(world, url_kwargs):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    urls = _all_urls(url_kwargs)
    post_urls = {name: url for name, url in urls.items() if _accepts_post(client, url)}
    assert set(post_urls) >= EXPECTED_POST_URLS
    before = _state()
    for name, url in sorted(post_urls.items()):
        response = client.post(
            url,
            {
                "title": "x",
                "name": "x",
                "role": "viewer",
                "version": "1",
                "email": "a@b.test",
                "full_name": "x",
                "password": "x",
                "organisation": world.other_org.pk,
            },
        )
        assert response.status_code == 403, f"{name} accepted a POST without a CSRF token"
    assert _state() == before


def test_no_get_changes_state(world, url_kwargs):
    client = Client()
    client.force_login(world.coordinator)
    before = _state()
    responses = {name: client.get(url).status_code for name, url in _all_urls(url_kwargs).items()}
    assert _state() == before
    assert all(status < 500 for status in responses.values()), responses
    assert responses["partnerships:detail"] == 200
    assert responses["partnerships:seat_revoke"] == 405
    assert responses["accounts:token_revoke"] == 405


# --- signing in and out, password reset ------------------------------------------------------


def test_sign_in_with_email_and_sign_out_by_post(world, client):
    response = client.post(
        reverse("accounts:login"), {"username": world.viewer.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("work:mine")  # My work is home after signing in
    assert client.session["_auth_user_id"] == str(world.viewer.pk)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_sign_in_ignores_the_case_of_the_email_address(world, client):
    response = client.post(
        reverse("accounts:login"), {"username": "Viewer@A.TEST", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.viewer.pk)


def test_sign_in_with_a_wrong_password_fails(world, client):
    response = client.post(
        reverse("accounts:login"), {"username": world.viewer.email, "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_changes_the_password(world, client):
    response = client.post(reverse("accounts:password_reset"), {"email": world.viewer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.viewer.email]
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", message.body).group(1)

    response = client.get(link)
    assert response.status_code == 302
    set_password_url = response["Location"]
    assert set_password_url.endswith("/set-password/")
    new_password = "a-brand-new-passphrase"
    response = client.post(
        set_password_url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    world.viewer.refresh_from_db()
    assert world.viewer.check_password(new_password)

    fresh = Client()
    assert fresh.login(username=world.viewer.email, password=new_password)
    assert client.get(link).status_code == 200, "a used reset link shows the unusable page"


def test_password_reset_for_an_unknown_address_sends_nothing(world, client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@nowhere.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_link_for_another_token_is_refused(world, client):
    uid = urlsafe_base64_encode(force_bytes(world.viewer.pk))
    token = default_token_generator.make_token(world.coordinator)
    response = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]))
    assert response.status_code == 200
    assert not response.context["validlink"]
