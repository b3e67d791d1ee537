"""The audit ledger: one event per write, hash chains, append-only storage, request ids."""

import io
import itertools
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from commonground.accounts.models import User
from commonground.accounts.services import (
    api_token_create,
    api_token_revoke,
    organisation_create,
)
from commonground.core import audit
from commonground.core.audit import record_event
from commonground.core.models import AuditEvent
from commonground.partnerships.services import (
    invitation_create,
    invitation_revoke,
    partner_add,
    partner_update,
    partnership_create,
    partnership_update,
    seat_revoke,
    seat_update,
)

pytestmark = pytest.mark.django_db


def _events_since(before_id: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=before_id).order_by("pk"))


def _last_id() -> int:
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def _drop_update_trigger() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER core_auditevent_no_change ON core_auditevent")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")


def _drop_delete_trigger() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER core_auditevent_no_change ON core_auditevent")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_delete")


def _verify(*args: object) -> str:
    out = io.StringIO()
    call_command("audit", "verify", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# --- one event per write -------------------------------------------------------------------


def test_partnership_create_writes_create_partner_and_seat_events(world):
    start = _last_id()
    partnership = partnership_create(
        actor=world.outsider,
        data={"title": "River Care", "purpose": "Clean rivers.", "start_date": "2025-03-01"},
        lead_organisation=world.ngo,
    )
    events = _events_since(start)
    assert [event.action for event in events] == [
        "partnership.create",
        "partner.add",
        "seat.create",
    ]
    assert {event.partnership_id for event in events} == {partnership.pk}
    assert [event.seq for event in events] == [1, 2, 3]
    assert all(event.actor_id == world.outsider.pk for event in events)


@pytest.mark.parametrize(
    ("action", "write"),
    [
        (
            "partnership.update",
            lambda w: partnership_update(
                actor=w.coordinator, partnership=w.a, data={"title": "Renamed"}, version=None
            ),
        ),
        (
            "partner.add",
            lambda w: partner_add(
                actor=w.coordinator, partnership=w.a, organisation=w.other_org, role="funding"
            ),
        ),
        (
            "partner.update",
            lambda w: partner_update(
                actor=w.coordinator, partner=w.ngo_a, data={"aims": "Open 60 beds."}, version=None
            ),
        ),
        (
            "seat.update",
            lambda w: seat_update(
                actor=w.coordinator, seat=w.seat(w.viewer), role="reporter", version=None
            ),
        ),
        ("seat.revoke", lambda w: seat_revoke(actor=w.coordinator, seat=w.seat(w.viewer))),
        (
            "invitation.create",
            lambda w: invitation_create(
                actor=w.coordinator,
                partnership=w.a,
                partner=w.ngo_a,
                email="new@ngo.test",
                role="reporter",
            ),
        ),
        (
            "organisation.create",
            lambda w: organisation_create(
                actor=w.coordinator, data={"name": "Harbour Trust", "org_type": "22"}
            ),
        ),
        ("api_token.create", lambda w: api_token_create(user=w.coordinator, name="sync")),
    ],
)
def test_each_service_write_leaves_exactly_one_event(world, action, write):
    start = _last_id()
    write(world)
    assert [event.action for event in _events_since(start)] == [action]


def test_invitation_revoke_leaves_exactly_one_event(world):
    invitation, _ = invitation_create(
        actor=world.coordinator,
        partnership=world.a,
        partner=world.ngo_a,
        email="x@ngo.test",
        role="viewer",
    )
    start = _last_id()
    invitation_revoke(actor=world.coordinator, invitation=invitation)
    assert [event.action for event in _events_since(start)] == ["invitation.revoke"]


def test_api_token_revoke_leaves_exactly_one_event(world):
    token, _ = api_token_create(user=world.coordinator, name="sync")
    start = _last_id()
    api_token_revoke(user=world.coordinator, token=token)
    events = _events_since(start)
    assert [event.action for event in events] == ["api_token.revoke"]
    assert events[0].partnership_id is None


@pytest.mark.parametrize(
    "write",
    [
        lambda w: partnership_update(
            actor=w.coordinator, partnership=w.a, data={"title": w.a.title}, version=None
        ),
        lambda w: partner_update(
            actor=w.coordinator, partner=w.ngo_a, data={"aims": w.ngo_a.aims}, version=None
        ),
        lambda w: seat_update(
            actor=w.coordinator, seat=w.seat(w.viewer), role="viewer", version=None
        ),
    ],
    ids=["partnership", "partner", "seat"],
)
def test_update_without_a_change_writes_no_event(world, write):
    start = _last_id()
    write(world)
    assert _events_since(start) == []


def test_event_carries_actor_old_and_new_values_and_object(world):
    old_title = world.a.title
    partnership_update(
        actor=world.editor, partnership=world.a, data={"title": "Homes First"}, version=None
    )
    event = AuditEvent.objects.filter(partnership=world.a).order_by("-seq").first()
    assert event.action == "partnership.update"
    assert event.actor_id == world.editor.pk
    assert event.actor_label == world.editor.email
    assert event.object_type == "partnerships.partnership"
    assert event.object_id == str(world.a.pk)
    assert event.object_label == "Homes First"
    assert event.changes == {"title": [old_title, "Homes First"]}


def test_seat_update_event_names_the_seat_and_both_roles(world):
    seat = world.seat(world.viewer)
    seat_update(actor=world.coordinator, seat=seat, role="editor", version=None)
    event = AuditEvent.objects.filter(partnership=world.a).order_by("-seq").first()
    assert (event.object_type, event.object_id) == ("partnerships.seat", str(seat.pk))
    assert event.changes == {"role": ["viewer", "editor"]}


# --- hash chains -----------------------------------------------------------------------------


def test_hash_chains_of_a_fresh_world_verify(world):
    reports = audit.verify()
    assert reports, "expected at least one chain"
    assert all(report.ok for report in reports), reports
    chains = {report.partnership_id for report in reports}
    assert {None, world.a.pk, world.b.pk} <= chains


def test_each_event_links_to_the_previous_hash(world):
    events = list(AuditEvent.objects.filter(partnership=world.a).order_by("seq"))
    assert events[0].prev_hash == audit.GENESIS
    for previous, event in itertools.pairwise(events):
        assert event.prev_hash == previous.hash
        assert event.hash == audit.compute_hash(event)


def test_audit_verify_on_an_intact_partnership_chain_prints_ledger_intact(world):
    output = _verify("--partnership", world.a.pk)
    assert "Ledger intact" in output
    assert f"partnership {world.a.pk}" in output


def test_audit_verify_of_everything_prints_ledger_intact(world):
    assert "Ledger intact" in _verify()


@pytest.mark.parametrize(
    ("column", "sql_value"),
    [("action", "'partnership.nothing'"), ("changes", "'{}'")],
)
def test_audit_verify_finds_a_row_changed_behind_the_application(world, column, sql_value):
    target = AuditEvent.objects.filter(partnership=world.a).order_by("seq")[2]
    _drop_update_trigger()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE core_auditevent SET {column} = {sql_value} WHERE id = %s",  # noqa: S608
            [target.pk],
        )
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify", stdout=out, stderr=io.StringIO())
    assert str(target.pk) in str(excinfo.value)
    assert re.search(rf"BROKEN\s+partnership {world.a.pk}: event {target.pk}\b", out.getvalue())
    assert "content does not match" in out.getvalue()


