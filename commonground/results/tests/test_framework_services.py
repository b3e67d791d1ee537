"""The results framework services: objectives, dimensions, indicators, targets and revisions."""

import datetime as dt
from decimal import Decimal

import pytest

from commonground.core.codelists import sdg_indicators
from commonground.core.errors import Conflict, InvalidInput, StaleVersion
from commonground.partnerships.access import seat_of
from commonground.results.models import (
    Indicator,
    IndicatorDimension,
    ObjectivePartner,
    PeriodTarget,
    TargetRevision,
)
from commonground.results.services import framework
from commonground.results.tests.factories import (
    make_dimension,
    make_indicator,
    make_objective,
    records,
    report,
)

pytestmark = pytest.mark.django_db


def _fields(error: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return set(error.value.fields)


# --- objectives ------------------------------------------------------------------------------


def test_objective_create_nests_impact_outcome_output_and_records_one_event(world):
    with records("objective.create", "objective.create", "objective.create"):
        impact = make_objective(world, level="impact", title="Nobody sleeps rough")
        outcome = make_objective(world, level="outcome", parent=impact)
        output = make_objective(world, level="output", title="Beds opened", parent=outcome)
    assert output.parent == outcome and outcome.parent == impact
    assert (impact.iati_result_type, outcome.iati_result_type, output.iati_result_type) == (
        "3",
        "2",
        "1",
    )


def test_output_may_sit_directly_below_an_impact(world):
    impact = make_objective(world, level="impact")
    output = make_objective(world, level="output", parent=impact)
    assert output.parent == impact


@pytest.mark.parametrize(
    "parent_level,child_level",
    [("output", "outcome"), ("output", "impact"), ("outcome", "outcome"), ("outcome", "impact")],
)
def test_objective_below_a_parent_of_its_own_or_lower_level_is_refused_naming_parent_id(
    world, parent_level, child_level
):
    parent = make_objective(world, level=parent_level)
    with records(), pytest.raises(InvalidInput) as error:
        make_objective(world, level=child_level, parent=parent)
    assert _fields(error) == {"parent_id"}
    assert "higher level" in error.value.fields["parent_id"][0]


def test_parent_from_another_partnership_is_refused(world):
    foreign = make_objective(
        world, level="impact", partnership=world.b, actor=world.other_coordinator
    )
    with pytest.raises(InvalidInput) as error:
        make_objective(world, level="outcome", parent=foreign)
    assert _fields(error) == {"parent_id"}


def test_objective_cannot_move_below_its_own_descendant(world):
    impact = make_objective(world, level="impact")
    outcome = make_objective(world, level="outcome", parent=impact)
    with records(), pytest.raises(InvalidInput) as error:
        framework.objective_update(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, impact.partnership_id),
            objective=impact,
            data={"level": "output", "parent_id": outcome.pk},
            version=impact.version,
        )
    assert "parent_id" in error.value.fields
    assert "cannot sit below itself" in " ".join(error.value.fields["parent_id"])
    impact.refresh_from_db()
    assert impact.parent_id is None and impact.level == "impact"


def test_objective_cannot_be_its_own_parent(world):
    outcome = make_objective(world, level="outcome")
    with pytest.raises(InvalidInput) as error:
        framework.objective_update(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, outcome.partnership_id),
            objective=outcome,
            data={"parent_id": outcome.pk},
            version=outcome.version,
        )
    assert "parent_id" in error.value.fields


def test_objective_level_cannot_drop_below_its_children(world):
    impact = make_objective(world, level="impact")
    make_objective(world, level="outcome", parent=impact)
    with records(), pytest.raises(InvalidInput) as error:
        framework.objective_update(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, impact.partnership_id),
            objective=impact,
            data={"level": "output"},
            version=1,
        )
    assert _fields(error) == {"level"}
    impact.refresh_from_db()
    assert impact.level == "impact"


