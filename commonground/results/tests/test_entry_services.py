"""Results entry: saving values, the review state machine, progress on approval, evidence."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.core.errors import Conflict, InvalidInput, StaleVersion
from commonground.core.validation import Errors
from commonground.partnerships.access import seat_of
from commonground.results import periods
from commonground.results.imports.plan import _number
from commonground.results.models import (
    Indicator,
    IndicatorProgress,
    PartnershipProgress,
    Result,
    ResultBreakdown,
    ResultStatus,
)
from commonground.results.services import entry
from commonground.results.services.entry import ReportedValue
from commonground.results.tests.factories import (
    make_dimension,
    make_indicator,
    make_objective,
    records,
    report,
    seat,
)

pytestmark = pytest.mark.django_db

MID_2025 = dt.datetime(2025, 7, 15, 12, tzinfo=dt.UTC)


def _save(world, indicator, period: Any = "2025-Q1", *, actor=None, version=None, **kwargs):
    actor = actor or world.reporter
    evidence_file = kwargs.pop("evidence_file", None)
    partner = kwargs.pop("partner", None)
    return entry.result_save(
        actor=actor,
        seat=seat(world, actor),
        indicator=indicator,
        period=period,
        partner=partner,
        reported=ReportedValue(**kwargs),
        evidence_file=evidence_file,
        version=version,
    )


def _refused(call: Callable[[], Any]) -> dict[str, list[str]]:
    """Run a call that must be refused without writing anything; return the fields it names."""
    results = Result.objects.count()
    with records(), pytest.raises(InvalidInput) as error:
        call()
    assert Result.objects.count() == results
    return error.value.fields


# --- who reports for whom --------------------------------------------------------------------


def test_reporter_reports_for_their_own_partner(world):
    indicator = make_indicator(world)
    with records("result.create") as events:
        result = _save(world, indicator, value=12, note=" first quarter ")
    assert result.partner == world.ngo_a and result.created_by == world.reporter
    assert (result.period_start, result.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert result.value == 12 and result.note == "first quarter"
    assert result.status == ResultStatus.DRAFT
    assert events[0].changes == {"value": [None, "12"], "note": [None, "first quarter"]}
    assert "Shelter Network" in events[0].object_label


def test_reporter_cannot_report_for_another_partner(world):
    indicator = make_indicator(world)
    fields = _refused(lambda: _save(world, indicator, value=12, partner=world.lead_a))
    assert set(fields) == {"partner"}
    assert "own organisation" in fields["partner"][0]


def test_coordinator_may_report_for_any_partner(world):
    indicator = make_indicator(world)
    result = _save(world, indicator, actor=world.coordinator, value=7, partner=world.ngo_a)
    assert result.partner == world.ngo_a and result.created_by == world.coordinator
    own = _save(world, indicator, actor=world.coordinator, value=3)
    assert own.partner == world.lead_a


def test_partner_of_another_partnership_is_refused_even_for_a_coordinator(world):
    indicator = make_indicator(world)
    foreign = world.b.partners.first()
    fields = _refused(
        lambda: _save(world, indicator, actor=world.coordinator, value=7, partner=foreign)
    )
    assert set(fields) == {"partner"}


def test_seat_of_another_partnership_cannot_report_on_this_partnerships_indicator(world):
    b_objective = make_objective(
        world, partnership=world.b, actor=world.other_coordinator, level="outcome"
    )
    b_indicator = make_indicator(world, b_objective, actor=world.other_coordinator)
    with records(), pytest.raises(InvalidInput) as error:
        _save(world, b_indicator, actor=world.coordinator, value=7)
    assert set(error.value.fields) == {"indicator"}
    assert not Result.objects.exists()


# --- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["twelve", "12 people", "1e999", ""])
def test_text_or_no_number_in_a_numeric_indicator_is_refused_naming_value(world, value):
    indicator = make_indicator(world)
    fields = _refused(lambda: _save(world, indicator, value=value))
    assert set(fields) == {"value"}


def test_text_value_on_a_numeric_indicator_is_refused(world):
    indicator = make_indicator(world)
    fields = _refused(lambda: _save(world, indicator, value=5, text_value="about five"))
    assert set(fields) == {"text_value"}


def test_number_with_thousands_separator_is_read(world):
    indicator = make_indicator(world)
    assert _save(world, indicator, value="1,250").value == 1250


@pytest.mark.parametrize("value", ["100.01", "-1", 250])
def test_percentage_outside_0_to_100_is_refused_naming_value(world, value):
    indicator = make_indicator(world, measure="2", aggregation="latest", target_value=80)
    fields = _refused(lambda: _save(world, indicator, value=value))
    assert set(fields) == {"value"}
    assert "percentage" in fields["value"][0]


def test_percentage_of_100_is_accepted(world):
    indicator = make_indicator(world, measure="2", aggregation="latest", target_value=80)
    assert _save(world, indicator, value=100).value == 100


def test_qualitative_indicator_takes_words_not_numbers(world):
    indicator = make_indicator(
        world, measure="5", baseline_value=None, target_value=None, aggregation="latest"
    )
    assert set(_refused(lambda: _save(world, indicator, value=3))) == {"value", "text_value"}
    result = _save(world, indicator, text_value="The city adopted the strategy.")
    assert result.value is None and result.text_value == "The city adopted the strategy."


@pytest.fixture
def by_sex(world):
    dimension = make_dimension(world, "sex", ("female", "male"))
    age = make_dimension(world, "age", ("0-17", "18+"))
    return make_indicator(world, dimension_ids=[dimension.pk, age.pk])


def test_breakdown_value_not_allowed_is_refused_naming_breakdown(world, by_sex):
    fields = _refused(
        lambda: _save(world, by_sex, breakdown={"age=18+|sex=unknown": 4, "age=0-17|sex=male": 1})
    )
    assert set(fields) == {"breakdown"}
    assert "“unknown” is not an allowed sex" in fields["breakdown"][0]


def test_breakdown_missing_a_dimension_is_refused_naming_breakdown(world, by_sex):
    fields = _refused(lambda: _save(world, by_sex, value=4, breakdown={"sex=female": 4}))
    assert set(fields) == {"breakdown"}
    assert "age, sex" in fields["breakdown"][0]


def test_breakdown_of_an_indicator_without_dimensions_is_refused(world):
    indicator = make_indicator(world)
    fields = _refused(lambda: _save(world, indicator, value=4, breakdown={"sex=female": 4}))
    assert set(fields) == {"breakdown"}


@pytest.mark.parametrize("key", ["female", "sex:female|age=18+", "age=18+|sex=female|"])
def test_malformed_breakdown_key_is_refused_naming_breakdown(world, by_sex, key):
    fields = _refused(lambda: _save(world, by_sex, value=4, breakdown={key: 4}))
    assert set(fields) == {"breakdown"}


def test_same_combination_given_twice_is_refused(world, by_sex):
    fields = _refused(
        lambda: _save(world, by_sex, breakdown={"age=18+|sex=female": 6, "sex=female|age=18+": 3})
    )
    assert set(fields) == {"breakdown"}
    assert "twice" in fields["breakdown"][0]


def test_text_in_a_breakdown_value_is_refused_naming_breakdown(world, by_sex):
    fields = _refused(lambda: _save(world, by_sex, breakdown={"age=18+|sex=female": "six"}))
    assert "“six” is not a number." in fields["breakdown"]


def test_percentage_breakdown_over_100_is_refused(world):
    sex = make_dimension(world, "sex", ("female", "male"))
    rate = make_indicator(
        world, measure="2", aggregation="latest", target_value=80, dimension_ids=[sex.pk]
    )
    fields = _refused(
        lambda: _save(world, rate, value=60, breakdown={"sex=female": 130, "sex=male": 40})
    )
    assert set(fields) == {"breakdown"}
    assert "130" in fields["breakdown"][0]


@pytest.mark.parametrize("field", ["note", "text_value"])
def test_null_character_in_text_is_refused_naming_the_field(world, field):
    words = make_indicator(
        world, measure="5", aggregation="latest", baseline_value=None, target_value=None
    )
    reported = {"text_value": "Adopted.", field: "Adop\x00ted."}
    fields = _refused(lambda: _save(world, words, **reported))
    assert set(fields) == {field}


def test_total_that_disagrees_with_the_breakdown_is_refused(world, by_sex):
    fields = _refused(
        lambda: _save(
            world, by_sex, value=10, breakdown={"age=18+|sex=female": 6, "age=18+|sex=male": 3}
        )
    )
    assert set(fields) == {"value"}
    assert "does not equal the sum of the breakdown (9)" in fields["value"][0]


def test_breakdown_alone_fills_the_total_and_keys_are_made_canonical(world, by_sex):
    result = _save(
        world,
        by_sex,
        breakdown={"sex=female|age=18+": 6, (("sex", "male"), ("age", "18+")): 3},
    )
    assert result.value == 9
    assert dict(result.breakdown.values_list("key", "value")) == {
        "age=18+|sex=female": Decimal(6),
        "age=18+|sex=male": Decimal(3),
    }
    assert all(b.partnership_id == world.a.pk for b in ResultBreakdown.objects.all())


def test_total_that_agrees_with_the_breakdown_is_kept(world, by_sex):
    result = _save(
        world, by_sex, value="9.0", breakdown={"age=18+|sex=female": 6, "age=18+|sex=male": 3}
    )
    assert result.value == 9 and result.breakdown.count() == 2


def test_changing_a_breakdown_replaces_it_and_records_old_and_new(world, by_sex):
    _save(world, by_sex, breakdown={"age=18+|sex=female": 6})
    with records("result.update") as events:
        result = _save(world, by_sex, breakdown={"age=18+|sex=male": 2}, version=1)
    assert dict(result.breakdown.values_list("key", "value")) == {"age=18+|sex=male": 2}
    assert events[0].changes["breakdown"] == [
        {"age=18+|sex=female": "6.0000"},
        {"age=18+|sex=male": "2"},
    ]


# --- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["2025-03", "2025-H1", "2025", "Q1 2025", "2025-Q5"])
def test_period_label_of_the_wrong_frequency_is_refused_naming_period(world, label):
    indicator = make_indicator(world, frequency="quarterly")
    fields = _refused(lambda: _save(world, indicator, label, value=5))
    assert set(fields) == {"period"}


def test_period_object_of_the_wrong_frequency_is_refused_naming_period(world):
    indicator = make_indicator(world, frequency="quarterly")
    march = periods.parse_period("2025-03")
    fields = _refused(lambda: _save(world, indicator, march, value=5))
    assert set(fields) == {"period"}


def test_period_object_of_the_right_frequency_is_accepted(world):
    indicator = make_indicator(world, frequency="monthly")
    result = _save(world, indicator, periods.parse_period("2025-03"), value=5)
    assert result.period_end == dt.date(2025, 3, 31)


@pytest.mark.parametrize("label", ["2024-Q4", "2028-Q1"])
def test_period_outside_the_partnerships_dates_is_refused_naming_period(world, label):
    indicator = make_indicator(world)
    fields = _refused(lambda: _save(world, indicator, label, value=5))
    assert set(fields) == {"period"}
    assert (
        "outside the partnership's dates (1 January 2025 to 31 December 2027)"
        in fields["period"][0]
    )


def test_first_and_last_periods_of_the_partnership_are_accepted(world):
    indicator = make_indicator(world)
    assert _save(world, indicator, "2025-Q1", value=1).status == ResultStatus.DRAFT
    assert _save(world, indicator, "2027-Q4", value=1).status == ResultStatus.DRAFT


# --- the review state machine ----------------------------------------------------------------


def _in_state(world, indicator, status: str) -> Result:
    result = report(world, indicator, "2025-Q1", 10, status=ResultStatus.DRAFT)
    if status == ResultStatus.DRAFT:
        return result
    entry.result_submit(
        actor=world.reporter, seat=seat_of(world.reporter, result.partnership_id), result=result
    )
    if status == ResultStatus.APPROVED:
        entry.result_approve(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, result.partnership_id),
            result=result,
        )
    elif status == ResultStatus.RETURNED:
        entry.result_return(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, result.partnership_id),
            result=result,
            comment="Add a source.",
        )
    return result


ACTIONS: dict[str, Callable[[Any, Result], Result]] = {
    "submit": lambda w, r: entry.result_submit(
        actor=w.reporter, seat=seat_of(w.reporter, r.partnership_id), result=r
    ),
    "approve": lambda w, r: entry.result_approve(
        actor=w.coordinator, seat=seat_of(w.coordinator, r.partnership_id), result=r
    ),
    "return": lambda w, r: entry.result_return(
        actor=w.coordinator, seat=seat_of(w.coordinator, r.partnership_id), result=r, comment="Fix"
    ),
    "reopen": lambda w, r: entry.result_reopen(
        actor=w.coordinator, seat=seat_of(w.coordinator, r.partnership_id), result=r, reason="Typo"
    ),
}
ALLOWED = {
    ("draft", "submit"): ("submitted", "result.submit"),
    ("returned", "submit"): ("submitted", "result.submit"),
    ("submitted", "approve"): ("approved", "result.approve"),
    ("submitted", "return"): ("returned", "result.return"),
    ("approved", "reopen"): ("returned", "result.reopen"),
}
STATES = ["draft", "submitted", "returned", "approved"]


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("state", STATES)
def test_review_state_machine(world, state, action):
    indicator = make_indicator(world)
    result = _in_state(world, indicator, state)
    assert result.status == state
    version = result.version
    if (state, action) in ALLOWED:
        new_state, event = ALLOWED[(state, action)]
        with records(event) as events:
            ACTIONS[action](world, result)
        result.refresh_from_db()
        assert result.status == new_state and result.version == version + 1
        assert events[0].changes["status"] == [state, new_state]
    else:
        with records(), pytest.raises(Conflict) as error:
            ACTIONS[action](world, result)
        assert error.value.code == "invalid_transition"
        result.refresh_from_db()
        assert result.status == state and result.version == version


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_saving_over_a_submitted_or_approved_result_is_refused_as_locked(world, state):
    indicator = make_indicator(world)
    result = _in_state(world, indicator, state)
    with records(), pytest.raises(Conflict) as error:
        _save(world, indicator, value=99)
    assert error.value.code == "result_locked"
    result.refresh_from_db()
    assert result.value == 10


def test_approved_result_says_reopen_and_submitted_says_wait(world):
    indicator = make_indicator(world)
    _in_state(world, indicator, "approved")
    with pytest.raises(Conflict, match="reopen it with a reason"):
        _save(world, indicator, value=99)


@pytest.mark.parametrize("state", ["draft", "returned"])
def test_draft_or_returned_result_can_be_changed_and_keeps_its_state(world, state):
    indicator = make_indicator(world)
    result = _in_state(world, indicator, state)
    with records("result.update") as events:
        _save(world, indicator, value=11, version=result.version)
    result.refresh_from_db()
    assert result.value == 11 and result.status == state
    assert events[0].changes == {"value": ["10.0000", "11"]}


def test_saving_a_result_with_a_stale_version_is_refused(world):
    indicator = make_indicator(world)
    result = _save(world, indicator, value=10)
    _save(world, indicator, value=11, version=result.version)
    with records(), pytest.raises(StaleVersion):
        _save(world, indicator, value=12, version=result.version)


def test_submit_and_approve_record_who_and_when(world):
    indicator = make_indicator(world)
    result = _in_state(world, indicator, "approved")
    assert result.submitted_by == world.reporter and result.submitted_at is not None
    assert result.reviewed_by == world.coordinator and result.reviewed_at is not None
    assert result.is_locked


def test_reporter_cannot_approve_their_own_submission(world):
    """Nor anyone's: the service itself refuses a role without results.review (403)."""
    indicator = make_indicator(world)
    result = _in_state(world, indicator, "submitted")
    with records(), pytest.raises(PermissionDenied):
        entry.result_approve(
            actor=world.reporter, seat=seat_of(world.reporter, result.partnership_id), result=result
        )


