import pytest

from commonground.core.errors import Conflict, InvalidInput
from commonground.core.models import AuditEvent
from commonground.partnerships.access import seat_of
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
        actor=world.coordinator,
        seat=seat_of(world.coordinator, world.a.pk),
        data=session_data(world),
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
        evaluation_create(
            actor=world.coordinator, seat=seat_of(world.coordinator, world.a.pk), data=data
        )
    assert "findings.1.criterion" in refused.value.fields
    assert "recommendations.1.owner_id" in refused.value.fields
    assert not EvaluationSession.objects.exists()


def test_a_session_needs_a_title_and_a_date(world):
    with pytest.raises(InvalidInput) as refused:
        evaluation_create(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, world.a.pk),
            data=session_data(world, title="", held_on=""),
        )
    assert {"title", "held_on"} <= set(refused.value.fields)


def test_a_recommendation_is_completed_once(world):
    session = evaluation_create(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, world.a.pk),
        data=session_data(world),
    )
    recommendation = Recommendation.objects.get(session=session)
    recommendation_complete(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, recommendation.partnership_id),
        recommendation=recommendation,
    )
    assert recommendation.done_at is not None
    with pytest.raises(Conflict):
        recommendation_complete(
            actor=world.coordinator,
            seat=seat_of(world.coordinator, recommendation.partnership_id),
            recommendation=recommendation,
        )


def test_a_malformed_owner_and_evidence_link_are_refused_on_their_rows(world):
    data = session_data(world)
    data["findings"][1]["evidence_url"] = "https://example.org/" + "x" * 200
    data["findings"][0]["evidence_url"] = "see the shared drive"
    data["recommendations"][0]["owner_id"] = "the city"
    data["recommendations"].append({"text": "", "owner_id": world.ngo_a.pk, "due_date": "soon"})
    with pytest.raises(InvalidInput) as refused:
        evaluation_create(
            actor=world.coordinator, seat=seat_of(world.coordinator, world.a.pk), data=data
        )
    fields = refused.value.fields
    assert fields["findings.1.evidence_url"] == ["Give a full web address starting with https://."]
    assert fields["findings.2.evidence_url"] == ["Keep the link to 200 characters."]
    assert "recommendations.1.owner_id" in fields
    assert set(fields) >= {"recommendations.2.text", "recommendations.2.due_date"}
    assert "recommendations.2.owner_id" not in fields


def test_two_people_marking_the_same_recommendation_done_record_it_once(world):
    session = evaluation_create(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, world.a.pk),
        data=session_data(world),
    )
    first = Recommendation.objects.get(session=session)
    second = Recommendation.objects.get(pk=first.pk)  # read before the first was marked done
    recommendation_complete(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, first.partnership_id),
        recommendation=first,
    )
    with pytest.raises(Conflict) as refused:
        recommendation_complete(
            actor=world.editor,
            seat=seat_of(world.editor, second.partnership_id),
            recommendation=second,
        )
    assert refused.value.code == "already_done"
    assert AuditEvent.objects.filter(action="recommendation.complete").count() == 1


def test_reporters_mark_done_only_what_their_organisation_owns(world):
    from commonground.results.services.evaluation import may_complete

    data = session_data(world)
    data["recommendations"].append(
        {"text": "Open ten more beds.", "owner_id": world.ngo_a.pk, "due_date": "2026-09-30"}
    )
    session = evaluation_create(
        actor=world.coordinator, seat=seat_of(world.coordinator, world.a.pk), data=data
    )
    city_owned, ngo_owned = (
        Recommendation.objects.get(session=session, owner=world.lead_a),
        Recommendation.objects.get(session=session, owner=world.ngo_a),
    )
    reporter, viewer = world.seat(world.reporter), world.seat(world.viewer)
    assert may_complete(reporter, ngo_owned) and not may_complete(reporter, city_owned)
    assert not may_complete(viewer, ngo_owned)
    for editor_or_coordinator in (world.seat(world.editor), world.seat(world.coordinator)):
        assert may_complete(editor_or_coordinator, city_owned)
        assert may_complete(editor_or_coordinator, ngo_owned)
    assert not may_complete(world.seat(world.other_coordinator, world.b), ngo_owned)


def test_a_recommendation_is_overdue_after_its_due_date_until_done(world):
    import datetime as dt

    session = evaluation_create(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, world.a.pk),
        data=session_data(world),
    )
    recommendation = Recommendation.objects.get(session=session)  # due 2026-12-31
    assert not recommendation.is_overdue(dt.date(2026, 12, 31))
    assert recommendation.is_overdue(dt.date(2027, 1, 1))
    recommendation_complete(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, recommendation.partnership_id),
        recommendation=recommendation,
    )
    assert not recommendation.is_overdue(dt.date(2027, 1, 1))


def test_the_service_refuses_a_reporter_marking_another_organisations_recommendation(world):
    from django.core.exceptions import PermissionDenied

    session = evaluation_create(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, world.a.pk),
        data=session_data(world),
    )
    city = Recommendation.objects.filter(session=session).exclude(owner=world.ngo_a).first()
    assert city is not None
    with pytest.raises(PermissionDenied, match="your own organisation owns"):
        recommendation_complete(
            actor=world.reporter, seat=seat_of(world.reporter, world.a.pk), recommendation=city
        )
    city.refresh_from_db()
    assert city.done_at is None
    with pytest.raises(PermissionDenied):
        evaluation_create(
            actor=world.reporter, seat=seat_of(world.reporter, world.a.pk), data=session_data(world)
        )