def test_unknown_sdg_target_is_refused_and_known_ones_are_kept_sorted(world):
    with pytest.raises(InvalidInput) as error:
        make_objective(world, sdg_targets=["11.1", "99.9"])
    assert _fields(error) == {"sdg_targets"}
    assert "99.9" in error.value.fields["sdg_targets"][0]
    objective = make_objective(world, sdg_targets=["11.1", "1.2", "11.1"])
    assert objective.sdg_targets == ["1.2", "11.1"]


@pytest.mark.parametrize("weight", [0, "-1", "heavy"])
def test_objective_weight_must_be_a_number_above_zero(world, weight):
    with records(), pytest.raises(InvalidInput) as error:
        make_objective(world, weight=weight)
    assert _fields(error) == {"weight"}


def test_objective_weight_defaults_to_one(world):
    assert make_objective(world, weight=None).weight == 1
    assert make_objective(world, weight="2.5").weight == Decimal("2.5")


def test_objective_responsible_partners_must_belong_to_the_partnership(world):
    foreign_partner = world.b.partners.first()
    with pytest.raises(InvalidInput) as error:
        make_objective(world, responsible_partner_ids=[foreign_partner.pk])
    assert _fields(error) == {"responsible_partner_ids"}
    objective = make_objective(world, responsible_partner_ids=[world.ngo_a.pk, world.lead_a.pk])
    assert set(objective.responsible_partners.all()) == {world.ngo_a, world.lead_a}


def test_objective_update_records_the_changes_in_one_event(world):
    objective = make_objective(world, title="Old title", responsible_partner_ids=[world.ngo_a.pk])
    with records("objective.update") as events:
        framework.objective_update(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, objective.partnership_id),
            objective=objective,
            data={"title": "New title", "responsible_partner_ids": [world.lead_a.pk]},
            version=objective.version,
        )
    assert events[0].changes["title"] == ["Old title", "New title"]
    assert events[0].changes["responsible_partners"] == [[world.ngo_a.pk], [world.lead_a.pk]]
    objective.refresh_from_db()
    assert objective.version == 2
    assert list(objective.responsible_partners.all()) == [world.lead_a]


def test_objective_update_without_changes_records_nothing(world):
    objective = make_objective(world)
    with records():
        framework.objective_update(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, objective.partnership_id),
            objective=objective,
            data={},
            version=objective.version,
        )


def test_objective_update_with_a_stale_version_is_refused_and_changes_nothing(world):
    objective = make_objective(world, title="Mine", responsible_partner_ids=[world.ngo_a.pk])
    framework.objective_update(
        actor=world.editor,
        seat=seat_of(world.editor, objective.partnership_id),
        objective=objective,
        data={"title": "Theirs"},
        version=1,
    )
    with records(), pytest.raises(StaleVersion):
        framework.objective_update(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, objective.partnership_id),
            objective=objective,
            data={"title": "Mine again", "responsible_partner_ids": [world.lead_a.pk]},
            version=1,
        )
    objective.refresh_from_db()
    assert objective.title == "Theirs"
    assert list(
        ObjectivePartner.objects.filter(objective=objective).values_list("partner", flat=True)
    ) == [world.ngo_a.pk]


def test_objective_with_indicators_cannot_be_deleted(world):
    indicator = make_indicator(world)
    with records(), pytest.raises(Conflict) as error:
        framework.objective_delete(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.objective.partnership_id),
            objective=indicator.objective,
        )
    assert error.value.code == "objective_in_use"


def test_objective_with_objectives_below_cannot_be_deleted(world):
    impact = make_objective(world, level="impact")
    make_objective(world, level="outcome", parent=impact)
    with pytest.raises(Conflict) as error:
        framework.objective_delete(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, impact.partnership_id),
            objective=impact,
        )
    assert error.value.code == "objective_in_use"


