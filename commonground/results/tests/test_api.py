"""The results API: framework, targets and revisions, reporting and review, progress, SDG search.

Every write goes through the services; these tests check what the API adds: the shapes, status
codes, versions (ETag / If-Match) and that refusals name their fields.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from commonground.accounts.models import User
from commonground.partnerships.access import seat_of
from commonground.partnerships.services import seat_create
from commonground.results.models import (
    Dimension,
    Indicator,
    Objective,
    Result,
    ResultStatus,
    TargetRevision,
)
from commonground.results.services import framework
from conftest import World

pytestmark = pytest.mark.django_db

API = "/api/v1"


class Caller:
    """One person's API client; paths are relative to /api/v1."""

    def __init__(self, user: User) -> None:
        self.client = Client()
        self.client.force_login(user)

    def _send(self, method: str, path: str, data: Any, etag: str | None) -> Any:
        headers = {"If-Match": etag} if etag else {}
        return self.client.generic(
            method,
            API + path,
            json_body(data),
            content_type="application/json",
            headers=headers,
        )

    def get(self, path: str) -> Any:
        return self.client.get(API + path)

    def post(self, path: str, data: Any = None, etag: str | None = None) -> Any:
        return self._send("POST", path, data, etag)

    def patch(self, path: str, data: Any, etag: str | None = None) -> Any:
        return self._send("PATCH", path, data, etag)

    def put(self, path: str, data: Any) -> Any:
        return self._send("PUT", path, data, None)

    def delete(self, path: str) -> Any:
        return self.client.delete(API + path)


def json_body(data: Any) -> str:
    import json

    return "" if data is None else json.dumps(data)


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "fields"}
    return body


@dataclass
class Framework:
    impact: Objective
    outcome: Objective
    sex: Dimension
    housed: Indicator  # people housed: a count per quarter, broken down by sex
    rate: Indicator  # a percentage
    b_indicator: Indicator  # in partnership B


@pytest.fixture
def fw(world: World) -> Framework:
    impact = framework.objective_create(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, world.a.pk),
        data={"level": "impact", "title": "Nobody sleeps rough", "sdg_targets": ["11.1"]},
    )
    outcome = framework.objective_create(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, world.a.pk),
        data={"level": "outcome", "title": "People housed", "parent_id": impact.pk},
    )
    sex = framework.dimension_create(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, world.a.pk),
        data={"name": "sex", "values": ["female", "male"]},
    )
    housed = framework.indicator_create(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, outcome.partnership_id),
        objective=outcome,
        data={
            "title": "People housed",
            "unit": "people",
            "baseline_value": 0,
            "baseline_date": "2025-01-01",
            "target_value": 100,
            "target_date": "2027-12-31",
            "frequency": "quarterly",
            "responsible_partner_id": world.ngo_a.pk,
            "dimension_ids": [sex.pk],
        },
    )
    rate = framework.indicator_create(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, outcome.partnership_id),
        objective=outcome,
        data={
            "title": "Share of shelter beds used",
            "measure": "2",
            "aggregation": "latest",
            "frequency": "quarterly",
        },
    )
    b_objective = framework.objective_create(
        actor=world.other_coordinator,
        seat=seat_of(world.other_coordinator, world.b.pk),
        data={"level": "outcome", "title": "Dunes restored"},
    )
    b_indicator = framework.indicator_create(
        actor=world.other_coordinator,
        seat=seat_of(world.other_coordinator, b_objective.partnership_id),
        objective=b_objective,
        data={"title": "Hectares of dune replanted", "unit": "ha", "definition": "Planted."},
    )
    return Framework(impact, outcome, sex, housed, rate, b_indicator)


def a_path(world: World, rest: str = "") -> str:
    return f"/partnerships/{world.a.pk}{rest}"


def report(world: World, caller: Caller, indicator: Indicator, **fields: Any) -> Any:
    return caller.post(
        a_path(world, "/results"), {"indicator_id": indicator.pk, "period": "2025-Q2", **fields}
    )


# --- the review flow ---------------------------------------------------------------------------