def test_a_reporter_cannot_submit_another_partners_result_through_the_service(world):
    indicator = make_indicator(world)
    result = report(world, indicator, "2025-Q1", 5, status="draft", reporter=world.coordinator)
    assert result.partner_id == world.lead_a.pk
    with records(), pytest.raises(PermissionDenied, match="your own organisation only"):
        entry.result_submit(
            actor=world.reporter, seat=seat_of(world.reporter, result.partnership_id), result=result
        )


def test_coordinator_cannot_approve_their_own_submission_but_an_editor_can(world):
    indicator = make_indicator(world)
    result = report(world, indicator, "2025-Q1", 5, status="submitted", reporter=world.coordinator)
    with records(), pytest.raises(Conflict) as error:
        entry.result_approve(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, result.partnership_id),
            result=result,
        )
    assert error.value.code == "own_submission"
    entry.result_approve(
        actor=world.editor,
        seat=seat_of(world.editor, result.partnership_id),
        result=result,
        comment=" Checked. ",
    )
    result.refresh_from_db()
    assert result.status == "approved" and result.review_comment == "Checked."


def test_whoever_resubmits_a_returned_result_cannot_approve_it(world):
    indicator = make_indicator(world)
    result = _in_state(world, indicator, "returned")
    entry.result_submit(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, result.partnership_id),
        result=result,
    )
    with pytest.raises(Conflict) as error:
        entry.result_approve(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, result.partnership_id),
            result=result,
        )
    assert error.value.code == "own_submission"