def test_empty_objective_is_deleted_with_one_event(world):
    objective = make_objective(world, responsible_partner_ids=[world.ngo_a.pk])
    pk = objective.pk
    with records("objective.delete") as events:
        framework.objective_delete(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, objective.partnership_id),
            objective=objective,
        )
    assert events[0].object_id == str(pk)
    assert not ObjectivePartner.objects.filter(objective_id=pk).exists()


# --- dimensions ------------------------------------------------------------------------------


def test_dimension_create_keeps_distinct_values_in_order_with_one_event(world):
    with records("dimension.create"):
        dimension = framework.dimension_create(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, world.a.pk),
            data={"name": "age", "values": [" 15-24 ", "25-64", "15-24", "", "65+"]},
        )
    assert dimension.values == ["15-24", "25-64", "65+"]


@pytest.mark.parametrize(
    "data,field",
    [
        ({"name": "sex", "values": []}, "values"),
        ({"name": "sex", "values": ["female|male"]}, "values"),
        ({"name": "sex", "values": ["a=b"]}, "values"),
        ({"name": "sex", "values": ["x" * 61]}, "values"),
        ({"name": "", "values": ["female"]}, "name"),
    ],
)
def test_dimension_with_invalid_name_or_values_is_refused(world, data, field):
    with records(), pytest.raises(InvalidInput) as error:
        framework.dimension_create(
            actor=world.coordinator, seat=seat_of(world.coordinator, world.a.pk), data=data
        )
    assert field in error.value.fields


def test_dimension_name_is_unique_per_partnership_ignoring_case(world):
    make_dimension(world, "sex")
    with pytest.raises(InvalidInput) as error:
        make_dimension(world, "Sex")
    assert _fields(error) == {"name"}
    framework.dimension_create(
        actor=world.other_coordinator,
        seat=seat_of(world.other_coordinator, world.b.pk),
        data={"name": "sex", "values": ["f"]},
    )


def test_dimension_value_in_use_cannot_be_removed_but_an_unused_one_can(world):
    dimension = make_dimension(world, "sex", ("female", "male", "other"))
    indicator = make_indicator(world, dimension_ids=[dimension.pk])
    report(world, indicator, "2025-Q1", breakdown={"sex=female": 3, "sex=male": 2})
    with records(), pytest.raises(InvalidInput) as error:
        framework.dimension_update(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, dimension.partnership_id),
            dimension=dimension,
            data={"values": ["male", "other"]},
            version=dimension.version,
        )
    assert _fields(error) == {"values"}
    assert "female" in error.value.fields["values"][0]
    with records("dimension.update"):
        framework.dimension_update(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, dimension.partnership_id),
            dimension=dimension,
            data={"values": ["female", "male"]},
            version=dimension.version,
        )
    dimension.refresh_from_db()
    assert dimension.values == ["female", "male"]


def test_removing_a_value_that_only_prefixes_a_used_value_is_allowed(world):
    # "15" is not "15-24": a value is in use only when a breakdown names it exactly.
    age = make_dimension(world, "age", ("15", "15-24"))
    indicator = make_indicator(world, dimension_ids=[age.pk])
    report(world, indicator, "2025-Q1", breakdown={"age=15-24": 5})
    framework.dimension_update(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, age.partnership_id),
        dimension=age,
        data={"values": ["15-24"]},
        version=age.version,
    )
    age.refresh_from_db()
    assert age.values == ["15-24"]


def test_value_used_by_another_dimension_with_a_similar_name_can_be_removed(world):
    sex = make_dimension(world, "sex", ("female", "male"))
    birth_sex = make_dimension(world, "birth sex", ("female", "male"))
    indicator = make_indicator(world, dimension_ids=[birth_sex.pk])
    report(world, indicator, "2025-Q1", breakdown={"birth sex=female": 5})
    framework.dimension_update(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, sex.partnership_id),
        dimension=sex,
        data={"values": ["male"]},
        version=sex.version,
    )
    sex.refresh_from_db()
    assert sex.values == ["male"]


