"""The evaluation API: the same services as the pages; these tests check the shapes, the status
codes (201, 400 naming rows, 403, 404, 409) and who may do what."""

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from commonground.core.models import AuditEvent
from commonground.results.models import EvaluationSession, Recommendation

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def _late_2026():
    with time_machine.travel(dt.datetime(2026, 10, 15, 9, tzinfo=dt.UTC), tick=True):
        yield


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, path: str, data: Any = None) -> Any:
    body = "" if data is None else json.dumps(data)
    return client.post(API + path, body, content_type="application/json")


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "fields"}
    return body


def _payload(world, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Mid-term review",
        "held_on": "2026-06-30",
        "participants": "City, Shelter Network",
        "findings": [
            {"criterion": "sustainability", "finding": "Funding ends in 2027."},
            {
                "criterion": "relevance",
                "finding": "The need has grown.",
                "evidence_url": "https://example.org/count.pdf",
            },
        ],
        "recommendations": [
            {"text": "Open ten more beds.", "owner_id": world.ngo_a.pk, "due_date": "2026-09-30"},
            {
                "text": "Find a second funder.",
                "owner_id": world.lead_a.pk,
                "due_date": "2027-03-31",
            },
        ],
    }
    data.update(overrides)
    return data


def _create(world) -> dict[str, Any]:
    response = _post(
        _client(world.coordinator), f"/partnerships/{world.a.pk}/evaluations", _payload(world)
    )
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def test_create_returns_the_session_with_findings_in_dac_order_and_recommendations(world):
    body = _create(world)
    assert body["title"] == "Mid-term review" and body["held_on"] == "2026-06-30"
    assert [f["criterion"] for f in body["findings"]] == ["relevance", "sustainability"]
    assert body["findings"][0]["criterion_label"] == "Relevance"
    assert body["findings"][0]["evidence_url"] == "https://example.org/count.pdf"
    beds, funder = body["recommendations"]
    assert beds["owner_name"] == "Shelter Network" and beds["evaluation_id"] == body["id"]
    assert (beds["done"], beds["overdue"]) == (False, True)
    assert (funder["due_date"], funder["overdue"]) == ("2027-03-31", False)
    assert body["created_by"]["id"] == world.coordinator.pk
    assert AuditEvent.objects.filter(action="evaluation.create").count() == 1
    got = _client(world.viewer).get(f"{API}/partnerships/{world.a.pk}/evaluations/{body['id']}")
    assert got.status_code == 200 and got.json() == body


def test_refusals_name_the_rows_from_one(world):
    payload = _payload(world)
    payload["findings"][1]["criterion"] = "popularity"
    payload["recommendations"][0]["owner_id"] = 999_999
    payload["recommendations"][1]["text"] = ""
    response = _post(_client(world.editor), f"/partnerships/{world.a.pk}/evaluations", payload)
    body = _error(response, 400)
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {
        "findings.2.criterion",
        "recommendations.1.owner_id",
        "recommendations.2.text",
    }
    assert not EvaluationSession.objects.exists()


def test_the_list_is_newest_first_with_counts(world):
    _create(world)
    client = _client(world.coordinator)
    later = _payload(world, title="Annual review", held_on="2026-09-15", findings=[])
    later["recommendations"] = later["recommendations"][1:]
    assert _post(client, f"/partnerships/{world.a.pk}/evaluations", later).status_code == 201
    body = _client(world.reporter).get(f"{API}/partnerships/{world.a.pk}/evaluations").json()
    assert body["count"] == 2
    newest, older = body["items"]
    assert (newest["title"], newest["finding_count"], newest["open_recommendations"]) == (
        "Annual review",
        0,
        1,
    )
    assert (older["finding_count"], older["recommendation_count"]) == (2, 2)
    assert (older["open_recommendations"], older["overdue_recommendations"]) == (2, 1)


def test_a_recommendation_is_marked_done_once(world):
    beds = _create(world)["recommendations"][0]
    path = f"/partnerships/{world.a.pk}/recommendations/{beds['id']}/complete"
    reporter = _client(world.reporter)  # the owner's reporter
    done = _post(reporter, path)
    assert done.status_code == 200, done.content
    assert done.json()["done"] is True and done.json()["overdue"] is False
    again = _error(_post(reporter, path), 409)
    assert again["code"] == "already_done"
    event = AuditEvent.objects.get(action="recommendation.complete")
    assert event.actor_id == world.reporter.pk and event.object_id == str(beds["id"])


def test_who_may_mark_a_recommendation_done(world):
    funder = _create(world)["recommendations"][1]  # owned by the city
    path = f"/partnerships/{world.a.pk}/recommendations/{funder['id']}/complete"
    assert _error(_post(_client(world.reporter), path), 403)["code"] == "forbidden"
    assert _error(_post(_client(world.viewer), path), 403)["code"] == "forbidden"
    assert _error(_post(_client(world.outsider), path), 404)["code"] == "not_found"
    other = f"/partnerships/{world.b.pk}/recommendations/{funder['id']}/complete"
    assert _error(_post(_client(world.other_coordinator), other), 404)["code"] == "not_found"
    assert Recommendation.objects.get(pk=funder["id"]).done_at is None
    assert _post(_client(world.editor), path).status_code == 200


def test_a_done_recommendation_is_marked_open_again_by_who_may_mark_it(world):
    beds, funder = _create(world)["recommendations"]
    base = f"/partnerships/{world.a.pk}/recommendations"
    coordinator, reporter = _client(world.coordinator), _client(world.reporter)
    assert _error(_post(reporter, f"{base}/{beds['id']}/reopen"), 409)["code"] == "not_done"
    for item in (beds, funder):
        assert _post(coordinator, f"{base}/{item['id']}/complete").status_code == 200
    assert _error(_post(reporter, f"{base}/{funder['id']}/reopen"), 403)["code"] == "forbidden"
    assert _error(_post(_client(world.viewer), f"{base}/{beds['id']}/reopen"), 403)
    assert _error(_post(_client(world.outsider), f"{base}/{beds['id']}/reopen"), 404)
    reopened = _post(reporter, f"{base}/{beds['id']}/reopen")
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["done"] is False
    assert Recommendation.objects.get(pk=beds["id"]).done_at is None
    assert Recommendation.objects.get(pk=funder["id"]).done_at is not None
    event = AuditEvent.objects.get(action="recommendation.reopen")
    assert event.actor_id == world.reporter.pk and event.object_id == str(beds["id"])


def test_outsiders_and_viewers_cannot_record_or_read_what_they_may_not(world):
    session = _create(world)
    path = f"/partnerships/{world.a.pk}/evaluations"
    assert _error(_post(_client(world.viewer), path, _payload(world)), 403)["code"] == "forbidden"
    outsider = _client(world.outsider)
    assert _error(_post(outsider, path, _payload(world)), 404)["code"] == "not_found"
    assert outsider.get(f"{API}{path}").status_code == 404
    assert outsider.get(f"{API}{path}/{session['id']}").status_code == 404
    b_path = f"{API}/partnerships/{world.b.pk}/evaluations/{session['id']}"
    assert _client(world.other_coordinator).get(b_path).status_code == 404
    assert EvaluationSession.objects.count() == 1