def test_return_needs_a_comment_which_goes_back_with_the_result(world):
    indicator = make_indicator(world)
    result = _in_state(world, indicator, "submitted")
    with records(), pytest.raises(InvalidInput) as error:
        entry.result_return(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, result.partnership_id),
            result=result,
            comment="  ",
        )
    assert set(error.value.fields) == {"comment"}
    with records("result.return") as events:
        entry.result_return(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, result.partnership_id),
            result=result,
            comment="Attach the register.",
        )
    result.refresh_from_db()
    assert result.status == "returned" and result.review_comment == "Attach the register."
    assert result.reviewed_by == world.coordinator
    assert events[0].changes == {
        "status": ["submitted", "returned"],
        "comment": [None, "Attach the register."],
    }


def test_reopen_needs_a_reason_which_is_recorded(world):
    indicator = make_indicator(world)
    result = _in_state(world, indicator, "approved")
    with records(), pytest.raises(InvalidInput) as error:
        entry.result_reopen(
            actor=world.editor,
            seat=seat_of(world.editor, result.partnership_id),
            result=result,
            reason="",
        )
    assert set(error.value.fields) == {"reason"}
    with records("result.reopen") as events:
        entry.result_reopen(
            actor=world.editor,
            seat=seat_of(world.editor, result.partnership_id),
            result=result,
            reason="Double counted.",
        )
    result.refresh_from_db()
    assert result.status == "returned" and not result.is_locked
    assert result.review_comment == "Reopened: Double counted."
    assert events[0].changes == {
        "status": ["approved", "returned"],
        "reason": [None, "Double counted."],
    }
    assert events[0].actor == world.editor