def test_dimension_used_by_an_indicator_keeps_its_name(world):
    dimension = make_dimension(world)
    make_indicator(world, dimension_ids=[dimension.pk])
    with pytest.raises(InvalidInput) as error:
        framework.dimension_update(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, dimension.partnership_id),
            dimension=dimension,
            data={"name": "gender"},
            version=1,
        )
    assert _fields(error) == {"name"}


def test_dimension_update_with_a_stale_version_is_refused(world):
    dimension = make_dimension(world)
    framework.dimension_update(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, dimension.partnership_id),
        dimension=dimension,
        data={"values": ["f", "m"]},
        version=1,
    )
    with records(), pytest.raises(StaleVersion):
        framework.dimension_update(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, dimension.partnership_id),
            dimension=dimension,
            data={"values": ["x"]},
            version=1,
        )


# --- indicators ------------------------------------------------------------------------------


def test_indicator_create_stores_every_field_with_one_event_and_a_progress_row(world):
    dimension = make_dimension(world)
    objective = make_objective(world)
    with records("indicator.create") as events:
        indicator = make_indicator(
            world,
            objective,
            definition="Households moved into a home.",
            means_of_verification="Tenancy contracts",
            sdg_indicator="11.1.1",
            dimension_ids=[dimension.pk],
        )
    indicator.refresh_from_db()
    assert indicator.target_value == 100 and indicator.baseline_value == 0
    assert indicator.target_date == dt.date(2027, 12, 31)
    assert indicator.responsible_partner == world.ngo_a
    assert list(indicator.dimensions.all()) == [dimension]
    assert events[0].changes["dimensions"] == [None, ["sex"]]
    assert indicator.progress.status == "not_started"


@pytest.mark.parametrize(
    "data,field",
    [
        ({"measure": "2", "aggregation": "latest", "baseline_value": 101}, "baseline_value"),
        ({"measure": "2", "aggregation": "latest", "target_value": "100.5"}, "target_value"),
        ({"measure": "2", "aggregation": "latest", "target_value": -1}, "target_value"),
        ({"measure": "2", "aggregation": "sum", "target_value": 80}, "aggregation"),
        ({"baseline_date": "2026-01-01", "target_date": "2025-12-31"}, "target_date"),
        ({"baseline_date": "2026-01-01", "target_date": "2026-01-01"}, "target_date"),
        ({"sdg_indicator": "99.9.9"}, "sdg_indicator"),
        ({"measure": "5", "target_value": 10, "baseline_value": None}, "target_value"),
        ({"measure": "3", "baseline_value": 3, "target_value": None}, "baseline_value"),
        ({"target_value": "ten"}, "target_value"),
        ({"baseline_date": "01/02/2025"}, "baseline_date"),
        ({"measure": "9"}, "measure"),
        ({"frequency": "weekly"}, "frequency"),
        ({"title": ""}, "title"),
        ({"weight": 0}, "weight"),
    ],
)
def test_invalid_indicator_is_refused_naming_the_field(world, data, field):
    objective = make_objective(world)
    with records(), pytest.raises(InvalidInput) as error:
        make_indicator(world, objective, **data)
    assert field in error.value.fields
    assert not Indicator.objects.exists()


def test_indicator_responsible_partner_and_dimensions_must_belong_to_the_partnership(world):
    foreign_dimension = framework.dimension_create(
        actor=world.other_coordinator,
        seat=seat_of(world.other_coordinator, world.b.pk),
        data={"name": "x", "values": ["y"]},
    )
    with pytest.raises(InvalidInput) as error:
        make_indicator(
            world,
            responsible_partner_id=world.b.partners.first().pk,
            dimension_ids=[foreign_dimension.pk],
        )
    assert _fields(error) == {"responsible_partner_id", "dimension_ids"}


def test_known_sdg_indicator_code_is_accepted(world):
    assert make_indicator(world, sdg_indicator="11.5.1").sdg_indicator == "11.5.1"


