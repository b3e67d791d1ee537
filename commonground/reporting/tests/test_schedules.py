"""Reporting schedules: periods across month ends, leap years and the partnership's end; the
reports they open; changes that keep what was submitted."""

import datetime as dt
import itertools

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from commonground.core.errors import Conflict, InvalidInput
from commonground.core.models import AuditEvent
from commonground.reporting.models import PartnerReport, ReportingPeriod
from commonground.reporting.periods import reminder_dates, reporting_slots
from commonground.reporting.services import schedules
from commonground.reporting.tests.factories import make_schedule, report_of, submit

D = dt.date


def test_quarters_cut_to_the_partnership_dates_with_due_dates_across_month_ends():
    slots = reporting_slots("quarterly", D(2025, 2, 15), D(2025, 11, 10), 30, today=D(2025, 1, 1))
    assert [(s.key, s.start, s.end, s.due_date) for s in slots] == [
        ("2025-Q1", D(2025, 2, 15), D(2025, 3, 31), D(2025, 4, 30)),
        ("2025-Q2", D(2025, 4, 1), D(2025, 6, 30), D(2025, 7, 30)),
        ("2025-Q3", D(2025, 7, 1), D(2025, 9, 30), D(2025, 10, 30)),
        ("2025-Q4", D(2025, 10, 1), D(2025, 11, 10), D(2025, 12, 10)),
    ]


def test_months_in_a_leap_year_end_on_the_29th_of_february():
    slots = reporting_slots("monthly", D(2024, 1, 1), D(2024, 3, 31), 0, today=D(2024, 1, 1))
    assert [(s.key, s.end) for s in slots] == [
        ("2024-01", D(2024, 1, 31)),
        ("2024-02", D(2024, 2, 29)),
        ("2024-03", D(2024, 3, 31)),
    ]
    feb = reporting_slots("monthly", D(2023, 2, 1), D(2023, 2, 28), 1, today=D(2023, 1, 1))
    assert feb[0].due_date == D(2023, 3, 1)


def test_without_an_end_date_periods_run_a_year_ahead():
    slots = reporting_slots("semiannual", D(2025, 1, 1), None, 15, today=D(2025, 3, 1))
    assert [s.key for s in slots] == ["2025-H1", "2025-H2", "2026-H1"]


def test_reminders_are_relative_to_the_due_date():
    assert reminder_dates(D(2025, 3, 1), [3, -7, 0, 0]) == [
        (-7, D(2025, 2, 22)),
        (0, D(2025, 3, 1)),
        (3, D(2025, 3, 4)),
    ]


@given(
    frequency=st.sampled_from(["monthly", "quarterly", "semiannual", "annual"]),
    start=st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31)),
    days=st.integers(min_value=0, max_value=2000),
    due=st.integers(min_value=0, max_value=180),
)
def test_periods_tile_the_partnership_without_gaps_or_overlaps(frequency, start, days, due):
    end = start + dt.timedelta(days=days)
    slots = reporting_slots(frequency, start, end, due, today=start)
    assert slots[0].start == start
    assert slots[-1].end == end
    for before, after in itertools.pairwise(slots):
        assert after.start == before.end + dt.timedelta(days=1)
    for slot in slots:
        assert slot.start <= slot.end
        assert slot.due_date == slot.end + dt.timedelta(days=due)
    assert len({s.key for s in slots}) == len(slots)


@pytest.mark.django_db
def test_a_schedule_opens_reports_from_its_first_period_due_after_it_was_set_up(world):
    with time_machine.travel(dt.datetime(2025, 5, 10, 9, tzinfo=dt.UTC)):
        schedule = make_schedule(world)
    periods = list(ReportingPeriod.objects.filter(schedule=schedule).values_list("key", flat=True))
    assert periods[0] == "2025-Q1" and periods[-1] == "2027-Q4" and len(periods) == 12
    keys = list(
        PartnerReport.objects.filter(period__schedule=schedule).values_list(
            "period__key", flat=True
        )
    )
    # Q1 2025 was due on 30 April, before the schedule existed: no report for it.
    assert keys[0] == "2025-Q2" and len(keys) == 11
    assert AuditEvent.objects.filter(action="schedule.create", partnership=world.a).exists()


@pytest.mark.django_db
def test_bad_schedule_input_names_the_fields(world):
    with pytest.raises(InvalidInput) as caught:
        make_schedule(
            world,
            title="",
            frequency="weekly",
            due_days="soon",
            reminder_offsets="-7, tomorrow",
            partner_ids=[world.b.partners.first().pk],
        )
    assert set(caught.value.fields) == {
        "title",
        "frequency",
        "due_days",
        "reminder_offsets",
        "partner_ids",
    }


@pytest.mark.django_db
def test_the_frequency_is_fixed_once_a_report_was_submitted(world):
    with time_machine.travel(dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC)):
        schedule = make_schedule(world)
    submit(world, report_of(world, schedule, "2025-Q1"))
    schedule.refresh_from_db()
    data = {
        "title": "Monthly",
        "frequency": "monthly",
        "due_days": 10,
        "reminder_offsets": [0],
        "partner_ids": [world.ngo_a.pk],
    }
    with pytest.raises(Conflict) as caught:
        schedules.schedule_update(
            actor=world.coordinator,
            seat=world.seat(world.coordinator),
            schedule=schedule,
            data=data,
            expected_version=schedule.version,
        )
    assert caught.value.code == "frequency_fixed"
    # Due days change and move the due dates of every period.
    schedules.schedule_update(
        actor=world.coordinator,
        seat=world.seat(world.coordinator),
        schedule=schedule,
        data={**data, "frequency": "quarterly"},
        expected_version=schedule.version,
    )
    assert ReportingPeriod.objects.get(schedule=schedule, key="2025-Q1").due_date == D(2025, 4, 10)


@pytest.mark.django_db
def test_a_partner_taken_off_keeps_what_it_submitted(world):
    with time_machine.travel(dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC)):
        schedule = make_schedule(world, partner_ids=[world.ngo_a.pk, world.lead_a.pk])
        submit(world, report_of(world, schedule, "2025-Q1"))
        schedule.refresh_from_db()
        schedules.schedule_update(
            actor=world.coordinator,
            seat=world.seat(world.coordinator),
            schedule=schedule,
            data={
                "title": schedule.title,
                "frequency": "quarterly",
                "due_days": 30,
                "reminder_offsets": [0],
                "partner_ids": [world.lead_a.pk],
            },
            expected_version=schedule.version,
        )
    ngo = PartnerReport.objects.filter(period__schedule=schedule, partner=world.ngo_a)
    assert list(ngo.values_list("period__key", flat=True)) == ["2025-Q1"]
    assert (
        PartnerReport.objects.filter(period__schedule=schedule, partner=world.lead_a).count() == 12
    )