def test_reopened_result_can_be_corrected_and_approved_again(world):
    indicator = make_indicator(world)
    result = _in_state(world, indicator, "approved")
    entry.result_reopen(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, result.partnership_id),
        result=result,
        reason="Typo",
    )
    _save(world, indicator, value=12)
    entry.result_submit(
        actor=world.reporter, seat=seat_of(world.reporter, result.partnership_id), result=result
    )
    entry.result_approve(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, result.partnership_id),
        result=result,
    )
    result.refresh_from_db()
    assert result.status == "approved" and result.value == 12


def test_anyone_may_comment_and_an_empty_comment_is_refused(world):
    indicator = make_indicator(world)
    result = _in_state(world, indicator, "approved")
    with records("result.comment"):
        comment = entry.result_comment(
            actor=world.viewer,
            seat=seat_of(world.viewer, result.partnership_id),
            result=result,
            body=" Nice work ",
        )
    assert comment.body == "Nice work" and comment.author == world.viewer
    assert comment.partnership_id == world.a.pk
    with records(), pytest.raises(InvalidInput) as error:
        entry.result_comment(
            actor=world.viewer,
            seat=seat_of(world.viewer, result.partnership_id),
            result=result,
            body=" ",
        )
    assert set(error.value.fields) == {"body"}