def test_target_set_once_cannot_change_through_indicator_update(world):
    indicator = make_indicator(world, target_value=None, target_date=None)
    framework.indicator_update(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, indicator.partnership_id),
        indicator=indicator,
        data={"target_value": "100", "target_date": "2027-12-31"},
        version=indicator.version,
    )
    for data, field in (
        ({"target_value": 120}, "target_value"),
        ({"target_value": None}, "target_value"),
        ({"target_date": "2027-06-30"}, "target_date"),
    ):
        with records(), pytest.raises(InvalidInput) as error:
            framework.indicator_update(
                actor=world.coordinator,
                seat=seat_of(world.coordinator, indicator.partnership_id),
                indicator=indicator,
                data=data,
                version=indicator.version,
            )
        assert _fields(error) == {field}
        assert "revise" in error.value.fields[field][0]
    # The same target in another spelling is no change.
    framework.indicator_update(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, indicator.partnership_id),
        indicator=indicator,
        data={"target_value": "100.0000", "title": "Renamed"},
        version=indicator.version,
    )
    indicator.refresh_from_db()
    assert indicator.target_value == 100 and indicator.title == "Renamed"


def test_indicator_update_records_one_event_and_a_stale_version_is_refused(world):
    indicator = make_indicator(world)
    with records("indicator.update") as events:
        framework.indicator_update(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            data={"unit": "households"},
            version=1,
        )
    assert events[0].changes == {"unit": ["people", "households"]}
    with records(), pytest.raises(StaleVersion):
        framework.indicator_update(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            data={"unit": "homes"},
            version=1,
        )


def test_measure_frequency_and_breakdown_are_fixed_once_results_exist(world):
    dimension = make_dimension(world)
    indicator = make_indicator(world)
    report(world, indicator, "2025-Q1", 5, status="draft")
    for data, field in (
        ({"measure": "4"}, "measure"),
        ({"frequency": "monthly"}, "frequency"),
        ({"dimension_ids": [dimension.pk]}, "dimension_ids"),
    ):
        with pytest.raises(InvalidInput) as error:
            framework.indicator_update(
                actor=world.coordinator,
                seat=seat_of(world.coordinator, indicator.partnership_id),
                indicator=indicator,
                data=data,
                version=indicator.version,
            )
        assert _fields(error) == {field}


# --- revisions -------------------------------------------------------------------------------


def test_target_revise_keeps_old_new_reason_who_and_when(world):
    indicator = make_indicator(world)
    with records("target.revise") as events:
        revision = framework.target_revise(
            actor=world.editor,
            seat=seat_of(world.editor, indicator.partnership_id),
            indicator=indicator,
            value="80",
            target_date="2027-06-30",
            reason="budget_change",
            reason_text="The housing grant was cut.",
            version=indicator.version,
        )
    revision.refresh_from_db()
    assert (revision.old_value, revision.new_value) == (Decimal(100), Decimal(80))
    assert (revision.old_date, revision.new_date) == (dt.date(2027, 12, 31), dt.date(2027, 6, 30))
    assert revision.reason == "budget_change"
    assert revision.reason_text == "The housing grant was cut."
    assert revision.revised_by == world.editor and revision.revised_at is not None
    assert revision.period_start is None
    indicator.refresh_from_db()
    assert indicator.target_value == 80 and indicator.target_date == dt.date(2027, 6, 30)
    assert events[0].actor == world.editor
    assert events[0].changes == {
        "target_value": ["100", "80"],
        "target_date": ["2027-12-31", "2027-06-30"],
        "reason": [None, "budget_change"],
        "reason_text": [None, "The housing grant was cut."],
    }


def test_successive_revisions_are_all_kept_newest_first(world):
    indicator = make_indicator(world)
    for value in (80, 90):
        framework.target_revise(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            value=value,
            reason="partnership_decision",
            version=indicator.version,
        )
    history = list(indicator.revisions.values_list("old_value", "new_value"))
    assert history == [(Decimal(80), Decimal(90)), (Decimal(100), Decimal(80))]


