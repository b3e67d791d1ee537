"""The communication plan: entries, when each is next due, marking done by hand and by other
code (record_channel_done), its page and API."""

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from commonground.core.errors import InvalidInput, StaleVersion
from commonground.core.models import AuditEvent
from commonground.reporting.models import CommunicationDone, CommunicationEntry
from commonground.reporting.selectors.plan import add_months, next_due, plan_rows
from commonground.reporting.services import plan
from commonground.reporting.tests.updates_factories import make_entry

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2025, 6, 15, 12, tzinfo=dt.UTC)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- due dates (pure) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "frequency,start,last,due",
    [
        ("weekly", "2025-01-01", None, "2025-01-08"),
        ("monthly", "2025-01-31", None, "2025-02-28"),
        ("quarterly", "2025-01-15", "2025-05-02", "2025-08-02"),
        ("semiannual", "2024-08-31", None, "2025-02-28"),
        ("annual", "2024-02-29", None, "2025-02-28"),
    ],
)
def test_next_due_is_one_frequency_after_the_last_time_or_the_start(frequency, start, last, due):
    last_done = dt.date.fromisoformat(last) if last else None
    assert next_due(frequency, dt.date.fromisoformat(start), last_done) == dt.date.fromisoformat(
        due
    )


def test_add_months_crosses_years():
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)


# --- services --------------------------------------------------------------------------------


def test_coordinator_plans_who_hears_what(world):
    entry = make_entry(world, audience="stakeholders", audience_detail="Tenants of Old Mill")
    assert entry.owner == world.lead_a and entry.partnership == world.a
    assert AuditEvent.objects.filter(action="plan.create").count() == 1


def test_a_stakeholder_group_must_be_named_and_the_owner_must_be_a_partner(world):
    other = world.b.partners.get()
    with pytest.raises(InvalidInput) as error:
        make_entry(world, audience="stakeholders", owner_id=other.pk, channel="fax")
    assert set(error.value.fields) == {"audience_detail", "owner_id", "channel"}


def test_reporter_cannot_change_the_plan(world):
    with pytest.raises(PermissionDenied):
        plan.plan_entry_create(
            actor=world.reporter, seat=world.seat(world.reporter), data={"content": "x"}
        )


def test_edit_is_refused_on_a_stale_version(world):
    entry = make_entry(world)
    data = {
        "audience": "council",
        "content": "Annual summary",
        "channel": "printed_report",
        "frequency": "annual",
        "owner_id": world.ngo_a.pk,
    }
    plan.plan_entry_edit(
        actor=world.editor,
        seat=world.seat(world.editor),
        entry=entry,
        data=data,
        expected_version=1,
    )
    with pytest.raises(StaleVersion):
        plan.plan_entry_edit(
            actor=world.coordinator,
            seat=world.seat(world.coordinator),
            entry=CommunicationEntry.objects.get(pk=entry.pk),
            data=data,
            expected_version=1,
        )


@time_machine.travel(NOON, tick=False)
def test_overdue_and_due_soon(world):
    overdue = make_entry(world, frequency="monthly", starts_on="2025-04-01")  # due 1 May
    soon = make_entry(world, frequency="monthly", starts_on="2025-05-20")  # due 20 June
    later = make_entry(world, frequency="quarterly", starts_on="2025-06-01")  # due 1 September
    rows = plan_rows(world.a)
    assert [(r.entry, r.state) for r in rows] == [
        (overdue, "overdue"),
        (soon, "due_soon"),
        (later, "planned"),
    ]


@time_machine.travel(NOON, tick=False)
def test_marking_done_by_hand_moves_the_next_due_date(world):
    entry = make_entry(world, frequency="monthly", starts_on="2025-01-01")
    done = plan.plan_entry_mark_done(
        actor=world.editor, seat=world.seat(world.editor), entry=entry, note="June meeting"
    )
    assert done.source == CommunicationDone.Source.MANUAL and done.note == "June meeting"
    entry.refresh_from_db()
    assert entry.last_done_at == NOON and entry.version == 1  # an edit form stays valid
    [row] = plan_rows(world.a)
    assert row.next_due == dt.date(2025, 7, 15) and row.state == "planned"
    event = AuditEvent.objects.filter(action="plan.done").get()
    assert event.changes["source"] == [None, "manual"] and event.actor_id == world.editor.pk


