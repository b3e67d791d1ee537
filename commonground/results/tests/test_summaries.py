"""Progress summaries kept current on write: IndicatorProgress, PartnershipProgress, roll-ups."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.partnerships.access import seat_of
from commonground.results.models import (
    IndicatorProgress,
    PartnershipProgress,
    Result,
    ResultsSettings,
    ResultStatus,
)
from commonground.results.progress import Status
from commonground.results.services.summaries import (
    framework_rollup,
    refresh_all,
    refresh_indicator,
    refresh_partnership,
    refresh_partnership_indicators,
)
from commonground.results.tests.factories import make_indicator, make_objective, report

pytestmark = pytest.mark.django_db

MID_2025 = dt.datetime(2025, 7, 15, 12, tzinfo=dt.UTC)
MID_2026 = dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)

PERCENT_RATE = {"measure": "2", "aggregation": "latest", "unit": "%"}


def _progress(indicator) -> IndicatorProgress:
    return IndicatorProgress.objects.get(indicator=indicator)


# --- combining partners and periods ----------------------------------------------------------


def test_counts_reported_by_several_partners_in_one_period_add_up(world):
    indicator = make_indicator(world)
    report(world, indicator, "2025-Q1", 30)
    report(world, indicator, "2025-Q1", 20, reporter=world.coordinator)
    progress = _progress(indicator)
    assert progress.value_to_date == 50 and progress.percent == Decimal("50.0")
    assert progress.periods_reported == 1


def test_percentages_reported_by_several_partners_in_one_period_are_averaged(world):
    indicator = make_indicator(world, **PERCENT_RATE, baseline_value=0, target_value=100)
    report(world, indicator, "2025-Q1", 40)
    report(world, indicator, "2025-Q1", 65, reporter=world.coordinator)
    assert _progress(indicator).value_to_date == Decimal("52.5")


def test_sum_indicator_adds_up_its_periods(world):
    indicator = make_indicator(world, aggregation="sum")
    for label, value in (("2025-Q1", 10), ("2025-Q2", 15), ("2025-Q3", 5)):
        report(world, indicator, label, value)
    progress = _progress(indicator)
    assert progress.value_to_date == 30 and progress.periods_reported == 3
    assert progress.last_period_end == dt.date(2025, 9, 30)


def test_latest_value_indicator_is_never_summed_over_periods(world):
    beds = make_indicator(world, title="Shelter beds", aggregation="latest")
    report(world, beds, "2025-Q1", 30)
    report(world, beds, "2025-Q2", 45)
    assert _progress(beds).value_to_date == 45
    # Partners still add up within the newest period: beds at two shelters.
    report(world, beds, "2025-Q2", 5, reporter=world.coordinator)
    assert _progress(beds).value_to_date == 50


def test_latest_value_is_the_newest_period_even_when_approved_out_of_order(world):
    beds = make_indicator(world, aggregation="latest")
    report(world, beds, "2025-Q3", 45)
    report(world, beds, "2025-Q1", 30)
    assert _progress(beds).value_to_date == 45
    assert _progress(beds).last_period_end == dt.date(2025, 9, 30)


@pytest.mark.parametrize("aggregation,expected", [("average", 40), ("maximum", 50)])
def test_average_and_maximum_indicators_combine_their_periods(world, aggregation, expected):
    indicator = make_indicator(world, aggregation=aggregation)
    report(world, indicator, "2025-Q1", 30)
    report(world, indicator, "2025-Q2", 50)
    assert _progress(indicator).value_to_date == expected


def test_decreasing_indicator_from_12_towards_8_percent_at_10_is_half_way(world):
    unemployment = make_indicator(
        world,
        title="Unemployment rate",
        **PERCENT_RATE,
        direction="decrease",
        baseline_value=12,
        target_value=8,
    )
    report(world, unemployment, "2025-Q1", 11)
    report(world, unemployment, "2025-Q2", 10)
    progress = _progress(unemployment)
    assert progress.value_to_date == 10
    assert progress.percent == Decimal("50.0")
    report(world, unemployment, "2025-Q3", 13)  # moving the wrong way is no progress
    assert _progress(unemployment).percent == Decimal("0.0")
    report(world, unemployment, "2025-Q4", 7)
    assert _progress(unemployment).percent == Decimal("100.0")
    assert _progress(unemployment).status == "achieved"


def test_qualitative_indicator_and_indicator_without_target_have_no_status(world):
    objective = make_objective(world)
    words = make_indicator(
        world,
        objective,
        title="Strategy adopted",
        measure="5",
        aggregation="latest",
        baseline_value=None,
        target_value=None,
    )
    untargeted = make_indicator(world, objective, title="Visits", target_value=None)
    report(world, words, "2025-Q1", text_value="Adopted by the council.")
    report(world, untargeted, "2025-Q1", 12)
    assert (_progress(words).status, _progress(words).percent) == ("", None)
    assert _progress(untargeted).status == "" and _progress(untargeted).value_to_date == 12
    counts = PartnershipProgress.objects.get(partnership=world.a).counts
    assert counts == {"none": 2}


# --- status ----------------------------------------------------------------------------------


def test_status_is_no_recent_data_when_the_last_approved_period_is_old(world):
    indicator = make_indicator(world)  # quarterly, 0 → 100 from 2025 to the end of 2027
    report(world, indicator, "2025-Q1", 30)
    # Q1 data goes stale once two more quarters (Q2, Q3) have ended: from 1 October.
    assert refresh_indicator(indicator, today=dt.date(2025, 9, 30)).status == "on_track"
    assert refresh_indicator(indicator, today=dt.date(2025, 10, 1)).status == "no_recent_data"
    assert _progress(indicator).status == "no_recent_data"
    summary = PartnershipProgress.objects.get(partnership=world.a)
    assert summary.counts == {"no_recent_data": 1}
    assert summary.status == "no_recent_data"


def test_achieved_indicator_is_not_called_stale(world):
    indicator = make_indicator(world, target_value=20)
    report(world, indicator, "2025-Q1", 30)
    assert refresh_indicator(indicator, today=dt.date(2027, 6, 1)).status == "achieved"


def test_indicator_without_approved_values_is_not_started(world):
    indicator = make_indicator(world)
    report(world, indicator, "2025-Q1", 30, status="submitted")
    assert refresh_indicator(indicator, today=dt.date(2026, 1, 1)).status == "not_started"


@pytest.fixture
def hundred_days(world):
    """0 → 100 over exactly 100 days (2025-01-01 to 2025-04-11), 63 reported for Q1.

    On 2025-03-12 (day 70) 70 is expected, so 63 is 0.9 of the expected progress."""
    indicator = make_indicator(world, baseline_date="2025-01-01", target_date="2025-04-11")
    report(world, indicator, "2025-Q1", 63)
    return indicator


DAY_70 = dt.date(2025, 3, 12)


def test_default_thresholds_apply_without_settings(hundred_days):
    assert refresh_indicator(hundred_days, today=DAY_70).status == "on_track"


@pytest.mark.parametrize(
    "on_track,at_risk,expected",
    [("0.90", "0.70", "on_track"), ("0.95", "0.70", "at_risk"), ("0.99", "0.95", "off_track")],
)
def test_thresholds_come_from_the_partnerships_results_settings(
    world, hundred_days, on_track, at_risk, expected
):
    ResultsSettings.objects.create(
        partnership=world.a, on_track=Decimal(on_track), at_risk=Decimal(at_risk)
    )
    assert refresh_indicator(hundred_days, today=DAY_70).status == expected


def test_stale_periods_come_from_the_partnerships_results_settings(world):
    indicator = make_indicator(world)
    report(world, indicator, "2025-Q1", 30)
    july = dt.date(2025, 7, 1)
    assert refresh_indicator(indicator, today=july).status == "on_track"
    ResultsSettings.objects.create(partnership=world.a, stale_periods=1)
    assert refresh_indicator(indicator, today=july).status == "no_recent_data"


def test_other_partnerships_settings_do_not_apply(world, hundred_days):
    ResultsSettings.objects.create(partnership=world.b, on_track=Decimal("0.99"))
    assert refresh_indicator(hundred_days, today=DAY_70).status == "on_track"


# --- roll-up ---------------------------------------------------------------------------------


def _weighted(world, objective, first_weight, second_weight):
    """Two indicators of 0 → 100 by the end of 2027: one achieved (100), one at 20."""
    done = make_indicator(world, objective, title="Done", weight=first_weight)
    behind = make_indicator(world, objective, title="Behind", weight=second_weight)
    report(world, done, "2026-Q2", 100)
    report(world, behind, "2026-Q2", 20)
    return done, behind


@time_machine.travel(MID_2026, tick=False)
def test_framework_rollup_weights_an_objectives_indicators(world):
    objective = make_objective(world)
    done, behind = _weighted(world, objective, 3, 1)
    assert (_progress(done).status, _progress(behind).status) == ("achieved", "off_track")
    nodes, overall = framework_rollup(world.a.pk)
    # Percent (3 * 100 + 1 * 20) / 4 = 80; status score (3 * 1 + 1 * 0) / 4 = 0.75: at risk.
    assert nodes[objective.pk].percent == Decimal(80)
    assert nodes[objective.pk].status is Status.AT_RISK
    assert (overall.status, overall.percent) == (Status.AT_RISK, Decimal(80))
    summary = PartnershipProgress.objects.get(partnership=world.a)
    assert summary.status == "at_risk" and summary.percent == Decimal("80.0")
    assert summary.counts == {"achieved": 1, "off_track": 1}


@time_machine.travel(MID_2026, tick=False)
def test_framework_rollup_with_the_weights_the_other_way_round(world):
    objective = make_objective(world)
    _weighted(world, objective, 1, 3)
    nodes, _ = framework_rollup(world.a.pk)
    # Percent (100 + 3 * 20) / 4 = 40; score 1 / 4 = 0.25: off track.
    assert nodes[objective.pk].percent == Decimal(40)
    assert nodes[objective.pk].status is Status.OFF_TRACK


@time_machine.travel(MID_2026, tick=False)
def test_framework_rollup_climbs_the_tree_and_weights_objectives(world):
    impact = make_objective(world, level="impact", title="Nobody sleeps rough")
    housed = make_objective(world, level="outcome", parent=impact, weight=3)
    beds = make_objective(world, level="outcome", title="Beds", parent=impact, weight=1)
    empty = make_objective(world, level="output", title="Not measured yet", parent=beds)
    report(world, make_indicator(world, housed), "2026-Q2", 100)
    report(world, make_indicator(world, beds, title="Beds"), "2026-Q2", 20)
    other = make_objective(world, level="impact", title="Other goal")  # no indicators at all
    nodes, overall = framework_rollup(world.a.pk)
    assert nodes[housed.pk].status is Status.ACHIEVED
    assert nodes[beds.pk].status is Status.OFF_TRACK and nodes[beds.pk].percent == 20
    assert (nodes[empty.pk].status, nodes[empty.pk].percent) == (None, None)
    assert nodes[impact.pk].percent == Decimal(80)
    assert nodes[impact.pk].status is Status.AT_RISK
    assert (nodes[other.pk].status, nodes[other.pk].percent) == (None, None)
    assert (overall.status, overall.percent) == (Status.AT_RISK, Decimal(80))


@time_machine.travel(MID_2026, tick=False)
def test_changing_an_objectives_weight_refreshes_the_partnership_figure(world):
    from commonground.results.services import framework

    done = make_objective(world, title="Done")
    behind = make_objective(world, title="Behind")
    report(world, make_indicator(world, done), "2026-Q2", 100)
    report(world, make_indicator(world, behind), "2026-Q2", 20)
    assert PartnershipProgress.objects.get(partnership=world.a).percent == Decimal("60.0")
    framework.objective_update(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, done.partnership_id),
        objective=done,
        data={"weight": 3},
        version=done.version,
    )
    summary = PartnershipProgress.objects.get(partnership=world.a)
    assert (summary.percent, summary.status) == (Decimal("80.0"), "at_risk")


def test_changing_an_objectives_parent_refreshes_the_partnership_figure(world):
    from commonground.results.services import framework

    impact = make_objective(world, level="impact")
    housed = make_objective(world, level="outcome", parent=impact)
    beds = make_objective(world, level="outcome", title="Beds")
    report(world, make_indicator(world, housed, target_value=10), "2025-Q1", 10)
    report(world, make_indicator(world, beds, target_value=10), "2025-Q1", 0)
    # Top level: the impact (100 %) and "Beds" (0 %): 50 %. Below the impact, "Beds" counts
    # once, inside the impact's mean: still 50 %, but then with one top objective.
    framework.objective_update(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, beds.partnership_id),
        objective=beds,
        data={"parent_id": impact.pk, "weight": 3},
        version=beds.version,
    )
    summary = PartnershipProgress.objects.get(partnership=world.a)
    assert summary.percent == Decimal("25.0")


def test_framework_rollup_of_an_empty_framework_is_blank(world):
    nodes, overall = framework_rollup(world.a.pk)
    assert nodes == {} and (overall.status, overall.percent) == (None, None)
    summary = refresh_partnership(world.a.pk)
    assert (summary.status, summary.percent, summary.counts, summary.indicator_count) == (
        "",
        None,
        {},
        0,
    )


def test_framework_rollup_stays_within_its_partnership(world):
    b_objective = make_objective(world, partnership=world.b, actor=world.other_coordinator)
    make_indicator(world, b_objective, actor=world.other_coordinator)
    nodes, _ = framework_rollup(world.a.pk)
    assert b_objective.pk not in nodes
    assert refresh_partnership(world.a.pk).indicator_count == 0


# --- refresh_all -----------------------------------------------------------------------------


def test_refresh_all_recomputes_every_indicator_and_partnership(world):
    a_indicator = make_indicator(world)
    idle = make_indicator(world, a_indicator.objective, title="Idle")
    report(world, a_indicator, "2025-Q1", 30)
    b_objective = make_objective(world, partnership=world.b, actor=world.other_coordinator)
    b_indicator = make_indicator(world, b_objective, actor=world.other_coordinator)
    IndicatorProgress.objects.all().delete()
    PartnershipProgress.objects.all().delete()

    assert refresh_all(today=dt.date(2025, 5, 1)) == 3

    assert _progress(a_indicator).value_to_date == 30
    assert _progress(a_indicator).percent == Decimal("30.0")
    assert _progress(a_indicator).status == "on_track"
    assert _progress(idle).status == _progress(b_indicator).status == "not_started"
    a = PartnershipProgress.objects.get(partnership=world.a)
    assert a.counts == {"on_track": 1, "not_started": 1} and a.indicator_count == 2
    b = PartnershipProgress.objects.get(partnership=world.b)
    assert b.counts == {"not_started": 1} and b.status == "not_started"

    # Nothing changed but the date, and the same data has gone stale.
    refresh_all(today=dt.date(2026, 1, 1))
    assert _progress(a_indicator).status == "no_recent_data"
    a.refresh_from_db()
    assert a.counts == {"no_recent_data": 1, "not_started": 1}


def test_refresh_all_writes_summaries_for_indicators_that_had_none(world):
    indicator = make_indicator(world)
    report(world, indicator, "2025-Q1", 30)
    IndicatorProgress.objects.all().delete()
    assert refresh_all(today=dt.date(2025, 5, 1)) == 1
    assert _progress(indicator).value_to_date == 30


def test_refresh_all_reads_a_fixed_number_of_queries_per_partnership(
    world, django_assert_max_num_queries
):
    objective = make_objective(world)
    for n in range(12):
        report(world, make_indicator(world, objective, title=f"Count {n}"), "2025-Q1", n)
    # Per partnership: thresholds, approved values, indicators, the upsert, the roll-up's two
    # reads, the partnership's counts and its summary (and the transaction's savepoints);
    # not six per indicator.
    with django_assert_max_num_queries(30):
        assert refresh_all(today=dt.date(2025, 5, 1)) == 12


# --- the bulk refresh equals the one-indicator refresh ---------------------------------------

QUARTERS = ["2025-Q1", "2025-Q2", "2025-Q4", "2026-Q2"]
# Every combination the rules tell apart: (measure, aggregation, direction, baseline, target).
KINDS = [
    ("1", "sum", "increase", 0, 100),
    ("1", "sum", "decrease", 100, 20),
    ("1", "latest", "increase", 10, 60),
    ("1", "latest", "maintain", 50, 50),
    ("1", "average", "increase", 0, 40),
    ("1", "maximum", "increase", 0, 40),
    ("1", "sum", "increase", 0, None),  # no target: no percent, no status
    ("1", "sum", "increase", 50, 50),  # target equals the baseline
    ("2", "latest", "increase", 40, 80),
    ("2", "latest", "decrease", 30, 15),
    ("2", "latest", "maintain", 60, 62),
    ("2", "average", "increase", 40, 90),
    ("2", "maximum", "decrease", 30, 10),
    ("4", "latest", "increase", 1, 5),  # ordinal
    ("5", "latest", "increase", None, None),  # qualitative
]


@pytest.fixture
def every_kind(world):
    objective = make_objective(world, title="Every kind of indicator")
    indicators = []
    for n, (measure, aggregation, direction, baseline, target) in enumerate(KINDS):
        indicators.append(
            make_indicator(
                world,
                objective,
                title=f"Kind {n}",
                measure=measure,
                aggregation=aggregation,
                direction=direction,
                baseline_value=baseline,
                target_value=target,
                unit="%" if measure == "2" else "people",
            )
        )
    other = make_objective(world, partnership=world.b, actor=world.other_coordinator)
    make_indicator(world, other, actor=world.other_coordinator)  # another partnership's
    return indicators


APPROVED_MOSTLY = [ResultStatus.APPROVED] * 4 + [
    ResultStatus.DRAFT,
    ResultStatus.SUBMITTED,
    ResultStatus.RETURNED,
]
reports = st.dictionaries(
    # (indicator, quarter, partner): one result per partner and period, as the constraint says.
    st.tuples(st.integers(0, len(KINDS) - 1), st.integers(0, len(QUARTERS) - 1), st.booleans()),
    st.tuples(
        st.decimals(0, 100, places=2) | st.none(),
        st.sampled_from(APPROVED_MOSTLY),
    ),
    min_size=1,
    max_size=60,
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    reported=reports,
    today=st.dates(dt.date(2025, 1, 1), dt.date(2028, 6, 30)),
    thresholds=st.sampled_from(
        [None, ("0.99", "0.98", 1), ("0.30", "0.10", 4), ("0.90", "0.70", 2)]
    ),
)
def test_bulk_refresh_gives_the_figures_of_the_one_indicator_refresh(
    world, every_kind, reported, today, thresholds
):
    """refresh_partnership_indicators (refresh_all's way) and refresh_indicator (every
    approval's way) agree on every field, whatever was reported, whenever, with any
    thresholds."""
    from commonground.results import periods

    with transaction.atomic():
        if thresholds is not None:
            on_track, at_risk, stale = thresholds
            ResultsSettings.objects.create(
                partnership=world.a,
                on_track=Decimal(on_track),
                at_risk=Decimal(at_risk),
                stale_periods=stale,
            )
        Result.objects.bulk_create(
            [
                Result(
                    partnership=world.a,
                    indicator=every_kind[index],
                    partner=world.ngo_a if by_ngo else world.lead_a,
                    period_start=(period := periods.parse_period(QUARTERS[quarter])).start,
                    period_end=period.end,
                    value=value,
                    status=status,
                    created_by=world.reporter,
                )
                for (index, quarter, by_ngo), (value, status) in reported.items()
            ]
        )
        one_by_one = {
            i.pk: _fields(refresh_indicator(i, today=today, partnership_too=False))
            for i in every_kind
        }
        one_by_one_overall = _overall(refresh_partnership(world.a.pk))
        IndicatorProgress.objects.filter(partnership=world.a).update(
            status="stale", value_to_date=None, periods_reported=99
        )
        assert refresh_partnership_indicators(world.a.pk, today=today) == len(every_kind)
        in_bulk = {p.pk: _fields(p) for p in IndicatorProgress.objects.filter(partnership=world.a)}
        assert in_bulk == one_by_one
        assert _overall(PartnershipProgress.objects.get(partnership=world.a)) == (
            one_by_one_overall
        )
        transaction.set_rollback(True)


def _fields(summary: IndicatorProgress) -> tuple:
    # Through the database and back, so both sides have the stored precision.
    stored = IndicatorProgress.objects.get(pk=summary.pk)
    return (
        stored.value_to_date,
        stored.percent,
        stored.status,
        stored.last_period_end,
        stored.periods_reported,
    )


def _overall(summary: PartnershipProgress) -> tuple:
    return (summary.status, summary.percent, summary.counts, summary.indicator_count)
