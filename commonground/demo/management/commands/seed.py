"""`commonground seed [--scale S|M|L]`: deterministic demo data, written through the services.

Scale S is the Riverside scenario (demo/partnerships.py) with the published demo logins, the
results frameworks and evaluation sessions of its partnerships (demo/results.py), reporting
schedules with partner reports in every state (demo/reporting.py) and the homelessness
partnership's updates, milestones and communication plan (demo/updates.py). M and L add about 100
or 1,000 generated partnerships for benchmarks. Running it again adds nothing that is already
there, so `seed` then `seed --scale L` tops a demo database up.
"""

import datetime as dt
import random
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import Organisation, User
from commonground.accounts.services import organisation_create
from commonground.core.audit import record_event
from commonground.core.errors import DomainError
from commonground.demo.partnerships import (
    ADMIN_EMAIL,
    BULK_AIMS,
    BULK_FIRST_NAMES,
    BULK_LAST_NAMES,
    BULK_ORG_KINDS,
    BULK_PLACES,
    BULK_THEMES,
    COUNTRY,
    DEMO_PASSWORD,
    ORGANISATIONS,
    PARTNERSHIPS,
    PEOPLE,
    BulkTheme,
    OrganisationSpec,
    PartnershipSpec,
    PartnerSpec,
    PersonSpec,
    SeatSpec,
)
from commonground.demo.reporting import seed_reporting
from commonground.demo.results import seed_results
from commonground.demo.updates import seed_updates
from commonground.partnerships.models import Partner, Partnership, Seat
from commonground.partnerships.services import (
    partner_add,
    partner_update,
    partnership_create,
    seat_create,
)

SEED = 20261123
SCALES = {"S": 0, "M": 100, "L": 1000}
BLOCK = 100  # generated partnerships per transaction and per progress line
ORGS_PER_BLOCK = 200
PEOPLE_PER_BLOCK = 200
STATUS_WEIGHTS = {"1": 5, "2": 60, "3": 10, "4": 15, "5": 5, "6": 5}
OTHER_ROLES = ("funding", "implementing", "implementing", "advisory", "observer")
SEAT_ROLES = ("editor", "reporter", "viewer", "reporter")
REFUSAL = (
    "Refusing to create demo logins with password 'demo' while DEBUG is off. "
    "Set DEBUG=1 for a demo database."
)


@transaction.atomic
def _person(spec: PersonSpec) -> User:
    existing = User.objects.filter(email=spec.email).first()
    if existing is not None:
        return existing
    # Only the published logins can sign in; everyone else gets an unusable password (None).
    password = DEMO_PASSWORD if spec.login else None
    create = User.objects.create_superuser if spec.admin else User.objects.create_user
    user = create(spec.email, password, full_name=spec.full_name)
    record_event(actor=None, action="user.create", obj=user, changes={"email": [None, user.email]})
    return user


def _organisation(actor: User, spec: OrganisationSpec) -> Organisation:
    existing = Organisation.objects.filter(name=spec.name).first()
    if existing is not None:
        return existing
    data = {
        "name": spec.name,
        "org_type": spec.org_type,
        "country": COUNTRY,
        "website": spec.website,
        "identifier": spec.identifier,
    }
    return organisation_create(actor=actor, data=data, confirm_new=True)


def _partnership(
    spec: PartnershipSpec, people: Mapping[str, User], orgs: Mapping[str, Organisation]
) -> Partnership:
    creator = people[spec.coordinator]
    lead_spec, *other_specs = spec.partners
    data = {
        "title": spec.title,
        "purpose": spec.purpose,
        "vision": spec.vision,
        "problem_statement": spec.problem_statement,
        "geography": spec.geography,
        "start_date": spec.start_date,
        "end_date": spec.end_date,
        "status": spec.status,
        "sectors": list(spec.sectors),
        "sdg_goals": list(spec.sdg_goals),
    }
    partnership = partnership_create(
        actor=creator, data=data, lead_organisation=orgs[lead_spec.org]
    )
    lead = Partner.objects.get(partnership=partnership)
    if lead_spec.aims:
        partner_update(
            actor=creator, partner=lead, data={"aims": lead_spec.aims}, version=lead.version
        )
    partners = {lead_spec.org: lead}
    for other in other_specs:
        partners[other.org] = partner_add(
            actor=creator,
            partnership=partnership,
            organisation=orgs[other.org],
            role=other.role,
            aims=other.aims,
        )
    for seat in spec.seats:
        seat_create(
            actor=creator,
            partnership=partnership,
            user=people[seat.email],
            partner=partners[seat.org],
            role=seat.role,
        )
    return partnership


