"""The evaluation pages: recording a session with repeatable rows (without JavaScript), refusals
shown on the row they concern, the session page by DAC criterion, marking recommendations done,
and who sees what."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from commonground.core.models import AuditEvent
from commonground.partnerships.access import seat_of
from commonground.results.models import EvaluationSession, Recommendation
from commonground.results.services.evaluation import evaluation_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _late_2026():
    """Seen on 15 October 2026: a recommendation due on 30 September is overdue."""
    with time_machine.travel(dt.datetime(2026, 10, 15, 9, tzinfo=dt.UTC), tick=True):
        yield


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _errors_on(response, input_id: str) -> list[str]:
    """The messages listed with an input (tied to it by aria-describedby)."""
    html = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="{input_id}_error">(.*?)</ul>', html, re.S)
    if not match:
        return []
    described = re.search(rf'<[^>]*aria-describedby="[^"]*{input_id}_error[^"]*"[^>]*>', html)
    assert described, f"{input_id} is not described by its errors"
    return [
        re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", match[1])
    ]


def _urls(world):
    a = world.a.pk
    return {
        "list": reverse("results:evaluations", args=[a]),
        "new": reverse("results:evaluation_create", args=[a]),
    }


def _form(world, **extra) -> dict[str, str]:
    """What a browser posts for a new session: six finding rows, two recommendation rows."""
    data = {
        "title": "Mid-term review",
        "held_on": "2026-06-30",
        "participants": "City, Shelter Network, residents' panel",
        "finding_rows": "6",
        "recommendation_rows": "2",
    }
    criteria = ["relevance", "coherence", "effectiveness", "efficiency", "impact", "sustainability"]
    for number, criterion in enumerate(criteria, start=1):
        data[f"findings-{number}-criterion"] = criterion
        data[f"findings-{number}-finding"] = ""
        data[f"findings-{number}-evidence_url"] = ""
    for number in (1, 2):
        for name in ("text", "owner_id", "due_date"):
            data[f"recommendations-{number}-{name}"] = ""
    data.update(extra)
    return data


def _session(world, *recommendations) -> EvaluationSession:
    return evaluation_create(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, world.a.pk),
        data={
            "title": "Mid-term review",
            "held_on": "2026-06-30",
            "findings": [
                {
                    "criterion": "effectiveness",
                    "finding": "Outreach reaches every ward.",
                    "evidence_url": "https://example.org/outreach.pdf",
                }
            ],
            "recommendations": list(recommendations),
        },
    )


def _recommendation(owner, due="2026-09-30", text="Open ten more beds."):
    return {"text": text, "owner_id": owner.pk, "due_date": due}


def test_a_coordinator_records_a_session_with_findings_and_recommendations(world):
    client = _client(world.coordinator)
    new = client.get(_urls(world)["new"])
    assert new.status_code == 200
    page = new.content.decode()
    # One row per DAC criterion to start with, each a fieldset with a legend.
    assert page.count('<fieldset class="form-section evaluation-row"') == 8
    assert "<legend>Finding 6</legend>" in page and "<legend>Recommendation 2</legend>" in page
    response = client.post(
        _urls(world)["new"],
        _form(
            world,
            **{
                "findings-1-finding": "The need is greater than in 2024.",
                "findings-3-finding": "Outreach reaches every ward.",
                "findings-3-evidence_url": "https://example.org/outreach.pdf",
                # row 1 left blank: the second row is the one that counts
                "recommendations-2-text": "Secure funding beyond 2027.",
                "recommendations-2-owner_id": str(world.lead_a.pk),
                "recommendations-2-due_date": "2026-12-31",
            },
        ),
    )
    session = EvaluationSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("results:evaluation", args=[world.a.pk, session.pk])
    assert sorted(session.findings.values_list("criterion", flat=True)) == [
        "effectiveness",
        "relevance",
    ]
    recommendation = session.recommendations.get()
    assert (recommendation.owner, str(recommendation.due_date)) == (world.lead_a, "2026-12-31")
    event = AuditEvent.objects.filter(action="evaluation.create").get()
    assert event.actor_id == world.coordinator.pk and event.partnership_id == world.a.pk
    detail = _text(client.get(response["Location"]))
    assert "Evaluation session “Mid-term review” recorded." in detail
    assert "Relevance The need is greater than in 2024." in detail
    assert (
        "Effectiveness Outreach reaches every ward. Evidence: https://example.org/outreach.pdf"
        in (detail)
    )
    assert "No finding recorded for sustainability." in detail
    assert "Secure funding beyond 2027. City of Testville 31 December 2026 Open" in detail


def test_refusals_are_shown_next_to_the_input_of_the_right_row(world):
    client = _client(world.coordinator)
    response = client.post(
        _urls(world)["new"],
        _form(
            world,
            title="",
            **{
                "findings-2-finding": "Overlaps with the county's programme.",
                "findings-2-evidence_url": "the minutes",
                "findings-4-evidence_url": "https://example.org/costs.xlsx",
                "recommendations-2-text": "Agree who funds the day centre.",
                "recommendations-2-due_date": "2026-12-31",
            },
        ),
    )
    assert response.status_code == 200
    assert not EvaluationSession.objects.exists()
    assert _errors_on(response, "id_title") == ["Give a title."]
    assert _errors_on(response, "id_findings-2-evidence_url") == [
        "Give a full web address starting with https://."
    ]
    assert _errors_on(response, "id_findings-4-finding") == ["Give the finding."]
    assert _errors_on(response, "id_recommendations-2-owner_id") == [
        "Choose a partner of this partnership as owner."
    ]
    # Blank rows and the rows without fault show nothing.
    for quiet in ("id_findings-1-finding", "id_findings-2-finding", "id_recommendations-1-text"):
        assert _errors_on(response, quiet) == []
    page = response.content.decode()
    # What was typed stays, and the summary at the top links to each input.
    assert "Overlaps with the county&#x27;s programme." in page
    assert '<a href="#id_recommendations-2-owner_id">Recommendation 2, Owner: Choose a partner' in (
        page
    )


def test_add_another_row_keeps_what_was_typed_and_saves_nothing(world):
    client = _client(world.coordinator)
    response = client.post(
        _urls(world)["new"],
        _form(world, add="recommendations", **{"recommendations-1-text": "Keep this text."}),
    )
    assert response.status_code == 200
    assert not EvaluationSession.objects.exists()
    page = response.content.decode()
    assert "<legend>Recommendation 3</legend>" in page
    assert 'name="recommendation_rows" value="3"' in page
    assert "Keep this text." in page
    # The new row's first input takes the focus when the page loads: no script needed.
    assert re.search(r'<textarea name="recommendations-3-text"[^>]*autofocus', page)
    assert 'class="errorlist"' not in page


def test_the_list_shows_sessions_newest_first_with_open_and_overdue_counts(world):
    _session(world)
    newer = evaluation_create(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, world.a.pk),
        data={
            "title": "Annual review 2026",
            "held_on": "2026-09-01",
            "recommendations": [
                _recommendation(world.ngo_a, due="2026-09-30"),
                _recommendation(world.lead_a, due="2026-12-31"),
            ],
        },
    )
    assert newer.pk
    text = _text(_client(world.viewer).get(_urls(world)["list"]))
    assert text.index("Annual review 2026") < text.index("Mid-term review")
    assert "Annual review 2026 1 September 2026 0 2 2 1 overdue" in text
    assert "Mid-term review 30 June 2026 1 0 0 None" in text
    assert "Record an evaluation session" not in text  # viewers read only


def test_the_results_navigation_links_to_the_evaluations(world):
    page = _client(world.viewer).get(reverse("results:framework", args=[world.a.pk]))
    assert f'href="{_urls(world)["list"]}"' in page.content.decode()


def test_overdue_recommendations_say_so_and_done_ones_say_who_and_when(world):
    session = _session(
        world,
        _recommendation(world.ngo_a, due="2026-09-30", text="Open ten more beds."),
        _recommendation(world.lead_a, due="2026-12-31", text="Publish the case list."),
        _recommendation(world.lead_a, due="2026-08-31", text="Hire a housing worker."),
    )
    hire = session.recommendations.get(text="Hire a housing worker.")
    client = _client(world.coordinator)
    client.post(reverse("results:recommendation_complete", args=[world.a.pk, hire.pk]))
    text = _text(client.get(reverse("results:evaluation", args=[world.a.pk, session.pk])))
    assert "Open ten more beds. Shelter Network 30 September 2026 Overdue" in text
    assert "Publish the case list. City of Testville 31 December 2026 Open" in text
    assert (
        "Hire a housing worker. City of Testville 31 August 2026"
        " Done on 15 October 2026 by Coordinator" in text
    )
    assert "2 of 3 still open, 1 of them past the due date." in text


def test_a_reporter_marks_their_organisations_recommendation_done_once(world):
    session = _session(
        world, _recommendation(world.ngo_a), _recommendation(world.lead_a, text="City's task.")
    )
    own = session.recommendations.get(owner=world.ngo_a)
    city = session.recommendations.get(owner=world.lead_a)
    client = _client(world.reporter)
    detail = reverse("results:evaluation", args=[world.a.pk, session.pk])
    page = client.get(detail).content.decode()
    own_url = reverse("results:recommendation_complete", args=[world.a.pk, own.pk])
    city_url = reverse("results:recommendation_complete", args=[world.a.pk, city.pk])
    assert f'action="{own_url}"' in page and f'action="{city_url}"' not in page

    done = client.post(own_url, follow=True)
    assert done.redirect_chain[-1][0] == f"{detail}#recommendation-{own.pk}"
    assert "Marked done: “Open ten more beds.”." in _text(done)
    again = client.post(own_url, follow=True)
    assert "This recommendation is already done." in _text(again)
    assert AuditEvent.objects.filter(action="recommendation.complete").count() == 1

    activity = _text(_client(world.viewer).get(reverse("partnerships:activity", args=[world.a.pk])))
    assert "Marked a recommendation done" in activity
    assert "Recorded an evaluation session" in activity

    refused = client.post(city_url, follow=True)
    assert "You mark done or open only the recommendations your own organisation owns." in _text(
        refused
    )
    city.refresh_from_db()
    assert city.done_at is None


def test_a_recommendation_marked_done_by_mistake_is_opened_again(world):
    session = _session(
        world, _recommendation(world.ngo_a), _recommendation(world.lead_a, text="City's task.")
    )
    own = session.recommendations.get(owner=world.ngo_a)
    city = session.recommendations.get(owner=world.lead_a)
    detail = reverse("results:evaluation", args=[world.a.pk, session.pk])
    reporter, coordinator = _client(world.reporter), _client(world.coordinator)
    for recommendation in (own, city):
        coordinator.post(
            reverse("results:recommendation_complete", args=[world.a.pk, recommendation.pk])
        )
    own_url = reverse("results:recommendation_reopen", args=[world.a.pk, own.pk])
    city_url = reverse("results:recommendation_reopen", args=[world.a.pk, city.pk])
    page = reporter.get(detail).content.decode()
    assert f'action="{own_url}"' in page and f'action="{city_url}"' not in page

    reopened = reporter.post(own_url, follow=True)
    assert "Marked open again: “Open ten more beds.”." in _text(reopened)
    own.refresh_from_db()
    assert own.done_at is None
    event = AuditEvent.objects.get(action="recommendation.reopen")
    assert event.actor == world.reporter and event.changes["done_at"][1] is None
    again = reporter.post(own_url, follow=True)
    assert "This recommendation is not done." in _text(again)
    refused = reporter.post(city_url, follow=True)
    assert "only the recommendations your own organisation owns" in _text(refused)
    city.refresh_from_db()
    assert city.done_at is not None

    # Done again later: the page names who marked it done last.
    reporter.post(reverse("results:recommendation_complete", args=[world.a.pk, own.pk]))
    html = reporter.get(detail).content.decode()
    row = html[html.index(f'id="recommendation-{own.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f"by {world.reporter.full_name}" in row and world.coordinator.full_name not in row
    activity = _text(_client(world.viewer).get(reverse("partnerships:activity", args=[world.a.pk])))
    assert "Marked a recommendation open again" in activity


def test_viewers_cannot_mark_done_and_see_no_button(world):
    session = _session(world, _recommendation(world.ngo_a))
    recommendation = session.recommendations.get()
    client = _client(world.viewer)
    page = client.get(reverse("results:evaluation", args=[world.a.pk, session.pk]))
    assert "Mark done" not in page.content.decode()
    url = reverse("results:recommendation_complete", args=[world.a.pk, recommendation.pk])
    assert client.post(url).status_code == 403
    assert client.get(_urls(world)["new"]).status_code == 403
    assert Recommendation.objects.get().done_at is None


def test_outsiders_and_other_partnerships_find_nothing(world):
    session = _session(world, _recommendation(world.ngo_a))
    recommendation = session.recommendations.get()
    detail = reverse("results:evaluation", args=[world.a.pk, session.pk])
    complete = reverse("results:recommendation_complete", args=[world.a.pk, recommendation.pk])
    outsider = _client(world.outsider)
    for url in (_urls(world)["list"], _urls(world)["new"], detail):
        assert outsider.get(url).status_code == 404
    assert outsider.post(complete).status_code == 404
    # B's coordinator, through B's own address, still cannot reach A's session.
    other = _client(world.other_coordinator)
    b = world.b.pk
    assert other.get(reverse("results:evaluation", args=[b, session.pk])).status_code == 404
    assert (
        other.post(
            reverse("results:recommendation_complete", args=[b, recommendation.pk])
        ).status_code
        == 404
    )
    assert Recommendation.objects.get().done_at is None