def test_record_channel_done_marks_every_matching_entry_of_the_partnership(world):
    digest_partners = make_entry(world, channel="digest")
    digest_council = make_entry(world, channel="digest", audience="council")
    meeting = make_entry(world, channel="meeting")
    other = plan.plan_entry_create(
        actor=world.other_coordinator,
        seat=world.seat(world.other_coordinator, world.b),
        data={
            "audience": "partners",
            "content": "B's digest",
            "channel": "digest",
            "frequency": "weekly",
            "owner_id": world.b.partners.get().pk,
        },
    )
    count = plan.record_channel_done(world.a.pk, "digest", "digest", "Weekly digest 2025-W24")
    assert count == 2
    done = CommunicationDone.objects.order_by("entry_id")
    assert [(d.entry, d.source, d.note) for d in done] == [
        (digest_partners, "digest", "Weekly digest 2025-W24"),
        (digest_council, "digest", "Weekly digest 2025-W24"),
    ]
    for entry in (meeting, other):
        entry.refresh_from_db()
        assert entry.last_done_at is None
    events = AuditEvent.objects.filter(action="plan.done", partnership=world.a)
    assert events.count() == 2 and {e.actor_label for e in events} == {"system"}


def test_a_published_report_marks_the_printed_report_entries(world):
    entry = make_entry(world, channel="printed_report", audience="council")
    assert plan.record_channel_done(world.a.pk, "printed_report", "report") == 1
    assert CommunicationDone.objects.get().entry == entry
    assert plan.record_channel_done(world.a.pk, "social_media", "report") == 0


def test_record_channel_done_refuses_unknown_channels_and_sources(world):
    with pytest.raises(InvalidInput):
        plan.record_channel_done(world.a.pk, "pigeon", "manual")
    with pytest.raises(InvalidInput):
        plan.record_channel_done(world.a.pk, "digest", "rumour")


# --- pages and API ---------------------------------------------------------------------------


@time_machine.travel(NOON, tick=True)
def test_plan_page_shows_what_is_overdue(world):
    make_entry(world, content="Council briefing", channel="meeting", starts_on="2025-01-01")
    page = _client(world.viewer).get(reverse("reporting:plan", args=[world.a.pk])).text
    assert "1 overdue" in page and "plan-badge-overdue" in page and "Council briefing" in page
    assert "Mark done" not in page  # a viewer reads the plan only


def test_coordinator_adds_and_marks_done_through_the_pages(world):
    client = _client(world.coordinator)
    response = client.post(
        reverse("reporting:plan_entry_create", args=[world.a.pk]),
        {
            "audience": "public",
            "content": "Progress on the public page",
            "channel": "public_page",
            "frequency": "quarterly",
            "owner_id": world.lead_a.pk,
        },
    )
    assert response.status_code == 302
    entry = CommunicationEntry.objects.get()
    assert entry.starts_on == dt.date.today()
    client.post(reverse("reporting:plan_entry_done", args=[world.a.pk, entry.pk]), {"note": "Q2"})
    assert CommunicationDone.objects.get().note == "Q2"
    client.post(reverse("reporting:plan_entry_delete", args=[world.a.pk, entry.pk]))
    assert not CommunicationEntry.objects.exists()


def test_plan_entry_errors_show_on_their_fields(world):
    response = _client(world.editor).post(
        reverse("reporting:plan_entry_create", args=[world.a.pk]),
        {
            "audience": "stakeholders",
            "content": "Newsletter",
            "channel": "digest",
            "frequency": "monthly",
            "owner_id": world.lead_a.pk,
        },
    )
    assert response.status_code == 200 and 'id="id_audience_detail_error"' in response.text


def test_api_plan_entries_with_next_due_and_if_match(world):
    client = _client(world.coordinator)
    base = f"/api/v1/partnerships/{world.a.pk}/communication-plan"
    created = client.post(
        base,
        json.dumps(
            {
                "audience": "council",
                "content": "Council summary",
                "channel": "printed_report",
                "frequency": "quarterly",
                "owner_id": world.lead_a.pk,
                "starts_on": "2025-01-01",
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["next_due"] == "2025-04-01" and body["state"] == "overdue"
    url = f"{base}/{body['id']}"
    changed = client.patch(
        url, json.dumps({"frequency": "annual"}), "application/json", headers={"If-Match": '"v1"'}
    )
    assert changed.status_code == 200 and changed.json()["next_due"] == "2026-01-01"
    done = client.post(f"{url}/done", json.dumps({"note": "Sent"}), "application/json")
    assert done.status_code == 201 and done.json()["source"] == "manual"
    assert client.get(base).json()["count"] == 1
    assert client.delete(url).status_code == 204
    other = _client(world.other_coordinator)
    assert other.get(base).status_code == 404