def test_target_revise_keeps_the_date_when_none_is_given(world):
    indicator = make_indicator(world)
    revision = framework.target_revise(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, indicator.partnership_id),
        indicator=indicator,
        value=120,
        reason="context_change",
        version=indicator.version,
    )
    assert revision.new_date == revision.old_date == dt.date(2027, 12, 31)


def test_revision_for_other_reason_without_text_is_refused_naming_reason_text(world):
    indicator = make_indicator(world)
    with records(), pytest.raises(InvalidInput) as error:
        framework.target_revise(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            value=80,
            reason="other",
            reason_text="  ",
            version=indicator.version,
        )
    assert _fields(error) == {"reason_text"}
    assert not TargetRevision.objects.exists()


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"value": 80, "reason": ""}, "reason"),
        ({"value": 80, "reason": "whim"}, "reason"),
        ({"value": None, "reason": "budget_change"}, "target_value"),
        ({"value": "lots", "reason": "budget_change"}, "target_value"),
        ({"value": 100, "reason": "budget_change"}, "target_value"),
        ({"value": 80, "target_date": "soon", "reason": "budget_change"}, "target_date"),
    ],
)
def test_invalid_revision_is_refused(world, kwargs, field):
    indicator = make_indicator(world)
    with records(), pytest.raises(InvalidInput) as error:
        framework.target_revise(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            version=indicator.version,
            **kwargs,
        )
    assert field in error.value.fields


def test_revised_target_dated_before_the_baseline_is_refused(world):
    indicator = make_indicator(world)
    with records(), pytest.raises(InvalidInput) as error:
        framework.target_revise(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            value=80,
            target_date="2024-12-31",
            reason="budget_change",
            version=indicator.version,
        )
    assert _fields(error) == {"target_date"}


def test_qualitative_indicator_gets_no_numeric_target_by_revision(world):
    indicator = make_indicator(
        world, measure="5", aggregation="latest", baseline_value=None, target_value=None
    )
    with records(), pytest.raises(InvalidInput) as error:
        framework.target_revise(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            value=3,
            reason="budget_change",
            version=indicator.version,
        )
    assert _fields(error) == {"target_value"}


def test_percentage_target_revised_above_100_is_refused(world):
    indicator = make_indicator(world, measure="2", aggregation="latest", target_value=60)
    with pytest.raises(InvalidInput) as error:
        framework.target_revise(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            value=120,
            reason="budget_change",
            version=indicator.version,
        )
    assert _fields(error) == {"target_value"}


def test_target_revise_with_a_stale_version_is_refused_and_keeps_no_revision(world):
    indicator = make_indicator(world)
    framework.indicator_update(
        actor=world.editor,
        seat=seat_of(world.editor, indicator.partnership_id),
        indicator=indicator,
        data={"unit": "households"},
        version=1,
    )
    with records(), pytest.raises(StaleVersion):
        framework.target_revise(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            value=80,
            reason="budget_change",
            version=1,
        )
    assert not TargetRevision.objects.exists()


def test_target_revise_refreshes_progress(world):
    indicator = make_indicator(world)
    report(world, indicator, "2025-Q1", 40)
    assert indicator.progress.percent == Decimal("40.0")
    framework.target_revise(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, indicator.partnership_id),
        indicator=indicator,
        value=50,
        reason="budget_change",
        version=indicator.version,
    )
    indicator.progress.refresh_from_db()
    assert indicator.progress.percent == Decimal("80.0")


# --- period targets --------------------------------------------------------------------------


def test_period_target_set_creates_a_target_with_one_event(world):
    indicator = make_indicator(world)
    with records("period_target.set") as events:
        target = framework.period_target_set(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            period_label="2025-Q2",
            value="25",
        )
    assert (target.period_start, target.period_end) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert target.value == 25
    assert events[0].changes == {"2025-Q2": [None, "25"]}