def seed_scenario() -> bool:
    """Write the Riverside scenario in one transaction; False when it is already there."""
    if Partnership.objects.filter(title=PARTNERSHIPS[0].title).exists():
        return False
    with transaction.atomic():
        people = {spec.email: _person(spec) for spec in PEOPLE}
        admin = people[ADMIN_EMAIL]
        orgs = {spec.key: _organisation(admin, spec) for spec in ORGANISATIONS}
        for spec in PARTNERSHIPS:
            _partnership(spec, people, orgs)
    return True


def _bulk_partnership(
    rng: random.Random,
    index: int,
    place: str,
    theme: BulkTheme,
    org_names: list[str],
    emails: list[str],
) -> PartnershipSpec:
    name, sectors, goals, purpose = theme
    # Partnerships of block b draw partners and people from the first b+1 blocks of the pools.
    block_end = index // BLOCK + 1
    round_ = index // (len(BULK_PLACES) * len(BULK_THEMES))
    chosen_orgs = rng.sample(org_names[: block_end * ORGS_PER_BLOCK], rng.randint(3, 6))
    chosen_people = rng.sample(emails[: block_end * PEOPLE_PER_BLOCK], rng.randint(3, 5))
    roles = ["lead", *(rng.choice(OTHER_ROLES) for _ in chosen_orgs[1:])]
    start = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(4 * 365))
    length = rng.choice((None, 365, 730, 1095, 1460))
    return PartnershipSpec(
        title=f"{place} {name}" + (f" {round_ + 1}" if round_ else ""),
        purpose=f"Bring the organisations of {place} together to {purpose}.",
        vision=f"{place}, where partners {purpose} together.",
        problem_statement=f"In {place}, efforts to {purpose} are scattered and unmeasured.",
        geography=place,
        start_date=start,
        end_date=start + dt.timedelta(days=length) if length else None,
        status=rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0],
        sectors=sectors,
        sdg_goals=goals,
        coordinator=chosen_people[0],
        partners=tuple(
            PartnerSpec(org, role, BULK_AIMS[role].format(theme=purpose))
            for org, role in zip(chosen_orgs, roles, strict=True)
        ),
        seats=tuple(
            SeatSpec(email, rng.choice(chosen_orgs), SEAT_ROLES[n % len(SEAT_ROLES)])
            for n, email in enumerate(chosen_people[1:])
        ),
    )


