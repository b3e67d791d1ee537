"""Reads of the results framework: SMART check, periods of an indicator, breakdown totals."""

import datetime as dt
from decimal import Decimal

import pytest

from commonground.partnerships.access import seat_of
from commonground.partnerships.models import Partnership
from commonground.results import selectors
from commonground.results.models import Result
from commonground.results.progress import Status
from commonground.results.services import framework
from commonground.results.tests.factories import (
    make_dimension,
    make_indicator,
    make_objective,
    report,
)

pytestmark = pytest.mark.django_db


def _issues(partnership) -> list[tuple[str, int | None, int | None]]:
    return sorted(
        (
            issue.kind,
            issue.objective.pk if issue.objective else None,
            issue.indicator.pk if issue.indicator else None,
        )
        for issue in selectors.smart_check(partnership)
    )


# --- SMART check -----------------------------------------------------------------------------


def test_smart_check_finds_nothing_in_a_complete_framework(world):
    impact = make_objective(world, level="impact", title="Nobody sleeps rough")
    outcome = make_objective(world, level="outcome", parent=impact)
    output = make_objective(world, level="output", title="Beds opened", parent=outcome)
    make_indicator(world, outcome)
    make_indicator(world, output, title="Beds", aggregation="latest")
    framework.period_target_set(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, world.a.pk),
        indicator=output.indicators.get(),
        period_label="2027-Q4",
        value=40,
    )
    assert selectors.smart_check(world.a) == []


def test_smart_check_lists_outcomes_and_outputs_without_indicators(world):
    impact = make_objective(world, level="impact")
    outcome = make_objective(world, level="outcome", parent=impact)
    output = make_objective(world, level="output", title="Beds opened", parent=outcome)
    issues = selectors.smart_check(world.a)
    assert _issues(world.a) == sorted(
        [("no_indicator", outcome.pk, None), ("no_indicator", output.pk, None)]
    )
    assert {issue.message for issue in issues} == {
        "“People housed” has no indicator.",
        "“Beds opened” has no indicator.",
    }


@pytest.mark.parametrize(
    "missing,kind",
    [
        ({"baseline_value": None}, "no_baseline"),
        ({"target_value": None}, "no_target"),
        ({"target_date": None}, "no_target_date"),
        ({"responsible_partner_id": None}, "no_responsible_partner"),
    ],
)
def test_smart_check_lists_an_indicator_missing_one_element(world, missing, kind):
    indicator = make_indicator(world, **missing)
    issues = selectors.smart_check(world.a)
    assert _issues(world.a) == [(kind, None, indicator.pk)]
    assert issues[0].message.startswith("“People housed” has no ")


def test_smart_check_lists_every_gap_of_a_bare_indicator(world):
    indicator = make_indicator(
        world,
        baseline_value=None,
        baseline_date=None,
        target_value=None,
        target_date=None,
        responsible_partner_id=None,
    )
    kinds = [kind for kind, _, pk in _issues(world.a) if pk == indicator.pk]
    assert kinds == ["no_baseline", "no_responsible_partner", "no_target", "no_target_date"]


def test_smart_check_asks_no_numbers_of_a_qualitative_indicator(world):
    indicator = make_indicator(
        world, measure="5", aggregation="latest", baseline_value=None, target_value=None
    )
    assert _issues(world.a) == []
    framework.indicator_update(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, indicator.partnership_id),
        indicator=indicator,
        data={"responsible_partner_id": None},
        version=indicator.version,
    )
    assert _issues(world.a) == [("no_responsible_partner", None, indicator.pk)]


def test_smart_check_lists_an_end_target_dated_after_the_partnership_ends(world):
    indicator = make_indicator(world, target_date="2028-06-30")
    issues = selectors.smart_check(world.a)
    assert _issues(world.a) == [("target_after_end", None, indicator.pk)]
    assert "after the partnership ends (31 December 2027)" in issues[0].message


def test_smart_check_lists_a_period_target_after_the_partnership_ends(world):
    indicator = make_indicator(world)
    for label in ("2027-Q4", "2028-Q1", "2028-Q2"):
        framework.period_target_set(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            period_label=label,
            value=5,
        )
    issues = selectors.smart_check(world.a)
    assert _issues(world.a) == [("target_after_end", None, indicator.pk)] * 2
    assert "starting 1 January 2028" in issues[0].message


def test_smart_check_of_an_open_ended_partnership_has_no_late_targets(world):
    indicator = make_indicator(world, target_date="2030-12-31")
    framework.period_target_set(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, indicator.partnership_id),
        indicator=indicator,
        period_label="2030-Q4",
        value=5,
    )
    Partnership.objects.filter(pk=world.a.pk).update(end_date=None)
    world.a.refresh_from_db()
    assert _issues(world.a) == []