def test_period_target_with_a_label_of_the_wrong_frequency_is_refused_with_the_message(world):
    indicator = make_indicator(world, frequency="quarterly")
    with records(), pytest.raises(InvalidInput) as error:
        framework.period_target_set(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            period_label="2025-03",
            value=10,
        )
    assert error.value.fields == {
        "period": [
            "“2025-03” is a monthly period, but this indicator is reported quarterly "
            "(e.g. 2025-Q1)."
        ]
    }
    with pytest.raises(InvalidInput) as error:
        framework.period_target_set(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            period_label="Q5 2025",
            value=10,
        )
    assert "2025-Q1 … 2025-Q4" in error.value.fields["period"][0]


@pytest.mark.parametrize(
    "value,measure,aggregation", [("", "1", "sum"), ("x", "1", "sum"), (101, "2", "latest")]
)
def test_period_target_with_an_unusable_value_is_refused(world, value, measure, aggregation):
    indicator = make_indicator(
        world, measure=measure, aggregation=aggregation, target_value=50, baseline_value=10
    )
    with pytest.raises(InvalidInput) as error:
        framework.period_target_set(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            period_label="2025-Q1",
            value=value,
        )
    assert _fields(error) == {"value"}


def test_changing_a_period_target_without_a_reason_is_refused(world):
    indicator = make_indicator(world)
    framework.period_target_set(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, indicator.partnership_id),
        indicator=indicator,
        period_label="2025-Q2",
        value=25,
    )
    with records(), pytest.raises(InvalidInput) as error:
        framework.period_target_set(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            period_label="2025-Q2",
            value=30,
        )
    assert _fields(error) == {"reason"}
    assert PeriodTarget.objects.get(indicator=indicator).value == 25


def test_changing_a_period_target_with_a_reason_creates_a_revision(world):
    indicator = make_indicator(world)
    framework.period_target_set(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, indicator.partnership_id),
        indicator=indicator,
        period_label="2025-Q2",
        value=25,
    )
    with records("target.revise") as events:
        target = framework.period_target_set(
            actor=world.editor,
            seat=seat_of(world.editor, indicator.partnership_id),
            indicator=indicator,
            period_label="2025-Q2",
            value=30,
            reason="implementation_delay",
        )
    assert target.value == 30 and target.version == 2
    revision = TargetRevision.objects.get(indicator=indicator)
    assert revision.period_start == dt.date(2025, 4, 1)
    assert (revision.old_value, revision.new_value) == (Decimal(25), Decimal(30))
    assert revision.reason == "implementation_delay" and revision.revised_by == world.editor
    assert events[0].changes == {
        "2025-Q2": ["25.0000", "30"],
        "reason": [None, "implementation_delay"],
        "reason_text": [None, ""],
    }


def test_setting_a_period_target_to_its_current_value_records_nothing(world):
    indicator = make_indicator(world)
    framework.period_target_set(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, indicator.partnership_id),
        indicator=indicator,
        period_label="2025-Q2",
        value=25,
    )
    with records():
        framework.period_target_set(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, indicator.partnership_id),
            indicator=indicator,
            period_label="2025-Q2",
            value="25.00",
        )
    assert not TargetRevision.objects.exists()


# --- starting from a library -----------------------------------------------------------------


