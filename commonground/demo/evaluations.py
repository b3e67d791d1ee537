"""Evaluation sessions of the Riverside demo: a mid-term review of the homelessness response and
the end-of-pilot review of the winter night shelter, written through the services as the
scenario's people.

A session is added once it has been held (by `today`) and only if it is missing, so seeding again
adds nothing and seeding a database from before evaluation sessions tops it up. Recommendations
marked `done_by` are marked done by that person (who may: see `may_complete`); the others stay
open, and on the demo day (late 2026) the food bank's is overdue.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from commonground.accounts.models import User
from commonground.demo.partnerships import (
    COORDINATOR,
    HOMELESSNESS,
    ORGANISATIONS,
    PARTNER,
    WINTER,
    PartnershipSpec,
)
from commonground.partnerships.access import access_partnership
from commonground.partnerships.models import Partner, Partnership
from commonground.results.models import EvaluationSession
from commonground.results.services.evaluation import evaluation_create, recommendation_complete

GRACE = "grace.whitfield@example.org"
TOM = "tom.bennett@example.org"
RACHEL = "rachel.obrien@example.org"


@dataclass(frozen=True)
class FindingDemo:
    criterion: str
    finding: str
    evidence_url: str = ""


@dataclass(frozen=True)
class RecommendationDemo:
    text: str
    owner: str  # organisation key (partnerships.ORGANISATIONS)
    due_date: dt.date
    done_by: str = ""  # e-mail of who marks it done; open when empty


@dataclass(frozen=True)
class EvaluationDemo:
    partnership: PartnershipSpec
    title: str
    held_on: dt.date
    author: str  # e-mail of who records it (may edit the framework)
    participants: str
    findings: tuple[FindingDemo, ...]
    recommendations: tuple[RecommendationDemo, ...]


HOMELESSNESS_MID_TERM = EvaluationDemo(
    partnership=HOMELESSNESS,
    title="Mid-term review",
    held_on=dt.date(2025, 10, 14),
    author=COORDINATOR,
    participants=(
        "Maya Okafor and Tom Bennett (Riverside City Council), Grace Whitfield (Riverside Shelter "
        "Network), Daniel Reyes (Riverside Food Bank), Rachel O'Brien (Riverside Health and Care "
        "Trust), Ben Carter (Riverside Tenants' Union), six members of the lived-experience "
        "panel; Leila Mansour (Homes for All International) as external reviewer."
    ),
    findings=(
        FindingDemo(
            "relevance",
            "The single assessment answers what the lived-experience panel asked for most: "
            "telling their story once. Rough sleeping now falls in the city centre but still "
            "rises in Eastbank, where outreach reaches fewest nights.",
            "https://shelternetwork.riverside.example/reports/street-count-autumn-2025.pdf",
        ),
        FindingDemo(
            "coherence",
            "Hospital discharge and the council's housing allocations now use the same "
            "assessment; the county's mental-health outreach still keeps its own list, so some "
            "people are assessed twice.",
            "https://www.riversidehealth.example/policies/discharge-to-housing-2025.pdf",
        ),
        FindingDemo(
            "effectiveness",
            "Outreach contacts most people within two nights of a first report. Moves into "
            "settled homes lag the plan because the supported homes opened five months late.",
            "https://www.riverside.example/partnerships/homelessness/dashboard-2025-q3",
        ),
        FindingDemo(
            "effectiveness",
            "Nobody was discharged from the acute wards to the street in the last two quarters.",
        ),
        FindingDemo(
            "efficiency",
            "The shared case list cut duplicate assessments by about a third. Food for the day "
            "centre and for move-in parcels is ordered separately, so the food bank packs twice.",
        ),
        FindingDemo(
            "impact",
            "Too early to see repeat homelessness fall; most tenancies started in 2024 have held "
            "for twelve months.",
            "https://homesforall.example/riverside/fidelity-review-2025.pdf",
        ),
        FindingDemo(
            "sustainability",
            "Outreach on Eastbank and the lived-experience panel depend on the foundation's grant, "
            "which ends in March 2027; no partner has budgeted to carry them on.",
        ),
    ),
    recommendations=(
        RecommendationDemo(
            "Publish the opening dates of the supported homes and report any slippage to the "
            "monthly partnership meeting.",
            "city",
            dt.date(2025, 12, 31),
            done_by=TOM,
        ),
        RecommendationDemo(
            "Extend outreach to Eastbank three nights a week, including the estate's stairwells.",
            "shelter",
            dt.date(2026, 1, 31),
            done_by=GRACE,
        ),
        RecommendationDemo(
            "Bring the county's mental-health outreach onto the shared case list.",
            "healthtrust",
            dt.date(2026, 3, 31),
            done_by=RACHEL,
        ),
        RecommendationDemo(
            "Order food for the day centre and the move-in parcels in one weekly order.",
            "foodbank",
            dt.date(2026, 6, 30),
        ),
        RecommendationDemo(
            "Agree who funds outreach and the lived-experience panel after March 2027.",
            "city",
            dt.date(2026, 12, 31),
        ),
    ),
)

WINTER_REVIEW = EvaluationDemo(
    partnership=WINTER,
    title="End-of-pilot review",
    held_on=dt.date(2025, 5, 14),
    author=GRACE,
    participants=(
        "Grace Whitfield (Riverside Shelter Network), Tom Bennett (Riverside City Council), "
        "Daniel Reyes (Riverside Food Bank), the five host venues' coordinators and eight "
        "volunteers; two former guests."
    ),
    findings=(
        FindingDemo(
            "relevance",
            "Emergency beds did not run out on any night, against 41 nights the winter before.",
            "https://shelternetwork.riverside.example/reports/winter-pilot-2024-25.pdf",
        ),
        FindingDemo(
            "coherence",
            "Guests were referred on through the homelessness response's single assessment, so "
            "the pilot did not become a separate queue.",
        ),
        FindingDemo(
            "effectiveness",
            "Most guests left with a move-on plan; those who arrived in the last fortnight did "
            "not, because the single caseworker could not see everyone.",
        ),
        FindingDemo(
            "efficiency",
            "Rotating venues kept costs low, but halls closing early on Sundays meant moving "
            "the evening meal at short notice.",
        ),
        FindingDemo(
            "impact",
            "Eleven guests moved into settled homes by June 2025; two returned to rough sleeping.",
        ),
        FindingDemo(
            "sustainability",
            "Volunteers and venues want to run it again if the caseworker is funded for longer.",
            "https://riversidefoundation.example/grants/winter-shelter-2025",
        ),
    ),
    recommendations=(
        RecommendationDemo(
            "Confirm the venues and volunteer rotas for winter 2025/26 by the end of September.",
            "shelter",
            dt.date(2025, 9, 30),
            done_by=GRACE,
        ),
        RecommendationDemo(
            "Fund a second caseworker so every guest has a move-on plan within a week.",
            "city",
            dt.date(2025, 10, 31),
            done_by=TOM,
        ),
        RecommendationDemo(
            "Serve the Sunday evening meal at the day centre, where the halls close early.",
            "foodbank",
            dt.date(2025, 10, 31),
            done_by=PARTNER,
        ),
    ),
)

EVALUATIONS = (HOMELESSNESS_MID_TERM, WINTER_REVIEW)


def _add(spec: EvaluationDemo, partnership: Partnership) -> None:
    names = {org.key: org.name for org in ORGANISATIONS}
    partners = {
        partner.organisation.name: partner
        for partner in Partner.objects.filter(partnership=partnership).select_related(
            "organisation"
        )
    }
    emails = {spec.author, *(r.done_by for r in spec.recommendations if r.done_by)}
    people = {user.email: user for user in User.objects.filter(email__in=emails)}
    session = evaluation_create(
        actor=people[spec.author],
        seat=access_partnership(people[spec.author], partnership.pk),
        data={
            "title": spec.title,
            "held_on": spec.held_on,
            "participants": spec.participants,
            "findings": [
                {"criterion": f.criterion, "finding": f.finding, "evidence_url": f.evidence_url}
                for f in spec.findings
            ],
            "recommendations": [
                {
                    "text": r.text,
                    "owner_id": partners[names[r.owner]].pk,
                    "due_date": r.due_date,
                }
                for r in spec.recommendations
            ],
        },
    )
    # bulk_create keeps the order given, so primary keys follow the specs.
    created = session.recommendations.order_by("pk")
    for recommendation_spec, recommendation in zip(spec.recommendations, created, strict=True):
        if recommendation_spec.done_by:
            recommendation_complete(
                actor=people[recommendation_spec.done_by],
                seat=access_partnership(
                    people[recommendation_spec.done_by], recommendation.partnership_id
                ),
                recommendation=recommendation,
            )


def seed_evaluations(*, today: dt.date) -> int:
    """Add the demo evaluation sessions held by `today` that are missing; how many were added."""
    added = 0
    with transaction.atomic():
        for spec in EVALUATIONS:
            if spec.held_on > today:
                continue
            partnership = Partnership.objects.filter(title=spec.partnership.title).first()
            if partnership is None:
                continue
            if EvaluationSession.objects.filter(partnership=partnership, title=spec.title).exists():
                continue
            _add(spec, partnership)
            added += 1
    return added


__all__ = ["EVALUATIONS", "seed_evaluations"]