# --- progress on approval --------------------------------------------------------------------


@time_machine.travel(MID_2025, tick=False)
def test_approving_refreshes_indicator_and_partnership_progress(world):
    # Baseline 0 (2025-01-01) to 100 (2027-12-31): by 15 July 2025 about 17.8 is expected.
    indicator = make_indicator(world)
    idle = make_indicator(world, indicator.objective, title="Beds opened")
    report(world, indicator, "2025-Q1", 30)
    submitted = report(world, indicator, "2025-Q2", 20, status="submitted")
    progress = IndicatorProgress.objects.get(indicator=indicator)
    assert (progress.value_to_date, progress.percent) == (Decimal(30), Decimal("30.0"))

    entry.result_approve(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, submitted.partnership_id),
        result=submitted,
    )

    progress.refresh_from_db()
    assert progress.value_to_date == Decimal(50)
    assert progress.percent == Decimal("50.0")
    assert progress.status == "on_track"
    assert progress.last_period_end == dt.date(2025, 6, 30)
    assert progress.periods_reported == 2
    assert IndicatorProgress.objects.get(indicator=idle).status == "not_started"
    summary = PartnershipProgress.objects.get(partnership=world.a)
    assert summary.counts == {"on_track": 1, "not_started": 1}
    assert summary.indicator_count == 2
    assert summary.status == "on_track" and summary.percent == Decimal("50.0")