def test_reported_result_is_reviewed_and_shows_in_progress(world: World, fw: Framework) -> None:
    reporter, coordinator = Caller(world.reporter), Caller(world.coordinator)
    before = coordinator.get(a_path(world, "/progress")).json()
    [row] = [i for i in before["indicators"] if i["id"] == fw.housed.pk]
    assert (row["value_to_date"], row["status"]) == (None, "not_started")

    created = report(world, reporter, fw.housed, breakdown={"sex=female": 60, "sex=male": 40})
    assert created.status_code == 201, created.content
    result = created.json()
    assert created["ETag"] == f'"v{result["version"]}"'
    assert result["value"] == "100"  # the total is the breakdown's sum, as a decimal string
    assert result["breakdown"] == {"sex=female": "60", "sex=male": "40"}
    assert (result["period"], result["period_start"], result["period_end"]) == (
        "2025-Q2",
        "2025-04-01",
        "2025-06-30",
    )
    assert (result["status"], result["partner_id"]) == ("draft", world.ngo_a.pk)

    result_path = a_path(world, f"/results/{result['id']}")
    submitted = reporter.post(result_path + "/submit")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_by"]["id"] == world.reporter.pk
    assert error(reporter.post(result_path + "/approve"), 403)["code"] == "forbidden"

    approved = coordinator.post(result_path + "/approve", {"comment": "Checked the list."})
    assert approved.status_code == 200, approved.content
    body = approved.json()
    assert (body["status"], body["review_comment"]) == ("approved", "Checked the list.")
    assert body["reviewed_by"]["name"] == world.coordinator.full_name

    after = coordinator.get(a_path(world, "/progress")).json()
    [row] = [i for i in after["indicators"] if i["id"] == fw.housed.pk]
    assert row["value_to_date"] == "100"
    assert row["percent"] == "100"
    assert (row["status"], row["status_label"]) == ("achieved", "Achieved")
    assert row["last_period_end"] == "2025-06-30"
    assert after["status"] == "achieved"
    assert after["counts"] == {"achieved": 1, "not_started": 1}
    indicator = coordinator.get(a_path(world, f"/indicators/{fw.housed.pk}")).json()
    assert indicator["progress"]["value_to_date"] == "100"