def test_indicator_copy_copies_the_definition_but_not_targets_dimensions_or_partner(world):
    b_objective = make_objective(
        world, level="outcome", partnership=world.b, actor=world.other_coordinator
    )
    b_dimension = framework.dimension_create(
        actor=world.other_coordinator,
        seat=seat_of(world.other_coordinator, world.b.pk),
        data={"name": "site", "values": ["n"]},
    )
    source = make_indicator(
        world,
        b_objective,
        actor=world.other_coordinator,
        title="Dune area restored",
        definition="Hectares replanted with marram grass.",
        unit="ha",
        measure="1",
        direction="increase",
        aggregation="latest",
        frequency="annual",
        means_of_verification="Satellite survey",
        sdg_indicator="15.3.1",
        target_value=40,
        baseline_value=2,
        responsible_partner_id=world.b.partners.first().pk,
        dimension_ids=[b_dimension.pk],
    )
    framework.period_target_set(
        actor=world.other_coordinator,
        seat=seat_of(world.other_coordinator, source.partnership_id),
        indicator=source,
        period_label="2025",
        value=10,
    )
    objective = make_objective(world)
    with records("indicator.create") as events:
        copy = framework.indicator_copy(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, world.a.pk),
            source=source,
            objective=objective,
        )
    assert events[0].partnership_id == world.a.pk
    assert copy.partnership_id == world.a.pk and copy.objective == objective
    for name in (
        "title",
        "definition",
        "unit",
        "measure",
        "direction",
        "aggregation",
        "frequency",
        "means_of_verification",
        "sdg_indicator",
    ):
        assert getattr(copy, name) == getattr(source, name), name
    assert copy.target_value is None and copy.target_date is None
    assert copy.baseline_value is None and copy.responsible_partner is None
    assert not copy.period_targets.exists()
    assert not IndicatorDimension.objects.filter(indicator=copy).exists()
    assert source.period_targets.count() == 1


def test_indicator_from_sdg_uses_the_sdg_title_and_code(world):
    objective = make_objective(world)
    title = next(row[2] for row in sdg_indicators() if row[0] == "11.5.1")
    with records("indicator.create"):
        indicator = framework.indicator_from_sdg(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, objective.partnership_id),
            objective=objective,
            code="11.5.1",
        )
    assert indicator.title == title == indicator.definition
    assert indicator.sdg_indicator == "11.5.1"
    assert indicator.objective == objective and indicator.target_value is None


def test_indicator_from_sdg_shortens_a_long_title_but_keeps_the_full_definition(world):
    code, _, title = max(sdg_indicators(), key=lambda row: len(row[2]))
    if len(title) <= 300:
        pytest.skip("no SDG indicator title is longer than the title field")
    indicator = framework.indicator_from_sdg(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, world.a.pk),
        objective=make_objective(world),
        code=code,
    )
    assert len(indicator.title) <= 300 and indicator.title.endswith("…")
    assert indicator.definition == title


def test_indicator_from_an_unknown_sdg_code_is_refused_naming_code(world):
    objective = make_objective(world)
    with records(), pytest.raises(InvalidInput) as error:
        framework.indicator_from_sdg(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, objective.partnership_id),
            objective=objective,
            code="99.1.1",
        )
    assert _fields(error) == {"code"}


def test_the_framework_services_refuse_a_seat_that_may_not_edit_it(world):
    """The services enforce results.framework themselves, so no caller can forget it (403)."""
    from django.core.exceptions import PermissionDenied

    objective = make_objective(world)
    viewer, reporter = seat_of(world.viewer, world.a.pk), seat_of(world.reporter, world.a.pk)
    with records(), pytest.raises(PermissionDenied):
        framework.objective_create(actor=world.viewer, seat=viewer, data={"title": "Mine"})
    with records(), pytest.raises(PermissionDenied):
        framework.objective_update(
            actor=world.reporter, seat=reporter, objective=objective, data={}, version=None
        )
    with records(), pytest.raises(PermissionDenied):
        framework.dimension_create(
            actor=world.reporter, seat=reporter, data={"name": "sex", "values": ["f"]}
        )
    # Another partnership's seat, even a coordinator's, cannot write this one's framework.
    other = seat_of(world.other_coordinator, world.b.pk)
    with records(), pytest.raises(PermissionDenied):
        framework.objective_delete(actor=world.other_coordinator, seat=other, objective=objective)