@time_machine.travel(MID_2025, tick=False)
def test_submitted_drafts_and_returned_values_do_not_count(world):
    indicator = make_indicator(world)
    report(world, indicator, "2025-Q1", 30, status="draft")
    report(world, indicator, "2025-Q2", 20, status="submitted")
    report(world, indicator, "2025-Q3", 10, status="returned", reporter=world.coordinator)
    progress = IndicatorProgress.objects.get(indicator=indicator)
    assert progress.value_to_date is None and progress.status == "not_started"


@time_machine.travel(MID_2025, tick=False)
def test_reopening_removes_the_value_from_progress(world):
    indicator = make_indicator(world)
    first = report(world, indicator, "2025-Q1", 30)
    second = report(world, indicator, "2025-Q2", 20)
    entry.result_reopen(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, second.partnership_id),
        result=second,
        reason="Double counted",
    )
    progress = IndicatorProgress.objects.get(indicator=indicator)
    assert (progress.value_to_date, progress.percent) == (Decimal(30), Decimal("30.0"))
    assert progress.last_period_end == dt.date(2025, 3, 31)
    entry.result_reopen(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, first.partnership_id),
        result=first,
        reason="Wrong site",
    )
    progress.refresh_from_db()
    assert progress.value_to_date is None and progress.percent is None
    assert progress.status == "not_started" and progress.periods_reported == 0
    summary = PartnershipProgress.objects.get(partnership=world.a)
    assert summary.counts == {"not_started": 1}


# --- evidence --------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_small_pdf_is_accepted_and_stored(world, media):
    indicator = make_indicator(world)
    upload = SimpleUploadedFile(
        "register.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n", "application/pdf"
    )
    with records("result.create") as events:
        result = _save(world, indicator, value=5, evidence_file=upload)
    assert result.evidence_file.name.startswith("evidence/")
    assert result.evidence_file.name.endswith(".pdf")
    assert (media / result.evidence_file.name).read_bytes().startswith(b"%PDF")
    assert events[0].changes["evidence_file"] == [None, result.evidence_file.name]


def test_file_over_10_mb_is_refused(world, media):
    indicator = make_indicator(world)
    upload = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), "application/pdf")
    fields = _refused(lambda: _save(world, indicator, value=5, evidence_file=upload))
    assert fields == {"evidence_file": ["The file is larger than 10 MB."]}
    assert not any(media.rglob("*.pdf"))


