"""`seed_updates`: progress updates, comments, milestones and a communication plan for the
Riverside Homelessness Response, written through the services as the scenario's people.

Dates count back from `today`: milestones due before it are reached (and so celebrated in the
feed), later ones are ahead, and one plan entry was never carried out since it started, so the
plan shows something overdue.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from commonground.demo.partnerships import COORDINATOR, HOMELESSNESS, PARTNER, VIEWER
from commonground.partnerships.models import Partner, Partnership, Seat
from commonground.reporting.models import ProgressUpdate
from commonground.reporting.services import milestones, plan, updates

SHELTER_EDITOR = "grace.whitfield@example.org"
HEALTH_REPORTER = "rachel.obrien@example.org"
TENANTS_VIEWER = "ben.carter@example.org"


@dataclass(frozen=True)
class UpdateDemo:
    author: str
    title: str
    body: str
    achievements: str = ""
    challenges: str = ""
    visibility: str = "internal"
    comments: tuple[tuple[str, str, bool], ...] = ()  # (author, text, is a question)


# fmt: off
UPDATES = (
    UpdateDemo(
        SHELTER_EDITOR, "Outreach now seven nights a week",
        "From this month the outreach team is out **every night**, not five. Two new workers "
        "joined from the [Homes for All](https://homesforall.example) exchange.\n\n"
        "- 41 people met on the streets in the first fortnight\n"
        "- 19 of them accepted a single assessment on the spot",
        achievements="Seven-night outreach running; 19 single assessments in two weeks.",
        challenges="Sunday nights are hard to staff: we rely on two volunteers.",
        comments=(
            (COORDINATOR, "Great news. Can we share the Sunday rota problem at the next "
             "partnership meeting?", False),
            (TENANTS_VIEWER, "Do the outreach workers know about the eviction-prevention line "
             "the Tenants' Union runs?", True),
        ),
    ),
    UpdateDemo(
        PARTNER, "Food parcels for every new tenancy",
        "Every household moving into a new tenancy through the partnership now gets a food "
        "parcel and a starter kit on the day they get their keys.",
        achievements="63 starter parcels delivered this quarter.",
        comments=(
            (VIEWER, "Is the starter kit funded from the small grants pot or by the Food Bank?",
             True),
        ),
    ),
    UpdateDemo(
        HEALTH_REPORTER, "Housing worker on every acute ward",
        "The last two wards joined the scheme: a housing worker now sees every patient with no "
        "safe address before discharge.",
        challenges="Weekend discharges still happen without the housing worker; we are "
        "piloting an on-call rota.",
    ),
    UpdateDemo(
        COORDINATOR, "One year of the Homelessness Response",
        "A year ago seven organisations agreed to make homelessness in Riverside **rare, brief "
        "and non-recurring**. This is what changed:\n\n"
        "1. One shared case list instead of five\n"
        "2. A night shelter with 40 beds\n"
        "3. No one discharged from hospital to the street on a weekday\n\n"
        "Thank you to every partner, and to the lived-experience panel who kept us honest.",
        achievements="Shared case list live; night shelter open; hospital discharge protocol "
        "agreed.",
        challenges="Move-on from the shelter is slow: there are too few one-bedroom homes.",
        visibility="public",
    ),
)

MILESTONES = (  # (title, description, days from today it is due, reached)
    ("Shared case list live", "All partners record and see one case list.", -240, True),
    ("Night shelter opens", "40 beds at the Mill Lane shelter, open all year.", -150, True),
    ("Hospital discharge protocol signed", "Signed by the Health and Care Trust and the "
     "council's housing service.", -60, True),
    ("Tenancy sustainment offer co-designed", "Designed with the Tenants' Union and the "
     "lived-experience panel.", 45, False),
    ("120 supported homes open", "The council's capital programme completes.", 400, False),
)

PLAN = (  # (audience, detail, content, channel, frequency, owner, days ago it starts, done)
    ("partners", "", "What every partner did this week, and what needs help",
     "digest", "weekly", "city", 60, True),
    ("council", "Housing and Communities Committee", "Progress against the results framework",
     "printed_report", "quarterly", "city", 100, True),
    ("stakeholders", "People with lived experience of homelessness",
     "What changed because of their advice", "meeting", "monthly", "tenants", 120, False),
    ("public", "", "Headline figures and stories from the partners", "public_page",
     "monthly", "shelter", 20, False),
    ("public", "", "Milestones reached, celebrated", "social_media", "monthly", "foundation",
     10, False),
)
# fmt: on

ORG_NAMES = {
    "city": "Riverside City Council",
    "shelter": "Riverside Shelter Network",
    "tenants": "Riverside Tenants' Union",
    "foundation": "Riverside Community Foundation",
}


def seed_updates(*, today: dt.date) -> dict[str, int]:
    """Add updates, comments, milestones and a communication plan to the Riverside
    Homelessness Response as of `today`; {} when they are there (or the partnership is not)."""
    partnership = Partnership.objects.filter(title=HOMELESSNESS.title).first()
    if partnership is None or ProgressUpdate.objects.filter(partnership=partnership).exists():
        return {}
    seats = {
        seat.user.email: seat
        for seat in Seat.objects.filter(partnership=partnership).select_related("user")
    }
    counts = {"updates": 0, "comments": 0, "milestones": 0, "reached": 0, "plan": 0}
    with transaction.atomic():
        coordinator = seats[COORDINATOR]
        for spec in UPDATES:
            author = seats[spec.author]
            update = updates.update_create(
                actor=author.user,
                seat=author,
                data={
                    "title": spec.title,
                    "body": spec.body,
                    "achievements": spec.achievements,
                    "challenges": spec.challenges,
                    "visibility": spec.visibility,
                },
            )
            counts["updates"] += 1
            for email, text, question in spec.comments:
                updates.update_comment(
                    actor=seats[email].user,
                    seat=seats[email],
                    update=update,
                    data={"body": text, "is_question": question},
                )
                counts["comments"] += 1
        for title, description, due_in, reached in MILESTONES:
            milestone = milestones.milestone_create(
                actor=coordinator.user,
                seat=coordinator,
                data={
                    "title": title,
                    "description": description,
                    "due_date": today + dt.timedelta(days=due_in),
                },
            )
            counts["milestones"] += 1
            if reached:
                milestones.milestone_mark_done(
                    actor=coordinator.user,
                    seat=coordinator,
                    milestone=milestone,
                    expected_version=milestone.version,
                )
                counts["reached"] += 1
        owners = {
            key: Partner.objects.get(partnership=partnership, organisation__name=name)
            for key, name in ORG_NAMES.items()
        }
        for audience, detail, content, channel, frequency, owner, ago, done in PLAN:
            entry = plan.plan_entry_create(
                actor=coordinator.user,
                seat=coordinator,
                data={
                    "audience": audience,
                    "audience_detail": detail,
                    "content": content,
                    "channel": channel,
                    "frequency": frequency,
                    "owner_id": owners[owner].pk,
                    "starts_on": today - dt.timedelta(days=ago),
                },
            )
            counts["plan"] += 1
            if done:
                plan.plan_entry_mark_done(actor=coordinator.user, seat=coordinator, entry=entry)
    return counts
