import pytest

from commonground.core.errors import Conflict, InvalidInput
from commonground.core.models import AuditEvent
from commonground.results.models import EvaluationFinding, EvaluationSession, Recommendation
from commonground.results.services.evaluation import evaluation_create, recommendation_complete

pytestmark = pytest.mark.django_db


def session_data(world, **overrides):
    data = {
        "title": "Mid-term review",
        "held_on": "2026-06-30",
        "participants": "City, Shelter Network, residents' panel",
        "findings": [
            {
                "criterion": "effectiveness",
                "finding": "Outreach reaches every ward.",
                "evidence_url": "https://example.org/report.pdf",
            },
            {"criterion": "sustainability", "finding": "Funding ends in 2027."},
        ],
        "recommendations": [
            {
                "text": "Secure funding beyond 2027.",
                "owner_id": world.lead_a.pk,
                "due_date": "2026-12-31",
            },
        ],
    }
    data.update(overrides)
    return data


def test_an_evaluation_keeps_findings_by_dac_criterion_and_recommendations_with_owners(world):
    before = AuditEvent.objects.count()
    session = evaluation_create(
        actor=world.coordinator, partnership=world.a, data=session_data(world)
    )
    assert isinstance(session, EvaluationSession)
    assert sorted(
        EvaluationFinding.objects.filter(session=session).values_list("criterion", flat=True)
    ) == ["effectiveness", "sustainability"]
    recommendation = Recommendation.objects.get(session=session)
    assert recommendation.owner == world.lead_a
    assert str(recommendation.due_date) == "2026-12-31"
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.latest("id").action == "evaluation.create"


def test_an_unknown_criterion_and_a_foreign_owner_are_refused_naming_the_rows(world):
    from commonground.partnerships.models import Partner

    foreign = Partner.objects.get(partnership=world.b)
    data = session_data(world)
    data["findings"][0]["criterion"] = "popularity"
    data["recommendations"][0]["owner_id"] = foreign.pk
    with pytest.raises(InvalidInput) as refused:
        evaluation_create(actor=world.coordinator, partnership=world.a, data=data)
    assert "findings.1.criterion" in refused.value.fields
    assert "recommendations.1.owner_id" in refused.value.fields
    assert not EvaluationSession.objects.exists()


def test_a_session_needs_a_title_and_a_date(world):
    with pytest.raises(InvalidInput) as refused:
        evaluation_create(
            actor=world.coordinator,
            partnership=world.a,
            data=session_data(world, title="", held_on=""),
        )
    assert {"title", "held_on"} <= set(refused.value.fields)


def test_a_recommendation_is_completed_once(world):
    session = evaluation_create(
        actor=world.coordinator, partnership=world.a, data=session_data(world)
    )
    recommendation = Recommendation.objects.get(session=session)
    recommendation_complete(actor=world.coordinator, recommendation=recommendation)
    assert recommendation.done_at is not None
    with pytest.raises(Conflict):
        recommendation_complete(actor=world.coordinator, recommendation=recommendation)
