"""Invitations: the mailed link, accepting it, and what makes a link unusable; seat revocation."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.errors import Conflict
from commonground.core.models import AuditEvent
from commonground.partnerships.models import Invitation, Seat
from commonground.partnerships.services import (
    invitation_create,
    invitation_revoke,
    seat_revoke,
)
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_EMAIL = "newcomer@ngo.test"
NEW_PASSWORD = "a-long-and-unusual-passphrase"


def _invite(world, email=NEW_EMAIL, role="reporter", partner=None):
    return invitation_create(
        actor=world.coordinator,
        partnership=world.a,
        partner=partner or world.ngo_a,
        email=email,
        role=role,
    )


def _accept_url(raw: str) -> str:
    return reverse("partnerships:invitation", args=[raw])


def test_invitation_mail_is_sent_on_commit_with_the_link(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _, raw = _invite(world)
        assert mail.outbox == [], "mail must wait for the commit"
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [NEW_EMAIL]
    assert world.a.title in message.subject
    assert f"http://testserver/invitations/{raw}/" in message.body


def test_invitation_mail_link_opens_the_accept_page(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world)
    link = re.search(r"http://testserver(/invitations/[^/\s]+/)", mail.outbox[0].body).group(1)
    response = client.get(link)
    assert response.status_code == 200
    assert NEW_EMAIL in response.content.decode()


def test_new_person_accepts_through_the_page_and_gets_the_seat(world, client):
    _, raw = _invite(world, role="reporter")
    response = client.post(
        _accept_url(raw), {"full_name": "Nadia Newcomer", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:detail", args=[world.a.pk])
    user = User.objects.get(email=NEW_EMAIL)
    assert user.full_name == "Nadia Newcomer"
    assert user.check_password(NEW_PASSWORD)
    seat = Seat.objects.get(partnership=world.a, user=user)
    assert (seat.role, seat.partner_id) == ("reporter", world.ngo_a.pk)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("partnerships:detail", args=[world.a.pk])).status_code == 200
    assert Invitation.objects.get(email=NEW_EMAIL).state == "accepted"


def test_reused_invitation_link_is_refused(world, client):
    _, raw = _invite(world)
    client.post(_accept_url(raw), {"full_name": "Nadia", "password": NEW_PASSWORD})
    client.logout()
    response = client.get(_accept_url(raw))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    response = client.post(_accept_url(raw), {"full_name": "Mallory", "password": NEW_PASSWORD})
    assert response.status_code == 410
    assert User.objects.filter(email=NEW_EMAIL).count() == 1


def test_expired_invitation_link_is_refused(world, client, settings):
    assert settings.INVITATION_TTL_DAYS == 14
    _, raw = _invite(world)
    with time_machine.travel(timezone.now() + dt.timedelta(days=15), tick=False):
        response = client.get(_accept_url(raw))
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        response = client.post(_accept_url(raw), {"full_name": "Late", "password": NEW_PASSWORD})
        assert response.status_code == 410
    assert not User.objects.filter(email=NEW_EMAIL).exists()


def test_invitation_link_still_works_the_day_before_it_expires(world, client):
    _, raw = _invite(world)
    with time_machine.travel(timezone.now() + dt.timedelta(days=13), tick=False):
        assert client.get(_accept_url(raw)).status_code == 200


def test_revoked_invitation_link_is_refused(world, client):
    invitation, raw = _invite(world)
    invitation_revoke(actor=world.coordinator, invitation=invitation)
    response = client.get(_accept_url(raw))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    response = client.post(_accept_url(raw), {"full_name": "Nadia", "password": NEW_PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email=NEW_EMAIL).exists()


def test_a_new_invitation_replaces_the_pending_one_for_the_same_address(world, client):
    _, first = _invite(world)
    _, second = _invite(world, role="viewer")
    assert client.get(_accept_url(first)).status_code == 410
    assert client.get(_accept_url(second)).status_code == 200


def test_unknown_invitation_token_is_404(world, client):
    _invite(world)
    assert client.get(_accept_url("not-a-real-token")).status_code == 404
    response = client.post(_accept_url("not-a-real-token"), {"full_name": "X", "password": "y"})
    assert response.status_code == 404


def test_signed_in_person_with_a_different_email_cannot_accept(world, client):
    _, raw = _invite(world)
    client.force_login(world.outsider)
    response = client.post(_accept_url(raw))
    assert response.status_code == 200
    assert f"This invitation is for {NEW_EMAIL}" in response.content.decode()
    assert not Seat.objects.filter(partnership=world.a, user=world.outsider).exists()
    assert Invitation.objects.get(email=NEW_EMAIL).state == "pending"


def test_existing_account_must_sign_in_then_accepting_works(world, client):
    _, raw = _invite(world, email=world.outsider.email, role="viewer")
    page = client.get(_accept_url(raw)).content.decode()
    assert "already have an account" in page
    response = client.post(_accept_url(raw), {"full_name": "Someone", "password": NEW_PASSWORD})
    assert response.status_code == 200
    page = response.content.decode()
    assert "already have an account" in page
    assert f'href="{reverse("accounts:login")}?next={_accept_url(raw)}"' in page
    world.outsider.refresh_from_db()
    assert world.outsider.check_password(PASSWORD), "the password must not be replaced"
    assert not Seat.objects.filter(partnership=world.a, user=world.outsider).exists()

    assert client.login(username=world.outsider.email, password=PASSWORD)
    response = client.post(_accept_url(raw))
    assert response.status_code == 302
    seat = Seat.objects.get(partnership=world.a, user=world.outsider)
    assert (seat.role, seat.partner_id) == ("viewer", world.ngo_a.pk)


def test_invitation_email_matches_the_account_case_insensitively(world, client):
    _, raw = _invite(world, email="Outsider@Nowhere.TEST")
    client.force_login(world.outsider)
    assert client.post(_accept_url(raw)).status_code == 302
    assert Seat.objects.filter(partnership=world.a, user=world.outsider).exists()


def test_inviting_someone_already_seated_is_refused_with_a_field_error(world, client):
    with pytest.raises(Conflict) as excinfo:
        _invite(world, email=world.viewer.email)
    assert excinfo.value.code == "already_seated"
    assert "email" in excinfo.value.fields

    client.force_login(world.coordinator)
    response = client.post(
        reverse("partnerships:invite", args=[world.a.pk]),
        {"email": world.viewer.email.upper(), "role": "editor", "partner": world.ngo_a.pk},
    )
    assert response.status_code == 200
    assert "already has a seat" in " ".join(response.context["form"].errors["email"])
    assert not Invitation.objects.filter(email=world.viewer.email).exists()
    assert mail.outbox == []


def test_weak_password_is_refused_on_the_password_field_and_nothing_is_created(world, client):
    _, raw = _invite(world)
    seats = Seat.objects.count()
    response = client.post(_accept_url(raw), {"full_name": "Nadia", "password": "password"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(email=NEW_EMAIL).exists()
    assert Seat.objects.count() == seats
    assert Invitation.objects.get(email=NEW_EMAIL).state == "pending"
    assert "_auth_user_id" not in client.session


def test_revoking_a_seat_removes_access_at_the_next_request(world, client):
    client.force_login(world.viewer)
    detail = reverse("partnerships:detail", args=[world.a.pk])
    api = f"/api/v1/partnerships/{world.a.pk}"
    assert client.get(detail).status_code == 200
    assert client.get(api).status_code == 200
    seat_revoke(actor=world.coordinator, seat=world.seat(world.viewer))
    assert client.get(detail).status_code == 404
    assert client.get(api).status_code == 404
    ids = [item["id"] for item in client.get("/api/v1/partnerships").json()["items"]]
    assert world.a.pk not in ids


def test_revoking_the_last_coordinator_is_refused(world, client):
    seat = world.seat(world.coordinator)
    with pytest.raises(Conflict) as excinfo:
        seat_revoke(actor=world.coordinator, seat=seat)
    assert excinfo.value.code == "last_coordinator"
    assert Seat.objects.filter(pk=seat.pk).exists()

    client.force_login(world.coordinator)
    response = client.post(
        reverse("partnerships:seat_revoke", args=[world.a.pk, seat.pk]), follow=True
    )
    assert "at least one coordinator" in response.content.decode()
    assert Seat.objects.filter(pk=seat.pk).exists()


def test_a_coordinator_can_be_revoked_once_another_is_appointed(world):
    _, raw = _invite(world, email=world.outsider.email, role="coordinator", partner=world.lead_a)
    from commonground.partnerships.services import invitation_accept

    invitation_accept(raw_token=raw, user=world.outsider)
    seat_revoke(actor=world.outsider, seat=world.seat(world.coordinator))
    assert not Seat.objects.filter(partnership=world.a, user=world.coordinator).exists()


def _second_coordinator(world):
    from commonground.partnerships.services import invitation_accept

    _, raw = _invite(world, email=world.outsider.email, role="coordinator", partner=world.lead_a)
    invitation_accept(raw_token=raw, user=world.outsider)
    return world.outsider


@pytest.mark.parametrize("how", ["revoked", "demoted"])
def test_invitations_stop_working_when_their_sender_can_no_longer_invite(world, client, how):
    other = _second_coordinator(world)
    pending, raw = _invite(world)
    used, used_raw = _invite(world, email="used@ngo.test")
    from commonground.partnerships.services import invitation_accept, seat_update

    invitation_accept(raw_token=used_raw, user=None, full_name="Used", password=NEW_PASSWORD)
    theirs, theirs_raw = invitation_create(
        actor=other, partnership=world.a, partner=world.ngo_a, email="x@ngo.test", role="viewer"
    )
    seat = world.seat(world.coordinator)
    if how == "revoked":
        seat_revoke(actor=other, seat=seat)
    else:
        seat_update(actor=other, seat=seat, role="editor", version=None)

    response = client.get(_accept_url(raw))
    assert response.status_code == 410 and "withdrawn" in response.content.decode()
    pending.refresh_from_db()
    assert pending.state == "revoked"
    assert AuditEvent.objects.filter(
        action="invitation.revoke", object_id=str(pending.pk), actor=other
    ).exists()
    used.refresh_from_db()
    theirs.refresh_from_db()
    assert (used.state, theirs.state) == ("accepted", "pending")  # only unused links they sent
    assert client.get(_accept_url(theirs_raw)).status_code == 200


def test_a_coordinator_who_stays_one_keeps_their_invitations(world):
    from commonground.partnerships.services import seat_update

    _second_coordinator(world)
    pending, _ = _invite(world)
    seat_update(
        actor=world.coordinator,
        seat=world.seat(world.coordinator),
        role="coordinator",
        version=None,
    )
    pending.refresh_from_db()
    assert pending.state == "pending"