def test_smart_check_shows_only_the_partnerships_own_gaps(world):
    b_objective = make_objective(world, partnership=world.b, actor=world.other_coordinator)
    make_indicator(world, b_objective, actor=world.other_coordinator, target_value=None)
    make_indicator(world)
    assert _issues(world.a) == []
    assert [kind for kind, _, _ in _issues(world.b)] == ["no_responsible_partner", "no_target"]


# --- indicator periods -----------------------------------------------------------------------


@pytest.fixture
def yearly_line(world):
    """Quarterly, 0 on 2024-12-31 → 365 on 2025-12-31: one a day, so the line is easy to read."""
    return make_indicator(
        world, baseline_date="2024-12-31", target_value=365, target_date="2025-12-31"
    )


def test_indicator_periods_run_from_the_baseline_to_the_partnerships_end(world, yearly_line):
    rows = selectors.indicator_periods(yearly_line, today=dt.date(2025, 5, 1))
    labels = [row.period.label for row in rows]
    assert labels[0] == "2024-Q4" and labels[-1] == "2027-Q4" and len(labels) == 13


def test_indicator_periods_start_with_the_partnership_when_the_baseline_is_later(world):
    indicator = make_indicator(world, baseline_date="2025-06-15")
    rows = selectors.indicator_periods(indicator, today=dt.date(2025, 5, 1))
    assert [rows[0].period.label, rows[-1].period.label, len(rows)] == ["2025-Q1", "2027-Q4", 12]


def test_indicator_periods_give_the_expected_value_on_the_straight_line(world, yearly_line):
    rows = selectors.indicator_periods(yearly_line, today=dt.date(2025, 5, 1))
    expected = {row.period.label: row.expected for row in rows}
    assert expected["2024-Q4"] == 0
    assert [expected[f"2025-Q{n}"] for n in (1, 2, 3, 4)] == [90, 181, 273, 365]
    assert expected["2027-Q4"] == 365


def test_indicator_periods_give_targets_and_approved_actuals_with_every_result(world, yearly_line):
    framework.period_target_set(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, yearly_line.partnership_id),
        indicator=yearly_line,
        period_label="2025-Q1",
        value=90,
    )
    framework.period_target_set(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, yearly_line.partnership_id),
        indicator=yearly_line,
        period_label="2025-Q2",
        value=180,
    )
    ngo_q1 = report(world, yearly_line, "2025-Q1", 60)
    city_q1 = report(world, yearly_line, "2025-Q1", 25, reporter=world.coordinator)
    pending = report(world, yearly_line, "2025-Q2", 70, status="submitted")
    every = Result.objects.all()
    rows = {
        r.period.label: r
        for r in selectors.indicator_periods(yearly_line, dt.date(2025, 7, 1), every)
    }
    q1, q2, q3 = rows["2025-Q1"], rows["2025-Q2"], rows["2025-Q3"]
    assert (q1.target, q1.actual) == (Decimal(90), Decimal(85))
    assert [r.pk for r in q1.results] == [city_q1.pk, ngo_q1.pk]  # by partner name
    assert (q2.target, q2.actual) == (Decimal(180), None)
    assert [r.pk for r in q2.results] == [pending.pk]
    assert (q3.target, q3.actual, q3.results) == (None, None, [])
    # Without the reader's visible results, only approved ones are listed; the values are the same.
    approved_only = selectors.indicator_periods(yearly_line, dt.date(2025, 7, 1))
    assert [r.results for r in approved_only if r.period.label == "2025-Q2"] == [[]]
    assert [r.actual for r in approved_only] == [r.actual for r in rows.values()]


def test_indicator_periods_of_a_percentage_average_the_partners(world):
    rate = make_indicator(world, measure="2", aggregation="latest", target_value=80)
    report(world, rate, "2025-Q1", 40)
    report(world, rate, "2025-Q1", 60, reporter=world.coordinator)
    rows = selectors.indicator_periods(rate, dt.date(2025, 7, 1))
    assert rows[0].actual == 50


def test_indicator_periods_without_dates_run_to_today(world):
    Partnership.objects.filter(pk=world.a.pk).update(end_date=None)
    indicator = make_indicator(world, baseline_date=None, target_date=None)
    rows = selectors.indicator_periods(indicator, dt.date(2025, 8, 1))
    assert [r.period.label for r in rows] == ["2025-Q1", "2025-Q2", "2025-Q3"]
    assert all(r.expected is None for r in rows)