def bulk_plan(
    count: int,
) -> tuple[list[OrganisationSpec], list[PersonSpec], list[PartnershipSpec]]:
    """The generated registry, people and partnerships; the plan for fewer partnerships is a
    prefix of the plan for more, so a larger scale tops a smaller one up."""
    rng = random.Random(SEED)
    org_combos = [(place, kind) for place in BULK_PLACES for kind in BULK_ORG_KINDS]
    name_combos = [(first, last) for first in BULK_FIRST_NAMES for last in BULK_LAST_NAMES]
    title_combos = [(place, theme) for place in BULK_PLACES for theme in BULK_THEMES]
    for combos in (org_combos, name_combos, title_combos):
        rng.shuffle(combos)
    blocks = -(-count // BLOCK)
    orgs = [
        OrganisationSpec(key=f"{place} {kind}", name=f"{place} {kind}", org_type=org_type)
        for place, (kind, org_type) in org_combos[: blocks * ORGS_PER_BLOCK]
    ]
    people = [
        PersonSpec(
            email=f"{first}.{last}@example.com".lower().replace("'", ""),
            full_name=f"{first} {last}",
        )
        for first, last in name_combos[: blocks * PEOPLE_PER_BLOCK]
    ]
    org_names = [org.key for org in orgs]
    emails = [person.email for person in people]
    partnerships = []
    for index in range(count):
        place, theme = title_combos[index % len(title_combos)]
        partnerships.append(_bulk_partnership(rng, index, place, theme, org_names, emails))
    return orgs, people, partnerships


def seed_bulk(count: int, progress: Callable[[str], None]) -> int:
    """Write the generated data one block of partnerships per transaction; returns how many
    partnerships were new."""
    if not count:
        return 0
    org_specs, person_specs, partnership_specs = bulk_plan(count)
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        raise CommandError(f"{ADMIN_EMAIL} is missing; the generated registry needs an actor.")
    orgs: dict[str, Organisation] = {}
    people: dict[str, User] = {}
    created = 0
    for start in range(0, count, BLOCK):
        block = start // BLOCK
        specs = partnership_specs[start : start + BLOCK]
        existing = set(
            Partnership.objects.filter(title__in=[s.title for s in specs]).values_list(
                "title", flat=True
            )
        )
        with transaction.atomic():
            for org_spec in org_specs[block * ORGS_PER_BLOCK : (block + 1) * ORGS_PER_BLOCK]:
                orgs[org_spec.key] = _organisation(admin, org_spec)
            for person in person_specs[block * PEOPLE_PER_BLOCK : (block + 1) * PEOPLE_PER_BLOCK]:
                people[person.email] = _person(person)
            for spec in specs:
                if spec.title not in existing:
                    _partnership(spec, people, orgs)
                    created += 1
        progress(f"  {start + len(specs)}/{count} generated partnerships")
    return created


class Command(BaseCommand):
    help = (
        "Fill a demo database with the Riverside scenario and its demo logins (password "
        "'demo'); --scale M or L adds about 100 or 1,000 generated partnerships. Needs DEBUG=1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=str.upper,
            choices=sorted(SCALES),
            default="S",
            help="S: the demo scenario; M: plus ~100 partnerships; L: plus ~1,000.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(REFUSAL)
        started = time.perf_counter()
        try:
            scenario_new = seed_scenario()
            # Also tops up a database seeded before there were results frameworks.
            results_new = seed_results(today=timezone.localdate())
            reporting_new = seed_reporting(today=timezone.localdate())
            updates_new = seed_updates(today=timezone.localdate())
            count = SCALES[options["scale"]]
            if count:
                if not scenario_new:
                    self.stdout.write("The Riverside demo scenario is already present.")
                self.stdout.write(f"Generating {count} partnerships (scale {options['scale']}):")
            bulk_new = seed_bulk(count, self.stdout.write)
        except DomainError as error:
            detail = f" {error.fields}" if error.fields else ""
            raise CommandError(f"A service refused the demo data: {error}{detail}") from error
        if not (scenario_new or results_new or reporting_new or updates_new or bulk_new):
            self.stdout.write("Demo data already present; nothing to do.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seeded in {time.perf_counter() - started:.1f} s: "
                    f"{Partnership.objects.count()} partnerships, "
                    f"{Organisation.objects.count()} organisations, "
                    f"{User.objects.count()} people, {Seat.objects.count()} seats."
                )
            )
        if results_new.get("partnerships"):
            self.stdout.write(
                f"Results frameworks for {results_new['partnerships']} partnerships: "
                f"{results_new['objectives']} objectives, {results_new['indicators']} "
                f"indicators, {results_new['results']} reported results."
            )
        if results_new.get("evaluations"):
            self.stdout.write(f"Evaluation sessions added: {results_new['evaluations']}.")
        if reporting_new:
            self.stdout.write(
                f"Reporting schedules for {reporting_new['schedules']} partnerships with "
                f"{reporting_new['reports']} partner reports under way or done."
            )
        if updates_new:
            self.stdout.write(
                f"Updates for the homelessness partnership: {updates_new['updates']} updates, "
                f"{updates_new['comments']} comments, {updates_new['milestones']} milestones "
                f"({updates_new['reached']} reached), {updates_new['plan']} plan entries."
            )
        self._print_logins()

    def _print_logins(self) -> None:
        logins = [spec for spec in PEOPLE if spec.login]
        width = max(len(spec.email) for spec in logins)
        self.stdout.write(f"\nDemo logins at {settings.SITE_URL}/ (password: {DEMO_PASSWORD})")
        self.stdout.write(f"  {'E-mail':<{width}}  Password  Role")
        for spec in logins:
            self.stdout.write(f"  {spec.email:<{width}}  {DEMO_PASSWORD:<8}  {spec.login}")
