from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from commonground.accounts.models import Organisation, User
from commonground.core.audit import verify
from commonground.core.codelists import sector_categories
from commonground.core.models import AuditEvent
from commonground.demo.management.commands.seed import bulk_plan
from commonground.partnerships.models import Partner, PartnerRole, Partnership, Seat, SeatRole

pytestmark = pytest.mark.django_db

LOGINS = (
    "coordinator@example.org",
    "partner@example.org",
    "viewer@example.org",
    "grace.whitfield@example.org",
    "outsider@example.org",
    "admin@example.org",
)


@pytest.fixture
def demo_settings(settings, monkeypatch):
    settings.DEBUG = True
    # These tests are about the partnership layer; the results demo has its own tests
    # (commonground/demo/tests/test_results.py) and takes seconds per seed.
    monkeypatch.setattr("commonground.demo.management.commands.seed.seed_results", lambda **_: {})
    # Argon2 is deliberately slow; these tests only need passwords to check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(demo_settings):
    return seed()


def counts() -> dict[str, int]:
    models = (User, Organisation, Partnership, Partner, Seat, AuditEvent)
    return {model.__name__: model.objects.count() for model in models}


def test_seed_creates_the_demo_logins_with_password_demo(seeded):
    for email in LOGINS:
        user = User.objects.get(email=email)
        assert user.check_password("demo"), email
        assert user.full_name
    admin = User.objects.get(email="admin@example.org")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.get(email="coordinator@example.org").is_staff


def test_seed_prints_the_logins_table(seeded):
    for email in LOGINS:
        assert email in seeded
    assert "demo" in seeded


def test_people_besides_the_demo_logins_cannot_sign_in(seeded):
    others = User.objects.exclude(email__in=LOGINS)
    assert others.count() >= 10
    assert not any(user.has_usable_password() for user in others)


def test_coordinator_coordinates_several_partnerships_for_the_city(seeded):
    seats = Seat.objects.filter(user__email="coordinator@example.org")
    assert seats.filter(role=SeatRole.COORDINATOR).count() >= 2
    assert {seat.partner.organisation.org_type for seat in seats} == {"11"}


def test_partner_reports_for_an_ngo_in_two_partnerships(seeded):
    seats = Seat.objects.filter(user__email="partner@example.org", role=SeatRole.REPORTER)
    assert seats.count() >= 2
    assert {seat.partner.organisation.org_type for seat in seats} == {"22"}


def test_viewer_views_and_outsider_has_no_seat(seeded):
    viewer_roles = Seat.objects.filter(user__email="viewer@example.org").values_list("role")
    assert set(viewer_roles) == {(SeatRole.VIEWER.value,)}
    assert not Seat.objects.filter(user__email="outsider@example.org").exists()


def test_seed_builds_the_riverside_scenario(seeded):
    assert Partnership.objects.count() >= 4
    assert Organisation.objects.count() >= 12
    org_types = set(Organisation.objects.values_list("org_type", flat=True))
    assert {"11", "22", "60", "70", "80"} <= org_types
    assert Organisation.objects.filter(org_type="22").count() >= 6
    assert Partnership.objects.filter(status="2").count() >= 3
    assert Partnership.objects.exclude(status="2").exists()


def test_every_partnership_has_a_lead_partner_aims_and_every_seat_role(seeded):
    for partnership in Partnership.objects.all():
        partners = partnership.partners.all()
        assert partners.filter(role=PartnerRole.LEAD).count() >= 1, partnership
        assert 4 <= partners.count() <= 8, partnership
        assert not partners.filter(aims="").exists(), partnership
        roles = set(partnership.seats.values_list("role", flat=True))
        assert roles == set(SeatRole.values), partnership
        assert partnership.purpose and partnership.vision and partnership.problem_statement
        assert partnership.geography and partnership.sectors and partnership.sdg_goals


def test_seats_are_held_for_partners_of_the_same_partnership(seeded):
    for seat in Seat.objects.select_related("partner"):
        assert seat.partner.partnership_id == seat.partnership_id


def test_seeding_twice_changes_nothing(seeded):
    before = counts()
    output = seed()
    assert counts() == before
    assert "Demo data already present; nothing to do." in output
    assert "coordinator@example.org" in output


def test_seed_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed()
    assert User.objects.count() == 0
    assert Partnership.objects.count() == 0


def test_audit_ledger_verifies_after_seeding(seeded):
    reports = verify()
    assert reports
    assert all(report.ok for report in reports)
    assert AuditEvent.objects.filter(action="user.create").count() == User.objects.count()


def test_generated_plan_is_deterministic_valid_and_grows_by_prefix():
    orgs, people, partnerships = bulk_plan(100)
    more_orgs, more_people, more_partnerships = bulk_plan(200)
    assert bulk_plan(100) == (orgs, people, partnerships)
    assert more_partnerships[:100] == partnerships
    assert more_orgs[: len(orgs)] == orgs
    assert more_people[: len(people)] == people
    assert len(orgs) == 200
    assert len({spec.title for spec in more_partnerships}) == 200
    assert len({person.email for person in more_people}) == len(more_people)
    sectors = {code for code, _ in sector_categories()}
    for spec in more_partnerships:
        assert set(spec.sectors) <= sectors
        assert spec.end_date is None or spec.end_date >= spec.start_date
        assert spec.partners[0].role == "lead"
        assert spec.coordinator not in {seat.email for seat in spec.seats}