# --- breakdown totals ------------------------------------------------------------------------


def test_breakdown_totals_sum_approved_values_only(world):
    sex = make_dimension(world, "sex", ("female", "male"))
    indicator = make_indicator(world, dimension_ids=[sex.pk])
    report(world, indicator, "2025-Q1", breakdown={"sex=female": 6, "sex=male": 4})
    report(world, indicator, "2025-Q2", breakdown={"sex=female": 3})
    report(world, indicator, "2025-Q2", reporter=world.coordinator, breakdown={"sex=male": 2})
    report(world, indicator, "2025-Q3", status="submitted", breakdown={"sex=female": 100})
    report(world, indicator, "2025-Q4", status="draft", breakdown={"sex=male": 100})
    assert selectors.breakdown_totals(indicator) == [
        ("sex=female", Decimal(9)),
        ("sex=male", Decimal(6)),
    ]


def test_breakdown_totals_of_a_latest_value_indicator_take_the_newest_period(world):
    # Beds are a stock: 6 + 4 beds in Q1 and 7 + 5 in Q2 are 12 beds, not 22.
    sex = make_dimension(world, "sex", ("female", "male"))
    beds = make_indicator(world, aggregation="latest", dimension_ids=[sex.pk])
    report(world, beds, "2025-Q1", breakdown={"sex=female": 6, "sex=male": 4})
    report(world, beds, "2025-Q2", breakdown={"sex=female": 5, "sex=male": 5})
    report(world, beds, "2025-Q2", reporter=world.coordinator, breakdown={"sex=female": 2})
    assert selectors.breakdown_totals(beds) == [("sex=female", Decimal(7)), ("sex=male", 5)]


def test_breakdown_totals_of_a_percentage_average_partners_and_periods(world):
    sex = make_dimension(world, "sex", ("female", "male"))
    rate = make_indicator(
        world, measure="2", aggregation="average", target_value=80, dimension_ids=[sex.pk]
    )
    report(world, rate, "2025-Q1", 50, breakdown={"sex=female": 40, "sex=male": 60})
    report(world, rate, "2025-Q2", 70, breakdown={"sex=female": 60, "sex=male": 80})
    report(world, rate, "2025-Q2", 70, reporter=world.coordinator, breakdown={"sex=female": 80})
    # female: Q1 40, Q2 mean(60, 80) = 70, over periods 55; male: mean(60, 80) = 70.
    assert selectors.breakdown_totals(rate) == [("sex=female", Decimal(55)), ("sex=male", 70)]


def test_breakdown_totals_of_an_indicator_without_breakdown_are_empty(world):
    indicator = make_indicator(world)
    report(world, indicator, "2025-Q1", 5)
    assert selectors.breakdown_totals(indicator) == []


def test_breakdown_totals_stay_with_their_indicator(world):
    sex = make_dimension(world, "sex", ("female", "male"))
    first = make_indicator(world, dimension_ids=[sex.pk])
    second = make_indicator(world, first.objective, title="Other", dimension_ids=[sex.pk])
    report(world, first, "2025-Q1", breakdown={"sex=female": 6})
    report(world, second, "2025-Q1", breakdown={"sex=female": 50})
    assert selectors.breakdown_totals(first) == [("sex=female", Decimal(6))]


# --- tree and review queue -------------------------------------------------------------------


def test_framework_tree_nests_objectives_with_their_indicators(world):
    impact = make_objective(world, level="impact")
    outcome = make_objective(world, level="outcome", parent=impact)
    indicator = make_indicator(world, outcome)
    b_objective = make_objective(world, partnership=world.b, actor=world.other_coordinator)
    roots, overall = selectors.framework_tree(world.a)
    assert [node.objective for node in roots] == [impact]
    child = roots[0].children[0]
    assert child.objective == outcome and child.indicators == [indicator]
    assert overall.status is Status.NOT_STARTED and roots[0].progress.status is Status.NOT_STARTED
    assert b_objective.pk not in {node.objective.pk for node in roots}


def test_results_to_review_lists_submitted_results_of_the_partnership(world):
    indicator = make_indicator(world)
    first = report(world, indicator, "2025-Q1", 5, status="submitted")
    report(world, indicator, "2025-Q2", 5, status="draft")
    report(world, indicator, "2025-Q3", 5, status="approved")
    second = report(world, indicator, "2025-Q4", 5, status="submitted")
    assert list(selectors.results_to_review(world.a)) == [first, second]
    assert not selectors.results_to_review(world.b).exists()
