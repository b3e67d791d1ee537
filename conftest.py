"""Shared fixtures: the people every access test is about.

`world` builds, through the real services, partnership A (with a coordinator, an editor, a
reporter and a viewer), partnership B with its own coordinator, an outsider with no seat and a
site admin with no seat.
"""

import os
from dataclasses import dataclass

import pytest
from django.utils import translation

from commonground.accounts.models import Organisation, User
from commonground.accounts.services import organisation_create
from commonground.partnerships.models import Partner, Partnership, Seat
from commonground.partnerships.services import partner_add, partnership_create, seat_create

PASSWORD = "correct-horse-battery"  # noqa: S105 - test accounts only


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']} (CI={os.environ.get('CI', '')})"


@pytest.fixture(autouse=True)
def _fast_passwords_and_outbox(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _empty_caches():  # type: ignore[no-untyped-def]
    """Each test starts with empty caches. Rolled-back tests reuse primary keys and, with the
    clock frozen, can repeat a partnership's audit chain exactly: a page cached by one test must
    not be found by the next (commonground/results/fragments.py)."""
    from django.core.cache import caches

    for alias in caches.settings:
        caches[alias].clear()


@dataclass
class World:
    a: Partnership
    b: Partnership
    city: Organisation
    ngo: Organisation
    other_org: Organisation
    lead_a: Partner
    ngo_a: Partner
    coordinator: User
    editor: User
    reporter: User
    viewer: User
    other_coordinator: User
    outsider: User
    site_admin: User

    def seat(self, user: User, partnership: Partnership | None = None) -> Seat:
        return Seat.objects.get(user=user, partnership=partnership or self.a)


def make_user(email: str, **extra: object) -> User:
    return User.objects.create_user(email, PASSWORD, full_name=email.split("@")[0].title(), **extra)


def build_world() -> World:
    coordinator = make_user("coordinator@a.test")
    editor = make_user("editor@a.test")
    reporter = make_user("reporter@a.test")
    viewer = make_user("viewer@a.test")
    other = make_user("coordinator@b.test")
    outsider = make_user("outsider@nowhere.test")
    admin = User.objects.create_superuser("admin@site.test", PASSWORD)
    city = organisation_create(
        actor=coordinator, data={"name": "City of Testville", "org_type": "11"}
    )
    ngo = organisation_create(actor=coordinator, data={"name": "Shelter Network", "org_type": "22"})
    other_org = organisation_create(actor=other, data={"name": "Dune Foundation", "org_type": "60"})
    data = {
        "title": "Homelessness Response",
        "purpose": "House everyone.",
        "start_date": "2025-01-01",
        "end_date": "2027-12-31",
        "sdg_goals": [1, 11],
        "sectors": ["160"],
    }
    a = partnership_create(actor=coordinator, data=data, lead_organisation=city)
    b = partnership_create(
        actor=other, data={**data, "title": "Dune Restoration"}, lead_organisation=other_org
    )
    lead_a = Partner.objects.get(partnership=a, organisation=city)
    ngo_a = partner_add(
        actor=coordinator,
        partnership=a,
        organisation=ngo,
        role="implementing",
        aims="Open 40 beds.",
    )
    seat_create(actor=coordinator, partnership=a, user=editor, partner=lead_a, role="editor")
    seat_create(actor=coordinator, partnership=a, user=reporter, partner=ngo_a, role="reporter")
    seat_create(actor=coordinator, partnership=a, user=viewer, partner=ngo_a, role="viewer")
    return World(
        a,
        b,
        city,
        ngo,
        other_org,
        lead_a,
        ngo_a,
        coordinator,
        editor,
        reporter,
        viewer,
        other,
        outsider,
        admin,
    )


@pytest.fixture(autouse=True)
def _language_reset_after_each_test():  # type: ignore[no-untyped-def]
    """A request activates its language for the rest of the thread (LocaleMiddleware does not
    undo it): a test that asked for Spanish must not leave the next test in the same worker
    speaking Spanish."""
    yield
    translation.deactivate()


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return build_world()


def run_queued_tasks(rounds: int = 10) -> list[object]:
    """Run what the task queue holds, in this process and inside the test's transaction; the
    return values. Tasks that queue more tasks are followed for `rounds` rounds.

    The real worker (`commonground worker`) cannot run inside a test transaction (it closes
    connections between tasks); tests/test_worker.py runs it as a real process.
    """
    from django_tasks_db.models import DBTaskResult

    values: list[object] = []
    for _ in range(rounds):
        ready = list(DBTaskResult.objects.ready())
        if not ready:
            break
        for row in ready:
            row.claim("test")
            result = row.task_result
            try:
                value = row.task.call(*result.args, **result.kwargs)
            except Exception as error:
                row.set_failed(error)
                raise
            row.set_successful(value)
            values.append(value)
    return values


@pytest.fixture
def run_tasks():  # type: ignore[no-untyped-def]
    return run_queued_tasks