def test_audit_verify_finds_a_deleted_row(world):
    events = list(AuditEvent.objects.filter(partnership=world.a).order_by("seq"))
    removed, following = events[2], events[3]
    _drop_delete_trigger()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [removed.pk])
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "audit", "verify", "--partnership", world.a.pk, stdout=out, stderr=io.StringIO()
        )
    assert str(following.pk) in str(excinfo.value)
    assert "events are missing" in out.getvalue()
    report = audit.verify_chain(world.a.pk)
    assert not report.ok
    assert report.broken_event_id == following.pk


def test_a_broken_chain_does_not_hide_the_other_intact_chains(world):
    target = AuditEvent.objects.filter(partnership=world.a).order_by("seq").first()
    _drop_update_trigger()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'x' WHERE id = %s", [target.pk])
    reports = {report.partnership_id: report for report in audit.verify()}
    assert not reports[world.a.pk].ok
    assert reports[world.b.pk].ok
    assert "Ledger intact" in _verify("--partnership", world.b.pk)


# --- append-only storage ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    ["UPDATE core_auditevent SET action = 'x'", "DELETE FROM core_auditevent"],
    ids=["update", "delete"],
)
def test_database_refuses_to_change_the_ledger(world, sql):
    before = list(AuditEvent.objects.order_by("pk").values_list("pk", "action"))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert list(AuditEvent.objects.order_by("pk").values_list("pk", "action")) == before


def test_orm_update_and_delete_of_the_ledger_are_refused(world):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(action="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert not AuditEvent.objects.filter(action="x").exists()


def test_postgresql_refuses_to_truncate_the_ledger(world):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    count = AuditEvent.objects.count()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditevent CASCADE")
    assert AuditEvent.objects.count() == count


def test_record_event_outside_a_transaction_raises(world):
    # pytest-django wraps the test in a transaction, so leave it for the duration of the call.
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        _record_outside_atomic(world.coordinator)


def _record_outside_atomic(actor: User) -> None:
    in_atomic = connection.in_atomic_block
    connection.in_atomic_block = False
    try:
        record_event(actor=actor, action="test.event", object_type="test", object_id=1)
    finally:
        connection.in_atomic_block = in_atomic


# --- request ids -----------------------------------------------------------------------------


def test_request_id_from_header_ends_up_on_the_event(world, client):
    client.force_login(world.coordinator)
    partnership = world.a
    response = client.post(
        reverse("partnerships:edit", args=[partnership.pk]),
        {
            "title": "Homes for All",
            "purpose": partnership.purpose,
            "start_date": partnership.start_date.isoformat(),
            "end_date": partnership.end_date.isoformat(),
            "status": partnership.status,
            "sectors": partnership.sectors,
            "sdg_goals": partnership.sdg_goals,
            "version": partnership.version,
        },
        HTTP_X_REQUEST_ID="req-test-0001",
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-test-0001"
    event = AuditEvent.objects.filter(partnership=partnership).order_by("-seq").first()
    assert event.action == "partnership.update"
    assert event.request_id == "req-test-0001"
    assert audit.verify_chain(partnership.pk).ok


def test_malformed_request_id_is_replaced_with_a_generated_one(world, client):
    client.force_login(world.coordinator)
    response = client.get(reverse("partnerships:mine"), HTTP_X_REQUEST_ID="bad id\n!")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_events_written_outside_a_request_have_no_request_id(world):
    event = AuditEvent.objects.filter(partnership=world.a).order_by("-seq").first()
    assert event.request_id == ""