@pytest.mark.parametrize("with_summary", [True, False])
def test_progress_is_exactly_what_its_schema_validates_to(
    world: World, fw: Framework, with_summary: bool
) -> None:
    """The progress rows are built without validation (for speed): the JSON must still be what
    validating it against the documented schema gives, field for field and type for type."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from commonground.results.models import IndicatorProgress, PartnershipProgress
    from commonground.results.schemas import IndicatorProgressRow, PartnershipProgressOut

    reporter, coordinator = Caller(world.reporter), Caller(world.coordinator)
    result = report(world, reporter, fw.housed, value="12.50").json()
    reporter.post(a_path(world, f"/results/{result['id']}/submit"))
    coordinator.post(a_path(world, f"/results/{result['id']}/approve"))
    if not with_summary:  # never refreshed: no summaries at all
        IndicatorProgress.objects.all().delete()
        PartnershipProgress.objects.all().delete()
    response = coordinator.get(a_path(world, "/progress"))
    assert response.status_code == 200
    body = response.json()
    validated = PartnershipProgressOut.model_validate(body).model_dump()
    assert json.loads(json.dumps(validated, cls=DjangoJSONEncoder)) == body
    assert set(body["indicators"][0]) == set(IndicatorProgressRow.model_fields)
    [housed] = [row for row in body["indicators"] if row["id"] == fw.housed.pk]
    if with_summary:
        assert (housed["value_to_date"], housed["percent"]) == ("12.5", "12.5")
        assert body["status"] and body["computed_at"]
    else:
        assert (housed["value_to_date"], housed["status"], body["status"]) == (None, None, None)
        assert (body["counts"], body["computed_at"], body["indicator_count"]) == ({}, None, 2)
    assert housed["target_value"] == "100" and housed["unit"] == "people"


def test_nobody_approves_their_own_submission(world: World, fw: Framework) -> None:
    editor = Caller(world.editor)
    result = report(world, editor, fw.housed, value=5).json()
    path = a_path(world, f"/results/{result['id']}")
    assert editor.post(path + "/submit").status_code == 200
    body = error(editor.post(path + "/approve"), 409)
    assert body["code"] == "own_submission"
    assert Result.objects.get(pk=result["id"]).status == ResultStatus.SUBMITTED


def _approved(world: World, fw: Framework) -> str:
    reporter = Caller(world.reporter)
    result = report(world, reporter, fw.housed, value=10).json()
    path = a_path(world, f"/results/{result['id']}")
    reporter.post(path + "/submit")
    assert Caller(world.coordinator).post(path + "/approve").status_code == 200
    return path


def test_an_approved_result_is_locked(world: World, fw: Framework) -> None:
    path = _approved(world, fw)
    reporter = Caller(world.reporter)
    etag = reporter.get(path)["ETag"]
    body = error(reporter.patch(path, {"value": 12}, etag), 409)
    assert body["code"] == "result_locked"
    assert error(report(world, reporter, fw.housed, value=12), 409)["code"] == "result_locked"


def test_reopening_needs_a_reason_and_unlocks(world: World, fw: Framework) -> None:
    path = _approved(world, fw)
    coordinator = Caller(world.coordinator)
    body = error(coordinator.post(path + "/reopen", {}), 400)
    assert list(body["fields"]) == ["reason"]
    reopened = coordinator.post(path + "/reopen", {"reason": "Double-counted a family."})
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["status"] == "returned"
    assert "Double-counted" in reopened.json()["review_comment"]
    progress = coordinator.get(a_path(world, "/progress")).json()
    [row] = [i for i in progress["indicators"] if i["id"] == fw.housed.pk]
    assert row["value_to_date"] is None


def test_returning_needs_a_comment_and_the_reporter_corrects_and_resubmits(
    world: World, fw: Framework
) -> None:
    reporter, editor = Caller(world.reporter), Caller(world.editor)
    result = report(world, reporter, fw.housed, value=10).json()
    path = a_path(world, f"/results/{result['id']}")
    reporter.post(path + "/submit")
    body = error(editor.post(path + "/return", {"comment": "  "}), 400)
    assert list(body["fields"]) == ["comment"]
    returned = editor.post(path + "/return", {"comment": "Split it by sex, please."})
    assert (returned.json()["status"], returned.json()["review_comment"]) == (
        "returned",
        "Split it by sex, please.",
    )
    changed = reporter.patch(
        path,
        {"breakdown": [{"dimensions": {"sex": "female"}, "value": 7}]},
        returned["ETag"],
    )
    # PATCH keeps the total it does not mention: 10 is not 7, and the refusal says so.
    assert "value" in error(changed, 400)["fields"]
    changed = reporter.patch(
        path,
        {"value": None, "breakdown": [{"dimensions": {"sex": "female"}, "value": 7}]},
        returned["ETag"],
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["value"], changed.json()["breakdown"]) == ("7", {"sex=female": "7"})
    assert reporter.post(path + "/submit").json()["status"] == "submitted"


def test_patching_a_result_needs_if_match(world: World, fw: Framework) -> None:
    reporter = Caller(world.reporter)
    created = report(world, reporter, fw.housed, value=10)
    path = a_path(world, f"/results/{created.json()['id']}")
    assert error(reporter.patch(path, {"note": "x"}), 428)["code"] == "precondition_required"
    assert (
        reporter.patch(path, {"note": "From the shelter log."}, created["ETag"]).status_code == 200
    )
    stale = reporter.patch(path, {"note": "Again"}, created["ETag"])
    assert error(stale, 412)["code"] == "precondition_failed"
    assert Result.objects.get(pk=created.json()["id"]).note == "From the shelter log."


def test_a_reporter_acts_only_on_their_own_organisations_results(
    world: World, fw: Framework
) -> None:
    editor = Caller(world.editor)
    editor_result = report(world, editor, fw.housed, value=3).json()
    assert editor_result["partner_id"] == world.lead_a.pk
    path = a_path(world, f"/results/{editor_result['id']}")
    reporter = Caller(world.reporter)
    # Another partner's draft is not theirs to see, let alone act on.
    assert error(reporter.get(path), 404)["code"] == "not_found"
    assert error(reporter.post(path + "/submit"), 404)["code"] == "not_found"
    assert error(reporter.patch(path, {"value": 4}, '"1"'), 404)["code"] == "not_found"
    other = report(world, reporter, fw.housed, value=1, partner_id=world.lead_a.pk)
    assert "partner" in error(other, 400)["fields"]
    # Once approved it is everyone's to read, and still not theirs to change.
    editor.post(path + "/submit")
    Caller(world.coordinator).post(path + "/approve", {"comment": ""})
    etag = reporter.get(path)["ETag"]
    assert error(reporter.patch(path, {"value": 4}, etag), 403)["code"] == "forbidden"


def test_a_coordinator_may_report_for_another_partner(world: World, fw: Framework) -> None:
    response = report(
        world, Caller(world.coordinator), fw.housed, value=2, partner_id=world.ngo_a.pk
    )
    assert response.status_code == 201, response.content
    assert response.json()["partner_id"] == world.ngo_a.pk


def test_posting_again_changes_the_draft(world: World, fw: Framework) -> None:
    reporter = Caller(world.reporter)
    first = report(world, reporter, fw.housed, value=1)
    again = report(world, reporter, fw.housed, value=2, note="Recounted.")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert (again.json()["value"], again.json()["note"]) == ("2", "Recounted.")


# --- refusals name their fields ----------------------------------------------------------------


@pytest.mark.parametrize(
    "indicator,fields,field",
    [
        ("housed", {"value": "about forty"}, "value"),
        ("housed", {"text_value": "Many people"}, "text_value"),
        ("rate", {"value": 120}, "value"),
        ("housed", {"breakdown": {"sex=unknown": 3}}, "breakdown"),
        ("housed", {"breakdown": {"female": 3}}, "breakdown"),
        ("housed", {"breakdown": {"age=15-24": 3}}, "breakdown"),
        ("housed", {"value": 10, "breakdown": {"sex=female": 6, "sex=male": 3}}, "value"),
        ("housed", {"period": "2025-05", "value": 1}, "period"),
        ("housed", {"period": "Q2", "value": 1}, "period"),
        ("housed", {"period": "2029-Q1", "value": 1}, "period"),
        ("housed", {"value": 1, "evidence_url": "not a link"}, "evidence_url"),
        ("housed", {}, "value"),
    ],
)
def test_a_wrong_value_is_refused_naming_its_field(
    world: World, fw: Framework, indicator: str, fields: dict[str, Any], field: str
) -> None:
    response = report(world, Caller(world.reporter), getattr(fw, indicator), **fields)
    body = error(response, 400)
    assert body["code"] == "invalid"
    assert field in body["fields"], body
    assert not Result.objects.exists()


def test_messages_say_what_is_wrong(world: World, fw: Framework) -> None:
    reporter = Caller(world.reporter)
    body = error(report(world, reporter, fw.housed, period="2025-05", value=1), 400)
    assert "quarterly" in body["fields"]["period"][0]
    body = error(report(world, reporter, fw.housed, period="2029-Q1", value=1), 400)
    assert "outside the partnership's dates" in body["fields"]["period"][0]
    body = error(report(world, reporter, fw.housed, breakdown={"sex=unknown": 3}), 400)
    assert "not an allowed sex" in body["fields"]["breakdown"][0]
    body = error(report(world, reporter, fw.rate, value=120), 400)
    assert "between 0 and 100" in body["fields"]["value"][0]


def test_a_combination_given_twice_is_refused(world: World, fw: Framework) -> None:
    twice = [
        {"dimensions": {"sex": "female"}, "value": 3},
        {"dimensions": {"sex": "female"}, "value": 4},
    ]
    body = error(report(world, Caller(world.reporter), fw.housed, breakdown=twice), 400)
    assert "breakdown" in body["fields"]


def test_an_unknown_indicator_or_partner_is_a_field_error(world: World, fw: Framework) -> None:
    reporter = Caller(world.reporter)
    body = error(report(world, reporter, fw.b_indicator, value=1), 400)
    assert list(body["fields"]) == ["indicator_id"]
    other_partner = world.b.partners.first()
    assert other_partner is not None
    body = error(report(world, reporter, fw.housed, value=1, partner_id=other_partner.pk), 400)
    assert list(body["fields"]) == ["partner_id"]


def test_exact_decimal_strings_are_accepted(world: World, fw: Framework) -> None:
    response = report(world, Caller(world.reporter), fw.rate, value="66.6667")
    assert response.status_code == 201, response.content
    assert response.json()["value"] == "66.6667"


# --- listing and commenting --------------------------------------------------------------------


def test_results_are_filtered_by_status_period_partner_and_indicator(
    world: World, fw: Framework
) -> None:
    reporter, editor = Caller(world.reporter), Caller(world.editor)
    mine = report(world, reporter, fw.housed, value=1).json()
    report(world, reporter, fw.housed, period="2025-Q3", value=2)
    report(world, editor, fw.rate, value=50)
    reporter.post(a_path(world, f"/results/{mine['id']}/submit"))
    coordinator = Caller(world.coordinator)

    def ids(query: str) -> list[int]:
        body = coordinator.get(a_path(world, f"/results?{query}")).json()
        return [item["id"] for item in body["items"]]

    assert len(ids("")) == 3
    assert ids("status=submitted") == [mine["id"]]
    assert ids(f"period=2025-Q2&indicator_id={fw.housed.pk}") == [mine["id"]]
    assert len(ids(f"partner_id={world.lead_a.pk}")) == 1
    page = coordinator.get(a_path(world, "/results?limit=2&offset=2")).json()
    assert (page["count"], len(page["items"])) == (3, 1)
    bad = coordinator.get(a_path(world, "/results?status=lost"))
    assert "status" in error(bad, 400)["fields"]
    assert "period" in error(coordinator.get(a_path(world, "/results?period=Q5")), 400)["fields"]


def test_anyone_with_access_can_comment_on_a_result(world: World, fw: Framework) -> None:
    reporter = Caller(world.reporter)
    result = report(world, reporter, fw.housed, value=1).json()
    reporter.post(a_path(world, f"/results/{result['id']}/submit"))
    Caller(world.coordinator).post(a_path(world, f"/results/{result['id']}/approve"), {})
    path = a_path(world, f"/results/{result['id']}/comments")
    viewer = Caller(world.viewer)
    created = viewer.post(path, {"body": "Does this include the night shelter?"})
    assert created.status_code == 201, created.content
    assert created.json()["author"]["id"] == world.viewer.pk
    assert "body" in error(viewer.post(path, {"body": " "}), 400)["fields"]
    listed = Caller(world.coordinator).get(path).json()
    assert listed["count"] == 1
    assert listed["items"][0]["body"] == "Does this include the night shelter?"


# --- the framework ------------------------------------------------------------------------------


def test_objectives_show_level_iati_type_sdg_targets_and_rollup(
    world: World, fw: Framework
) -> None:
    coordinator = Caller(world.coordinator)
    body = coordinator.get(a_path(world, "/objectives")).json()
    assert body["count"] == 2
    impact = next(item for item in body["items"] if item["id"] == fw.impact.pk)
    assert (impact["level"], impact["iati_result_type"], impact["parent_id"]) == (
        "impact",
        "3",
        None,
    )
    assert impact["sdg_targets"] == ["11.1"]
    assert (impact["status"], impact["status_label"]) == ("not_started", "Not started")
    assert impact["weight"] == "1"


def test_objectives_are_created_changed_and_deleted(world: World, fw: Framework) -> None:
    editor = Caller(world.editor)
    created = editor.post(
        a_path(world, "/objectives"),
        {
            "level": "output",
            "title": "Beds opened",
            "parent_id": fw.outcome.pk,
            "responsible_partner_ids": [world.ngo_a.pk],
            "weight": 2,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["iati_result_type"], body["responsible_partner_ids"], body["weight"]) == (
        "1",
        [world.ngo_a.pk],
        "2",
    )
    path = a_path(world, f"/objectives/{body['id']}")
    etag = editor.get(path)["ETag"]
    changed = editor.patch(
        path, {"title": "Beds opened and kept", "responsible_partner_ids": []}, etag
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["title"], changed.json()["responsible_partner_ids"]) == (
        "Beds opened and kept",
        [],
    )
    assert editor.delete(path).status_code == 204
    assert not Objective.objects.filter(pk=body["id"]).exists()


def test_an_objective_in_use_is_not_deleted(world: World, fw: Framework) -> None:
    response = Caller(world.coordinator).delete(a_path(world, f"/objectives/{fw.outcome.pk}"))
    assert error(response, 409)["code"] == "objective_in_use"


def test_an_output_cannot_sit_above_an_outcome(world: World, fw: Framework) -> None:
    response = Caller(world.coordinator).post(
        a_path(world, "/objectives"),
        {"level": "impact", "title": "Upside down", "parent_id": fw.outcome.pk},
    )
    assert "parent_id" in error(response, 400)["fields"]


def test_a_viewer_cannot_change_the_framework(world: World, fw: Framework) -> None:
    viewer = Caller(world.viewer)
    response = viewer.post(a_path(world, "/objectives"), {"level": "impact", "title": "Mine"})
    assert error(response, 403)["code"] == "forbidden"


def test_dimensions_are_defined_and_changed(world: World, fw: Framework) -> None:
    coordinator = Caller(world.coordinator)
    created = coordinator.post(
        a_path(world, "/dimensions"), {"name": "age", "values": ["0-14", "15-24", "25+"]}
    )
    assert created.status_code == 201, created.content
    path = a_path(world, f"/dimensions/{created.json()['id']}")
    changed = coordinator.patch(path, {"values": ["0-17", "18+"]}, created["ETag"])
    assert changed.json()["values"] == ["0-17", "18+"]
    duplicate = coordinator.post(a_path(world, "/dimensions"), {"name": "Sex", "values": ["x"]})
    assert "name" in error(duplicate, 400)["fields"]
    assert (
        "values"
        in error(coordinator.post(a_path(world, "/dimensions"), {"name": "k"}), 400)["fields"]
    )
    assert coordinator.get(a_path(world, "/dimensions")).json()["count"] == 2


def test_indicator_shows_measure_dimensions_targets_and_progress(
    world: World, fw: Framework
) -> None:
    response = Caller(world.viewer).get(a_path(world, f"/indicators/{fw.housed.pk}"))
    assert response.status_code == 200
    assert response["ETag"] == f'"v{fw.housed.version}"'
    body = response.json()
    assert (body["measure"], body["measure_label"]) == ("1", "Unit")
    assert body["dimensions"] == [
        {"id": fw.sex.pk, "name": "sex", "values": ["female", "male"], "version": 1}
    ]
    assert (body["baseline_value"], body["target_value"], body["target_date"]) == (
        "0",
        "100",
        "2027-12-31",
    )
    assert body["responsible_partner_id"] == world.ngo_a.pk
    assert body["progress"] == {
        "value_to_date": None,
        "percent": None,
        "status": "not_started",
        "status_label": "Not started",
        "last_period_end": None,
    }


def test_indicators_are_created_and_listed_by_objective(world: World, fw: Framework) -> None:
    editor = Caller(world.editor)
    created = editor.post(
        a_path(world, "/indicators"),
        {
            "objective_id": fw.outcome.pk,
            "title": "Unemployment rate",
            "measure": "2",
            "direction": "decrease",
            "aggregation": "latest",
            "baseline_value": "12",
            "baseline_date": "2025-01-01",
            "target_value": 8,
            "target_date": "2027-12-31",
            "dimension_ids": [fw.sex.pk],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["direction"], body["baseline_value"], body["target_value"]) == (
        "decrease",
        "12",
        "8",
    )
    listed = editor.get(a_path(world, f"/indicators?objective_id={fw.outcome.pk}")).json()
    assert listed["count"] == 3
    wrong = editor.post(
        a_path(world, "/indicators"),
        {"objective_id": fw.outcome.pk, "title": "Rate", "measure": "2", "target_value": 140},
    )
    assert {"target_value", "aggregation"} <= set(error(wrong, 400)["fields"])
    elsewhere = editor.post(a_path(world, "/indicators"), {"objective_id": 999999, "title": "X"})
    assert list(error(elsewhere, 400)["fields"]) == ["objective_id"]


def test_patching_an_indicator_needs_a_current_if_match(world: World, fw: Framework) -> None:
    coordinator = Caller(world.coordinator)
    path = a_path(world, f"/indicators/{fw.housed.pk}")
    missing = coordinator.patch(path, {"title": "Housed people"})
    assert error(missing, 428)["code"] == "precondition_required"
    etag = coordinator.get(path)["ETag"]
    changed = coordinator.patch(path, {"title": "Housed people"}, etag)
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] != etag
    stale = coordinator.patch(path, {"title": "Someone else's"}, etag)
    assert error(stale, 412)["code"] == "precondition_failed"
    fw.housed.refresh_from_db()
    assert fw.housed.title == "Housed people"


def test_the_end_target_changes_only_through_a_revision(world: World, fw: Framework) -> None:
    coordinator = Caller(world.coordinator)
    path = a_path(world, f"/indicators/{fw.housed.pk}")
    etag = coordinator.get(path)["ETag"]
    assert (
        "target_value" in error(coordinator.patch(path, {"target_value": 90}, etag), 400)["fields"]
    )


def test_a_target_revision_keeps_the_history(world: World, fw: Framework) -> None:
    coordinator = Caller(world.coordinator)
    path = a_path(world, f"/indicators/{fw.housed.pk}")
    etag = coordinator.get(path)["ETag"]
    revision = {"value": 80, "reason": "budget_change", "reason_text": "Grant cut by a fifth."}
    missing = coordinator.post(path + "/target-revisions", revision)
    assert error(missing, 428)["code"] == "precondition_required"
    revised = coordinator.post(path + "/target-revisions", revision, etag)
    assert revised.status_code == 201, revised.content
    again = coordinator.post(path + "/target-revisions", {**revision, "value": 70}, etag)
    assert error(again, 412)["code"] == "precondition_failed"

    history = Caller(world.viewer).get(path + "/target-revisions").json()
    assert history["count"] == 1
    [entry] = history["items"]
    assert (entry["old_value"], entry["new_value"], entry["period"]) == ("100", "80", None)
    assert (entry["reason"], entry["reason_label"]) == ("budget_change", "Budget change")
    assert entry["reason_text"] == "Grant cut by a fifth."
    assert entry["revised_by"] == {"id": world.coordinator.pk, "name": world.coordinator.full_name}
    assert coordinator.get(path).json()["target_value"] == "80"


def test_a_revision_for_another_reason_needs_its_text(world: World, fw: Framework) -> None:
    coordinator = Caller(world.coordinator)
    path = a_path(world, f"/indicators/{fw.housed.pk}")
    etag = coordinator.get(path)["ETag"]
    response = coordinator.post(path + "/target-revisions", {"value": 80, "reason": "other"}, etag)
    assert list(error(response, 400)["fields"]) == ["reason_text"]
    response = coordinator.post(path + "/target-revisions", {"value": 80, "reason": "whim"}, etag)
    assert "reason" in error(response, 400)["fields"]
    assert not TargetRevision.objects.exists()


def test_a_revision_keeps_targets_numeric_and_after_the_baseline(
    world: World, fw: Framework
) -> None:
    coordinator = Caller(world.coordinator)
    path = a_path(world, f"/indicators/{fw.housed.pk}")
    early = {"value": 80, "target_date": "2024-12-31", "reason": "budget_change"}
    response = coordinator.post(path + "/target-revisions", early, coordinator.get(path)["ETag"])
    assert list(error(response, 400)["fields"]) == ["target_date"]
    stories = framework.indicator_create(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, fw.outcome.partnership_id),
        objective=fw.outcome,
        data={"title": "Stories", "measure": "5"},
    )
    path = a_path(world, f"/indicators/{stories.pk}")
    number = {"value": 3, "reason": "budget_change"}
    response = coordinator.post(path + "/target-revisions", number, coordinator.get(path)["ETag"])
    assert list(error(response, 400)["fields"]) == ["target_value"]
    assert not TargetRevision.objects.exists()


def test_period_targets_are_set_and_revised_with_a_reason(world: World, fw: Framework) -> None:
    coordinator = Caller(world.coordinator)
    path = a_path(world, f"/indicators/{fw.housed.pk}")
    first = coordinator.put(path + "/period-targets/2025-Q2", {"value": 10})
    assert first.status_code == 200, first.content
    assert (first.json()["period"], first.json()["value"]) == ("2025-Q2", "10")
    unexplained = coordinator.put(path + "/period-targets/2025-Q2", {"value": 8})
    assert "reason" in error(unexplained, 400)["fields"]
    revised = coordinator.put(
        path + "/period-targets/2025-Q2", {"value": 8, "reason": "implementation_delay"}
    )
    assert revised.json()["value"] == "8"
    [entry] = coordinator.get(path + "/target-revisions").json()["items"]
    assert (entry["period"], entry["old_value"], entry["new_value"]) == ("2025-Q2", "10", "8")
    assert coordinator.get(path).json()["period_targets"][0]["value"] == "8"
    wrong = coordinator.put(path + "/period-targets/2025-06", {"value": 8})
    assert "period" in error(wrong, 400)["fields"]


def test_an_indicator_is_copied_from_a_partnership_where_the_caller_has_a_seat(
    world: World, fw: Framework
) -> None:
    coordinator = Caller(world.coordinator)
    payload = {"source_indicator_id": fw.b_indicator.pk, "objective_id": fw.outcome.pk}
    assert error(coordinator.post(a_path(world, "/indicators/copy"), payload), 404)
    assert not Indicator.objects.filter(partnership=world.a, title__startswith="Hectares").exists()

    b_partner = world.b.partners.get()
    seat_create(
        actor=world.other_coordinator,
        partnership=world.b,
        user=world.coordinator,
        partner=b_partner,
        role="viewer",
    )
    copied = coordinator.post(a_path(world, "/indicators/copy"), payload)
    assert copied.status_code == 201, copied.content
    body = copied.json()
    assert (body["title"], body["unit"], body["definition"]) == (
        "Hectares of dune replanted",
        "ha",
        "Planted.",
    )
    assert (body["objective_id"], body["target_value"]) == (fw.outcome.pk, None)


def test_an_indicator_starts_from_the_sdg_list(world: World, fw: Framework) -> None:
    coordinator = Caller(world.coordinator)
    created = coordinator.post(
        a_path(world, "/indicators/from-sdg"), {"code": "11.1.1", "objective_id": fw.outcome.pk}
    )
    assert created.status_code == 201, created.content
    assert created.json()["sdg_indicator"] == "11.1.1"
    assert "slums" in created.json()["title"]
    unknown = coordinator.post(
        a_path(world, "/indicators/from-sdg"), {"code": "99.9.9", "objective_id": fw.outcome.pk}
    )
    assert list(error(unknown, 400)["fields"]) == ["code"]


def test_smart_check_lists_what_is_missing(world: World, fw: Framework) -> None:
    body = Caller(world.viewer).get(a_path(world, "/smart-check")).json()
    kinds = {(item["kind"], item["indicator_id"]) for item in body["items"]}
    assert ("no_target", fw.rate.pk) in kinds
    assert ("no_responsible_partner", fw.rate.pk) in kinds
    assert not {kind for kind, indicator in kinds if indicator == fw.housed.pk}
    [rate_issue] = [i for i in body["items"] if i["kind"] == "no_target"]
    assert rate_issue["objective_id"] == fw.outcome.pk
    assert "Share of shelter beds used" in rate_issue["message"]


# --- SDG search ---------------------------------------------------------------------------------


def test_sdg_targets_and_indicators_are_searchable(world: World) -> None:
    caller = Caller(world.outsider)  # signed in is enough: it is public reference data
    targets = caller.get("/sdg/targets?q=11.1").json()
    assert targets["items"][0] == {
        "code": "11.1",
        "title": targets["items"][0]["title"],
    }
    assert all(item["code"].startswith("11.1") for item in targets["items"])
    indicators = caller.get("/sdg/indicators?q=slums").json()
    assert "11.1.1" in [item["code"] for item in indicators["items"]]
    assert indicators["items"][0]["target"]
    assert caller.get("/sdg/targets").json()["count"] == 169
    assert caller.get("/sdg/indicators?q=no+such+words+anywhere").json() == {
        "items": [],
        "count": 0,
    }
    assert error(Client().get(API + "/sdg/targets?q=11"), 401)["code"] == "not_authenticated"


# --- isolation ------------------------------------------------------------------------------------


def test_an_outsider_finds_nothing(world: World, fw: Framework) -> None:
    result = report(world, Caller(world.reporter), fw.housed, value=1).json()
    for user in (world.outsider, world.other_coordinator, world.site_admin):
        caller = Caller(user)
        for path in (
            "/objectives",
            f"/objectives/{fw.outcome.pk}",
            f"/indicators/{fw.housed.pk}",
            f"/indicators/{fw.housed.pk}/target-revisions",
            "/results",
            f"/results/{result['id']}",
            f"/results/{result['id']}/comments",
            "/progress",
            "/smart-check",
        ):
            assert error(caller.get(a_path(world, path)), 404)["code"] == "not_found", path
        comment = caller.post(a_path(world, f"/results/{result['id']}/comments"), {"body": "Hi"})
        assert error(comment, 404)["code"] == "not_found"


def test_objects_of_another_partnership_are_not_found_through_mine(
    world: World, fw: Framework
) -> None:
    coordinator = Caller(world.coordinator)
    assert error(coordinator.get(a_path(world, f"/indicators/{fw.b_indicator.pk}")), 404)
    b_objective = fw.b_indicator.objective_id
    assert error(coordinator.get(a_path(world, f"/objectives/{b_objective}")), 404)
    other = Caller(world.other_coordinator)
    own = other.get(f"/partnerships/{world.b.pk}/indicators").json()
    assert [item["id"] for item in own["items"]] == [fw.b_indicator.pk]