def test_file_of_exactly_10_mb_is_accepted(world, media):
    indicator = make_indicator(world)
    upload = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024 - 4))
    assert _save(world, indicator, value=5, evidence_file=upload).evidence_file


def test_pdf_whose_content_is_not_pdf_is_refused(world, media):
    indicator = make_indicator(world)
    upload = SimpleUploadedFile("register.pdf", b"MZ\x90\x00 this is a program", "application/pdf")
    fields = _refused(lambda: _save(world, indicator, value=5, evidence_file=upload))
    assert fields == {"evidence_file": ["The file's content is not a .pdf file."]}


@pytest.mark.parametrize("name", ["setup.exe", "register", "report.PDF.exe", "page.html"])
def test_file_of_a_type_not_allowed_is_refused(world, media, name):
    indicator = make_indicator(world)
    upload = SimpleUploadedFile(name, b"%PDF-1.4 pretending")
    fields = _refused(lambda: _save(world, indicator, value=5, evidence_file=upload))
    assert set(fields) == {"evidence_file"}
    assert "Attach a PDF" in fields["evidence_file"][0]


def test_uppercase_extension_is_checked_like_lowercase(world, media):
    indicator = make_indicator(world)
    good = SimpleUploadedFile("SCAN.PNG", b"\x89PNG\r\n\x1a\n rest")
    assert _save(world, indicator, value=5, evidence_file=good).evidence_file
    bad = SimpleUploadedFile("SCAN.JPG", b"\x89PNG\r\n\x1a\n rest")
    assert set(
        _refused(lambda: _save(world, indicator, "2025-Q2", value=5, evidence_file=bad))
    ) == {"evidence_file"}


@pytest.mark.parametrize("url", ["not a url", "javascript:alert(1)", "ftp://files.test/a.pdf"])
def test_evidence_link_must_be_a_web_address(world, url):
    indicator = make_indicator(world)
    fields = _refused(lambda: _save(world, indicator, value=5, evidence_url=url))
    assert set(fields) == {"evidence_url"}


def test_evidence_link_is_kept(world):
    indicator = make_indicator(world)
    result = _save(world, indicator, value=5, evidence_url=" https://city.test/register ")
    assert result.evidence_url == "https://city.test/register"


# --- the import's shortcut: breakdown keys checked once per indicator ------------------------

_KEYS = st.sampled_from(
    [
        "age=18+|sex=female",
        "sex=female|age=18+",
        "age=0-17|sex=male",
        "age=18+|sex=unknown",
        "sex=female",
        "female",
        "age=18+|sex=female|",
    ]
)
_CELLS = st.one_of(
    st.integers(-5, 500).map(str), st.sampled_from(["", "six", "1,250", "2.5"]), st.just(None)
)


@settings(max_examples=150, deadline=None)
@given(
    reports=st.lists(
        st.tuples(st.one_of(st.just(None), _CELLS), st.dictionaries(_KEYS, _CELLS, max_size=4)),
        min_size=1,
        max_size=6,
    )
)
def test_a_shared_key_cache_changes_nothing_clean_value_finds(reports):
    """An import parses each distinct number once and passes one key cache for all values of
    an indicator: every value must come out exactly as a form's would (same figures, same
    messages), first sight or cached."""
    indicator = Indicator(measure="unit", aggregation="sum", title="Reached")
    dimensions = {"age": ["0-17", "18+"], "sex": ["female", "male"]}
    cache: dict = {}
    numbers: dict = {}
    for total, breakdown in reports:
        reported = ReportedValue(value=total, breakdown=breakdown)
        parsed = ReportedValue(
            value=_number(total, numbers),
            breakdown={key: _number(cell, numbers) for key, cell in breakdown.items()},
        )
        alone, shared = Errors(), Errors()
        expected = entry.clean_value(indicator, dimensions, reported, alone)
        found = entry.clean_value(indicator, dimensions, parsed, shared, key_cache=cache)
        assert found == expected
        assert shared == alone
