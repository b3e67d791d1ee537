"""The JSON API for partnerships, partners, seats, invitations, organisations and tokens."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from commonground.accounts.models import ApiToken, Organisation
from commonground.accounts.services import api_token_create, api_token_revoke
from commonground.core.models import AuditEvent
from commonground.partnerships.models import Partner, Partnership, Seat

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def coordinator_client(world, client):
    client.force_login(world.coordinator)
    return client


def _partnership_payload(world, **overrides):
    return {
        "title": "Clean Air Coalition",
        "purpose": "Halve roadside NO2.",
        "start_date": "2025-06-01",
        "end_date": "2026-06-01",
        "sdg_goals": [3, 11],
        "sectors": ["160"],
        "lead_organisation_id": world.ngo.pk,
        **overrides,
    }


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _patch(client, url, data, etag=None, **extra):
    if etag is not None:
        extra["HTTP_IF_MATCH"] = etag
    return client.patch(url, data, content_type="application/json", **extra)


def _error(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    return body


# --- listing and creating --------------------------------------------------------------------


def test_list_is_paginated_and_shows_only_my_partnerships_with_figures(world, coordinator_client):
    response = coordinator_client.get(f"{API}/partnerships")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == world.a.pk
    assert item["lead_name"] == "City of Testville"
    assert item["partner_count"] == 2
    assert item["my_role"] == "coordinator"


def test_list_shows_the_callers_own_role(world, client):
    client.force_login(world.reporter)
    [item] = client.get(f"{API}/partnerships").json()["items"]
    assert (item["id"], item["my_role"]) == (world.a.pk, "reporter")


def test_list_is_empty_for_an_outsider(world, client):
    client.force_login(world.outsider)
    assert client.get(f"{API}/partnerships").json() == {"items": [], "count": 0}


def test_list_honours_limit_and_offset(world, client):
    client.force_login(world.other_coordinator)
    for n in range(3):
        client.post(
            f"{API}/partnerships",
            _partnership_payload(
                world, title=f"Extra {n}", lead_organisation_id=world.other_org.pk
            ),
            content_type="application/json",
        )
    body = client.get(f"{API}/partnerships?limit=2&offset=1").json()
    assert body["count"] == 4
    assert len(body["items"]) == 2


def test_anonymous_api_request_is_401(world, client):
    body = _error(client.get(f"{API}/partnerships"), 401)
    assert body["code"] == "not_authenticated"


def test_post_creates_a_partnership_and_makes_the_caller_coordinator(world, coordinator_client):
    response = coordinator_client.post(
        f"{API}/partnerships", _partnership_payload(world), content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert response["ETag"] == f'"v{body["version"]}"'
    partnership = Partnership.objects.get(pk=body["id"])
    assert partnership.title == "Clean Air Coalition"
    seat = Seat.objects.get(partnership=partnership, user=world.coordinator)
    assert seat.role == "coordinator"
    assert seat.partner.organisation == world.ngo
    assert seat.partner.role == "lead"


def test_post_missing_title_is_422_naming_the_field(world, coordinator_client):
    payload = _partnership_payload(world)
    del payload["title"]
    response = coordinator_client.post(
        f"{API}/partnerships", payload, content_type="application/json"
    )
    body = _error(response, 422)
    assert body["code"] == "validation_error"
    assert "title" in body["fields"]
    assert not Partnership.objects.filter(title="Clean Air Coalition").exists()


def test_post_end_before_start_is_400_invalid_naming_end_date(world, coordinator_client):
    payload = _partnership_payload(world, start_date="2026-01-01", end_date="2025-01-01")
    response = coordinator_client.post(
        f"{API}/partnerships", payload, content_type="application/json"
    )
    body = _error(response, 400)
    assert body["code"] == "invalid"
    assert "end_date" in body["fields"]


def test_post_unknown_sdg_goal_is_400_naming_sdg_goals(world, coordinator_client):
    response = coordinator_client.post(
        f"{API}/partnerships",
        _partnership_payload(world, sdg_goals=[18]),
        content_type="application/json",
    )
    assert "sdg_goals" in _error(response, 400)["fields"]


def test_post_with_unknown_lead_organisation_is_404(world, coordinator_client):
    response = coordinator_client.post(
        f"{API}/partnerships",
        _partnership_payload(world, lead_organisation_id=999_999),
        content_type="application/json",
    )
    assert _error(response, 404)["code"] == "not_found"


# --- reading and updating with versions ------------------------------------------------------


def test_get_returns_an_etag(world, coordinator_client):
    response = coordinator_client.get(f"{API}/partnerships/{world.a.pk}")
    assert response.status_code == 200
    assert response["ETag"] == f'"v{world.a.version}"'
    assert response.json()["title"] == world.a.title


def test_outsider_and_other_coordinator_get_404(world, client):
    for user in (world.outsider, world.other_coordinator, world.site_admin):
        client.force_login(user)
        assert _error(client.get(f"{API}/partnerships/{world.a.pk}"), 404)["code"] == "not_found"


def test_patch_without_if_match_is_428(world, coordinator_client):
    response = _patch(coordinator_client, f"{API}/partnerships/{world.a.pk}", {"title": "X"})
    assert _error(response, 428)["code"] == "precondition_required"
    world.a.refresh_from_db()
    assert world.a.title == "Homelessness Response"


def test_patch_with_a_stale_etag_is_412(world, coordinator_client):
    url = f"{API}/partnerships/{world.a.pk}"
    etag = coordinator_client.get(url)["ETag"]
    assert _patch(coordinator_client, url, {"title": "First"}, etag).status_code == 200
    response = _patch(coordinator_client, url, {"title": "Second"}, etag)
    assert _error(response, 412)["code"] == "precondition_failed"
    world.a.refresh_from_db()
    assert world.a.title == "First"


def test_patch_with_a_malformed_if_match_is_412(world, coordinator_client):
    response = _patch(coordinator_client, f"{API}/partnerships/{world.a.pk}", {"title": "X"}, "*")
    assert _error(response, 412)["code"] == "precondition_failed"


def test_two_patches_with_the_same_etag_first_wins_second_is_412(world, client):
    url = f"{API}/partnerships/{world.a.pk}"
    editor = Client()
    editor.force_login(world.editor)
    client.force_login(world.coordinator)
    etag = client.get(url)["ETag"]
    assert editor.get(url)["ETag"] == etag
    first = _patch(client, url, {"title": "Coordinator's title"}, etag)
    second = _patch(editor, url, {"purpose": "Editor's purpose"}, etag)
    assert first.status_code == 200
    assert first["ETag"] != etag
    assert _error(second, 412)["code"] == "precondition_failed"
    world.a.refresh_from_db()
    assert world.a.title == "Coordinator's title"
    assert world.a.purpose == "House everyone."
    assert AuditEvent.objects.filter(partnership=world.a, action="partnership.update").count() == 1


def test_patch_with_the_current_etag_updates_and_returns_the_new_etag(world, coordinator_client):
    url = f"{API}/partnerships/{world.a.pk}"
    response = _patch(coordinator_client, url, {"geography": "Riverside"}, f'"v{world.a.version}"')
    assert response.status_code == 200
    assert response.json()["geography"] == "Riverside"
    assert response["ETag"] == f'"v{world.a.version + 1}"'


def test_patch_end_before_start_is_400_naming_end_date(world, coordinator_client):
    url = f"{API}/partnerships/{world.a.pk}"
    response = _patch(coordinator_client, url, {"end_date": "2024-01-01"}, f'"v{world.a.version}"')
    assert "end_date" in _error(response, 400)["fields"]


def test_patch_by_a_viewer_is_403(world, client):
    client.force_login(world.viewer)
    response = _patch(
        client, f"{API}/partnerships/{world.a.pk}", {"title": "X"}, f'"v{world.a.version}"'
    )
    assert _error(response, 403)["code"] == "forbidden"


def test_patch_by_an_outsider_is_404(world, client):
    client.force_login(world.outsider)
    response = _patch(
        client, f"{API}/partnerships/{world.a.pk}", {"title": "X"}, f'"v{world.a.version}"'
    )
    assert _error(response, 404)["code"] == "not_found"


# --- bearer tokens ---------------------------------------------------------------------------


def test_bearer_token_works_without_csrf_for_post(world):
    _, secret = api_token_create(user=world.coordinator, name="script")
    client = Client(enforce_csrf_checks=True)
    assert client.get(f"{API}/me", **_bearer(secret)).json()["email"] == world.coordinator.email
    response = client.post(
        f"{API}/partnerships",
        _partnership_payload(world),
        content_type="application/json",
        **_bearer(secret),
    )
    assert response.status_code == 201
    assert Seat.objects.get(partnership_id=response.json()["id"]).user == world.coordinator


def test_bearer_token_sees_only_its_owners_partnerships(world):
    _, secret = api_token_create(user=world.outsider, name="script")
    client = Client()
    assert client.get(f"{API}/partnerships", **_bearer(secret)).json()["count"] == 0
    assert client.get(f"{API}/partnerships/{world.a.pk}", **_bearer(secret)).status_code == 404


def test_revoked_token_is_401(world):
    token, secret = api_token_create(user=world.coordinator, name="script")
    api_token_revoke(user=world.coordinator, token=token)
    body = _error(Client().get(f"{API}/partnerships", **_bearer(secret)), 401)
    assert body["code"] == "not_authenticated"


@pytest.mark.parametrize("secret", ["cg_garbage", "garbage", ""])
def test_garbage_token_is_401(world, secret):
    _error(Client().get(f"{API}/partnerships", **_bearer(secret)), 401)


def test_token_of_a_deactivated_person_is_401(world):
    _, secret = api_token_create(user=world.coordinator, name="script")
    world.coordinator.is_active = False
    world.coordinator.save(update_fields=["is_active"])
    _error(Client().get(f"{API}/partnerships", **_bearer(secret)), 401)


def test_tokens_are_stored_hashed(world):
    token, secret = api_token_create(user=world.coordinator, name="script")
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(secret not in str(value) for value in row.values())
    assert len(row["token_hash"]) == 64
    assert secret.startswith(row["prefix"])


def test_token_command_prints_the_token_alone_on_its_last_line(world):
    out = io.StringIO()
    call_command(
        "token", "create", "--email", world.reporter.email, stdout=out, stderr=io.StringIO()
    )
    secret = out.getvalue().strip().splitlines()[-1]
    assert secret.startswith("cg_")
    assert " " not in secret
    response = Client().get(f"{API}/me", **_bearer(secret))
    assert response.status_code == 200
    assert response.json()["email"] == world.reporter.email


# --- sessions and CSRF -----------------------------------------------------------------------


def test_session_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    response = client.post(
        f"{API}/partnerships", _partnership_payload(world), content_type="application/json"
    )
    assert response.status_code in (401, 403)
    assert not Partnership.objects.filter(title="Clean Air Coalition").exists()


def test_session_patch_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    response = _patch(
        client, f"{API}/partnerships/{world.a.pk}", {"title": "X"}, f'"v{world.a.version}"'
    )
    assert response.status_code in (401, 403)
    world.a.refresh_from_db()
    assert world.a.title == "Homelessness Response"


def test_session_post_with_the_csrf_token_works(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    assert client.get("/partnerships/new/").status_code == 200
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        f"{API}/partnerships",
        _partnership_payload(world),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 201


# --- partners, seats, invitations ------------------------------------------------------------


def test_add_partner_is_201(world, coordinator_client):
    response = coordinator_client.post(
        f"{API}/partnerships/{world.a.pk}/partners",
        {"organisation_id": world.other_org.pk, "role": "funding", "aims": "Fund it."},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["organisation"]["name"] == "Dune Foundation"
    assert (body["role"], body["iati_role"]) == ("funding", "1")
    assert Partner.objects.filter(partnership=world.a, organisation=world.other_org).exists()


def test_adding_an_existing_partner_again_is_409_already_partner(world, coordinator_client):
    response = coordinator_client.post(
        f"{API}/partnerships/{world.a.pk}/partners",
        {"organisation_id": world.ngo.pk, "role": "advisory"},
        content_type="application/json",
    )
    body = _error(response, 409)
    assert body["code"] == "already_partner"
    assert "organisation" in body["fields"]


def test_adding_a_partner_with_an_unknown_role_is_400_naming_role(world, coordinator_client):
    response = coordinator_client.post(
        f"{API}/partnerships/{world.a.pk}/partners",
        {"organisation_id": world.other_org.pk, "role": "boss"},
        content_type="application/json",
    )
    assert "role" in _error(response, 400)["fields"]


def test_reporter_cannot_add_a_partner(world, client):
    client.force_login(world.reporter)
    response = client.post(
        f"{API}/partnerships/{world.a.pk}/partners",
        {"organisation_id": world.other_org.pk, "role": "funding"},
        content_type="application/json",
    )
    _error(response, 403)


def test_seats_list_shows_everyone_seated(world, client):
    client.force_login(world.viewer)
    body = client.get(f"{API}/partnerships/{world.a.pk}/seats").json()
    assert body["count"] == 4
    roles = {item["user_email"]: item["role"] for item in body["items"]}
    assert roles == {
        world.coordinator.email: "coordinator",
        world.editor.email: "editor",
        world.reporter.email: "reporter",
        world.viewer.email: "viewer",
    }


def test_seats_list_of_another_partnership_is_404(world, coordinator_client):
    _error(coordinator_client.get(f"{API}/partnerships/{world.b.pk}/seats"), 404)


def test_seat_role_patch_requires_if_match(world, coordinator_client):
    seat = world.seat(world.viewer)
    url = f"{API}/partnerships/{world.a.pk}/seats/{seat.pk}"
    _error(_patch(coordinator_client, url, {"role": "editor"}), 428)
    etag = coordinator_client.get(url)["ETag"]
    response = _patch(coordinator_client, url, {"role": "editor"}, etag)
    assert response.status_code == 200
    assert response.json()["role"] == "editor"
    _error(_patch(coordinator_client, url, {"role": "reporter"}, etag), 412)
    seat.refresh_from_db()
    assert seat.role == "editor"


def test_seat_of_another_partnership_is_404(world, coordinator_client):
    other_seat = world.seat(world.other_coordinator, world.b)
    url = f"{API}/partnerships/{world.a.pk}/seats/{other_seat.pk}"
    _error(coordinator_client.get(url), 404)
    _error(_patch(coordinator_client, url, {"role": "viewer"}, '"v1"'), 404)


def test_editor_cannot_change_seats(world, client):
    client.force_login(world.editor)
    seat = world.seat(world.viewer)
    url = f"{API}/partnerships/{world.a.pk}/seats/{seat.pk}"
    _error(_patch(client, url, {"role": "coordinator"}, f'"v{seat.version}"'), 403)


def test_invitation_post_sends_mail(world, coordinator_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            f"{API}/partnerships/{world.a.pk}/invitations",
            {"email": "New.Person@NGO.test", "role": "reporter", "partner_id": world.ngo_a.pk},
            content_type="application/json",
        )
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["state"]) == ("new.person@ngo.test", "pending")
    assert "token" not in str(body)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@ngo.test"]
    assert "http://testserver/invitations/" in mail.outbox[0].body


def test_invitation_for_someone_seated_is_409(world, coordinator_client):
    response = coordinator_client.post(
        f"{API}/partnerships/{world.a.pk}/invitations",
        {"email": world.viewer.email, "role": "editor", "partner_id": world.ngo_a.pk},
        content_type="application/json",
    )
    body = _error(response, 409)
    assert body["code"] == "already_seated"
    assert "email" in body["fields"]


def test_invitation_with_a_partner_of_another_partnership_is_404(world, coordinator_client):
    other_partner = Partner.objects.get(partnership=world.b)
    response = coordinator_client.post(
        f"{API}/partnerships/{world.a.pk}/invitations",
        {"email": "x@ngo.test", "role": "viewer", "partner_id": other_partner.pk},
        content_type="application/json",
    )
    _error(response, 404)


# --- organisations ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["City of Testville Inc.", "city of testvile"])
def test_near_duplicate_organisation_is_409_until_confirmed(world, coordinator_client, name):
    payload = {"name": name, "org_type": "11"}
    response = coordinator_client.post(
        f"{API}/organisations", payload, content_type="application/json"
    )
    body = _error(response, 409)
    assert body["code"] == "similar_organisation"
    assert "City of Testville" in body["message"]
    assert not Organisation.objects.filter(name=name).exists()
    response = coordinator_client.post(
        f"{API}/organisations", {**payload, "confirm_new": True}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["name"] == name


def test_distinct_organisation_is_created_without_confirmation(world, coordinator_client):
    response = coordinator_client.post(
        f"{API}/organisations",
        {"name": "Harbour Trust", "org_type": "22", "country": "nl"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["country"] == "NL"


def test_organisation_with_an_unknown_sector_is_400_naming_org_type(world, coordinator_client):
    response = coordinator_client.post(
        f"{API}/organisations",
        {"name": "Harbour Trust", "org_type": "zz"},
        content_type="application/json",
    )
    assert "org_type" in _error(response, 400)["fields"]


# --- schema and docs -------------------------------------------------------------------------


def test_openapi_schema_is_served(world, client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Common Ground API"
    assert "/api/v1/partnerships" in schema["paths"]


def test_docs_redirect_anonymous_to_sign_in(world, client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_docs_are_shown_to_a_signed_in_person(world, client):
    client.force_login(world.viewer)
    assert client.get(f"{API}/docs").status_code == 200


# --- input the database or the mail server would refuse ---------------------------------------


def test_null_character_in_a_partnership_title_is_400_not_a_server_error(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.coordinator)
    response = client.post(
        f"{API}/partnerships",
        _partnership_payload(world, title="Clean\u0000Air"),
        content_type="application/json",
    )
    assert "title" in _error(response, 400)["fields"]
    assert not Partnership.objects.filter(title__startswith="Clean").exists()


def test_null_character_in_partner_aims_is_400_naming_aims(world, coordinator_client):
    response = coordinator_client.post(
        f"{API}/partnerships/{world.a.pk}/partners",
        {"organisation_id": world.other_org.pk, "role": "funding", "aims": "a\u0000b"},
        content_type="application/json",
    )
    assert "aims" in _error(response, 400)["fields"]


def test_null_character_in_an_organisation_name_is_400_naming_name(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.coordinator)
    response = client.post(
        f"{API}/organisations",
        {"name": "Harbour\u0000Trust", "org_type": "22", "confirm_new": True},
        content_type="application/json",
    )
    assert "name" in _error(response, 400)["fields"]


def test_invitation_mail_is_sent_when_the_title_has_a_line_break(
    world, coordinator_client, django_capture_on_commit_callbacks
):
    url = f"{API}/partnerships/{world.a.pk}"
    response = _patch(
        coordinator_client, url, {"title": "Homes\nBcc: evil@example.org"}, f'"v{world.a.version}"'
    )
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            f"{url}/invitations",
            {"email": "new@ngo.test", "role": "viewer", "partner_id": world.ngo_a.pk},
            content_type="application/json",
        )
    assert response.status_code == 201
    [message] = mail.outbox
    assert "\n" not in message.subject
    assert message.to == ["new@ngo.test"]
    assert message.bcc == []
