"""The access matrix: every page and every API operation, for every kind of person.

Generated from the URL configuration and the OpenAPI schema, so a page or operation added later is
covered the day it is added, and one that declares no access policy fails here.
"""

import functools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pytest_django import DjangoDbBlocker

from commonground.accounts.models import User
from commonground.accounts.services import api_token_create
from commonground.core.access import policy_of
from commonground.partnerships.access import ROLE_PERMISSIONS, permission, seat_of
from commonground.partnerships.models import Partner, Partnership, Seat
from commonground.partnerships.services import invitation_create
from config.api import api
from conftest import World, build_world

pytestmark = pytest.mark.django_db
TEST_SETTINGS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "SITE_URL": "http://testserver",
}

PERSONAS = (
    "anonymous",
    "outsider",
    "viewer",
    "reporter",
    "editor",
    "other_coordinator",
    "coordinator",
    "site_admin",
)
SEATED = {"viewer", "reporter", "editor", "coordinator"}

# Pages anyone may open without signing in. Making another page public means adding it here.
PUBLIC_PAGES = {
    "home",
    "healthz",
    "accessibility",
    "accounts:language",  # choosing the interface language
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "partnerships:invitation",
    "notifications:digest_unsubscribe",  # the signed link is the credential
    "notifications:calendar_feed",  # the secret address is the credential
}
# Django's admin guards itself (staff only) and is tested in test_admin_is_for_site_admins.
SELF_GUARDED_NAMESPACES = {"admin"}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if entry.namespace and namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            yield name, prefix + str(entry.pattern), entry.callback


def page_patterns() -> list[tuple[str, str, Callable[..., Any]]]:
    return [
        (name, route, callback)
        for name, route, callback in _walk(get_resolver())
        if name.split(":")[0] not in SELF_GUARDED_NAMESPACES and not name.startswith("api:")
    ]


@dataclass
class Side:
    """Who builds the objects of one partnership: its coordinator, the person who reports results
    and writes the partner's report, that partner, the partner who owns plan entries, and the
    people (by persona) who each get an object only they may open."""

    partnership: Partnership
    coordinator: User
    reporter: User
    partner: Partner
    lead: Partner
    people: dict[str, User]


class Objects:
    """One partnership's objects, one of each kind a URL may name (and one per person for the
    kinds only their author may open)."""

    def __init__(self, side: Side) -> None:
        self.side = side
        self._results(side)
        self._evaluation(side)
        self._reporting_reports(side)
        self._reporting_updates(side)
        self._reporting_exports(side)

    def _seat(self, user: User) -> Seat:
        return Seat.objects.get(partnership=self.side.partnership, user=user)

    def _results(self, side: Side) -> None:
        """A small results framework: impact > outcome > indicator with a dimension, and a
        result submitted by the reporter (so review actions have something to act on)."""
        from commonground.results.models import ImportJob
        from commonground.results.services import entry, framework

        impact = framework.objective_create(
            actor=side.coordinator,
            seat=seat_of(side.coordinator, side.partnership.pk),
            data={"level": "impact", "title": "Nobody sleeps rough"},
        )
        self.objective = framework.objective_create(
            actor=side.coordinator,
            seat=seat_of(side.coordinator, side.partnership.pk),
            data={"level": "outcome", "title": "People housed", "parent_id": impact.pk},
        )
        self.dimension = framework.dimension_create(
            actor=side.coordinator,
            seat=seat_of(side.coordinator, side.partnership.pk),
            data={"name": "sex", "values": ["female", "male"]},
        )
        self.indicator = framework.indicator_create(
            actor=side.coordinator,
            seat=seat_of(side.coordinator, self.objective.partnership_id),
            objective=self.objective,
            data={
                "title": "People housed",
                "baseline_value": 0,
                "baseline_date": "2025-01-01",
                "target_value": 100,
                "target_date": "2027-12-31",
                "frequency": "quarterly",
                "dimension_ids": [self.dimension.pk],
            },
        )
        self.result = entry.result_save(
            actor=side.reporter,
            seat=self._seat(side.reporter),
            indicator=self.indicator,
            period="2025-Q2",
            reported=entry.ReportedValue(value=10, breakdown={"sex=female": 6, "sex=male": 4}),
        )
        entry.result_submit(
            actor=side.reporter,
            seat=seat_of(side.reporter, self.result.partnership_id),
            result=self.result,
        )
        # Who sees a result depends on its state (results.access): one of each, in other periods.
        self.approved_result = entry.result_save(
            actor=side.reporter,
            seat=self._seat(side.reporter),
            indicator=self.indicator,
            period="2025-Q1",
            reported=entry.ReportedValue(value=4, breakdown={}),
        )
        entry.result_submit(
            actor=side.reporter, seat=self._seat(side.reporter), result=self.approved_result
        )
        if side.reporter != side.coordinator:  # in B one person does both: nobody self-approves
            entry.result_approve(
                actor=side.coordinator,
                seat=self._seat(side.coordinator),
                result=self.approved_result,
            )
        self.draft_result = entry.result_save(
            actor=side.reporter,
            seat=self._seat(side.reporter),
            indicator=self.indicator,
            period="2025-Q3",
            reported=entry.ReportedValue(value=2, breakdown={}),
        )
        self.results_by_state = {
            "draft": self.draft_result,
            "submitted": self.result,
            "approved": self.approved_result,
        }
        # Large-import jobs are seen only by whoever uploaded them: one per person who may.
        self.import_jobs: dict[str, Any] = {}
        for persona in ("reporter", "editor", "coordinator"):
            user = side.people.get(persona)
            if user is None:
                continue
            self.import_jobs[persona] = ImportJob.objects.create(
                partnership=side.partnership,
                seat=self._seat(user),
                created_by=user,
                file_name="big.csv",
                stored_name="job-none",
                sha256="0" * 64,
                rows=5000,
            )

    def _evaluation(self, side: Side) -> None:
        """An evaluation session with a finding and a recommendation owned by the reporter's
        organisation (so the reporter may mark it done)."""
        from commonground.results.services.evaluation import evaluation_create

        self.evaluation = evaluation_create(
            actor=side.coordinator,
            seat=seat_of(side.coordinator, side.partnership.pk),
            data={
                "title": "Mid-term review",
                "held_on": "2026-03-31",
                "findings": [{"criterion": "relevance", "finding": "Still needed."}],
                "recommendations": [
                    {
                        "text": "Open more beds.",
                        "owner_id": side.partner.pk,
                        "due_date": "2026-09-30",
                    }
                ],
            },
        )
        self.recommendation = self.evaluation.recommendations.get()

    def _reporting_reports(self, side: Side) -> None:
        """A quarterly schedule with the partner's report for 2025-Q2 submitted, carrying a
        link attachment and a file attachment."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from commonground.reporting.models import PartnerReport
        from commonground.reporting.services import reports, schedules

        reporter_seat = self._seat(side.reporter)
        self.schedule = schedules.schedule_create(
            actor=side.coordinator,
            seat=self._seat(side.coordinator),
            partnership=side.partnership,
            data={
                "title": "Quarterly",
                "frequency": "quarterly",
                "due_days": 30,
                "reminder_offsets": [-7, 0],
                "partner_ids": [side.partner.pk],
            },
        )
        self.report = PartnerReport.objects.filter(period__schedule=self.schedule).first()
        assert self.report is not None
        self.report_attachment = reports.attachment_add(
            actor=side.reporter,
            seat=reporter_seat,
            report=self.report,
            upload=SimpleUploadedFile("notes.txt", b"Minutes of the partner meeting."),
        )
        reports.report_save(
            actor=side.reporter,
            seat=reporter_seat,
            report=self.report,
            data={"achievements": "Beds opened.", "challenges": "Staffing."},
            expected_version=self.report.version,
        )
        reports.report_submit(actor=side.reporter, seat=reporter_seat, report=self.report)

    def _reporting_updates(self, side: Side) -> None:
        """An update by each person who may post one (an author edits their own), a milestone
        and a communication plan entry."""
        from commonground.reporting.services import milestones, plan, updates

        self.updates: dict[str, Any] = {}
        for persona in ("reporter", "editor", "coordinator"):
            user = side.people.get(persona)
            if user is None:
                continue
            self.updates[persona] = updates.update_create(
                actor=user,
                seat=self._seat(user),
                data={"title": f"News from the {persona}", "body": "We opened *ten* beds."},
            )
        coordinator = self._seat(side.coordinator)
        self.milestone = milestones.milestone_create(
            actor=side.coordinator, seat=coordinator, data={"title": "Shelter opens"}
        )
        self.plan_entry = plan.plan_entry_create(
            actor=side.coordinator,
            seat=coordinator,
            data={
                "audience": "council",
                "content": "Quarterly summary",
                "channel": "printed_report",
                "frequency": "quarterly",
                "owner_id": side.lead.pk,
            },
        )

    def _reporting_exports(self, side: Side) -> None:
        """Report exports are seen by whoever asked for them: a queued progress report for each
        person with a seat."""
        from commonground.reporting.models import ReportExport

        self.report_exports: dict[str, Any] = {}
        for persona, user in side.people.items():
            if persona in SEATED:
                self.report_exports[persona] = ReportExport.objects.create(
                    partnership=side.partnership,
                    date_from="2025-01-01",
                    date_to="2025-03-31",
                    requested_by=user,
                )


class Scene:
    """The world plus the ids a URL or request body may need, per person."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.invitation, self.invitation_token = invitation_create(
            actor=world.coordinator,
            partnership=world.a,
            partner=world.ngo_a,
            email="invitee@new.test",
            role="reporter",
        )
        self.people: dict[str, User | None] = {
            "anonymous": None,
            "outsider": world.outsider,
            "viewer": world.viewer,
            "reporter": world.reporter,
            "editor": world.editor,
            "other_coordinator": world.other_coordinator,
            "coordinator": world.coordinator,
            "site_admin": world.site_admin,
        }
        self.tokens: dict[str, int] = {}
        self.bearer: dict[str, str] = {}
        for persona, user in self.people.items():
            if user is not None:
                token, secret = api_token_create(user=user, name="matrix")
                self.tokens[persona] = token.pk
                self.bearer[persona] = secret
        self.viewer_seat = Seat.objects.get(partnership=world.a, user=world.viewer)
        self.a = Objects(
            Side(
                partnership=world.a,
                coordinator=world.coordinator,
                reporter=world.reporter,
                partner=world.ngo_a,
                lead=world.lead_a,
                people={p: u for p, u in self.people.items() if u is not None},
            )
        )
        self._summary_exports(world)
        self._reporting_notify(world)
        self._partnership_b(world)

    def _partnership_b(self, world: World) -> None:
        """One object of every kind in partnership B, made by B's coordinator (who also reports
        for B's lead partner): what A's people must never reach through A's addresses."""
        lead_b = Partner.objects.get(partnership=world.b, role="lead")
        self.b = Objects(
            Side(
                partnership=world.b,
                coordinator=world.other_coordinator,
                reporter=world.other_coordinator,
                partner=lead_b,
                lead=lead_b,
                people={"coordinator": world.other_coordinator},
            )
        )
        self.b_partner = lead_b
        self.b_seat = Seat.objects.get(partnership=world.b, user=world.other_coordinator)
        self.b_invitation, _ = invitation_create(
            actor=world.other_coordinator,
            partnership=world.b,
            partner=lead_b,
            email="invitee@b.test",
            role="reporter",
        )

    def _summary_exports(self, world: World) -> None:
        """A council summary export for each person signed in (each sees only their own)."""
        from commonground.reporting.models import ReportExport

        self.summary_exports: dict[str, Any] = {}
        for persona, user in self.people.items():
            if user is not None:
                self.summary_exports[persona] = ReportExport.objects.create(
                    date_from="2025-01-01", date_to="2025-03-31", requested_by=user
                )

    def _reporting_notify(self, world: World) -> None:
        """A notification for each person (each may open only their own), the coordinator's
        digest unsubscribe link and calendar feed."""
        from commonground.notifications.services import calendar, digests
        from commonground.notifications.services.notify import notify

        self.notifications: dict[str, int] = {}
        with transaction.atomic():
            for persona, user in self.people.items():
                if user is not None:
                    made = notify(
                        user=user, kind="test", key=f"matrix:{persona}", subject="Hi", body="."
                    )
                    assert made is not None
                    self.notifications[persona] = made.pk
        self.unsubscribe_token = digests.unsubscribe_token(world.coordinator.pk, world.a.pk)
        _, self.feed_token = calendar.feed_create(user=world.coordinator)

    def cross_kwargs(self) -> dict[str, Any]:
        """Partnership A's id with the id of partnership B's object of each kind."""
        b = self.b
        return {
            "partnership_id": self.world.a.pk,
            "period": "2025-Q2",
            "partner_id": self.b_partner.pk,
            "seat_id": self.b_seat.pk,
            "invitation_id": self.b_invitation.pk,
            "objective_id": b.objective.pk,
            "indicator_id": b.indicator.pk,
            "dimension_id": b.dimension.pk,
            "result_id": b.result.pk,
            "job_id": b.import_jobs["coordinator"].pk,
            "schedule_id": b.schedule.pk,
            "report_id": b.report.pk,
            "attachment_id": b.report_attachment.pk,
            "evaluation_id": b.evaluation.pk,
            "recommendation_id": b.recommendation.pk,
            "update_id": b.updates["coordinator"].pk,
            "milestone_id": b.milestone.pk,
            "entry_id": b.plan_entry.pk,
            "export_id": b.report_exports["coordinator"].pk,
        }

    def url_kwargs(self, persona: str) -> dict[str, Any]:
        a = self.a
        return {
            "partnership_id": self.world.a.pk,
            "partner_id": self.world.ngo_a.pk,
            "seat_id": self.viewer_seat.pk,
            "invitation_id": self.invitation.pk,
            "organisation_id": self.world.ngo.pk,
            "token_id": self.tokens.get(persona, self.tokens["coordinator"]),
            "token": self.invitation_token,
            "uidb64": "MQ",
            "partnership_pk": self.world.a.pk,
            "objective_id": a.objective.pk,
            "indicator_id": a.indicator.pk,
            "dimension_id": a.dimension.pk,
            # The submitted result, or for those who see approved ones only, an approved one.
            "result_id": (a.result if sees_result(persona, "submitted") else a.approved_result).pk,
            "period": "2025-Q2",
            "job_id": a.import_jobs.get(persona, a.import_jobs["reporter"]).pk,
            "schedule_id": a.schedule.pk,
            "report_id": a.report.pk,
            "attachment_id": a.report_attachment.pk,
            "evaluation_id": a.evaluation.pk,
            "recommendation_id": a.recommendation.pk,
            "update_id": a.updates.get(persona, a.updates["coordinator"]).pk,
            "milestone_id": a.milestone.pk,
            "entry_id": a.plan_entry.pk,
            "export_id": a.report_exports.get(persona, a.report_exports["viewer"]).pk,
            "summary_id": self.summary_exports.get(persona, self.summary_exports["outsider"]).pk,
            "notification_id": self.notifications.get(persona, self.notifications["coordinator"]),
            "unsubscribe_token": self.unsubscribe_token,
            "feed_token": self.feed_token,
        }


@pytest.fixture(scope="module")
def scene(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Scene]:
    """The scene, built once per database per test process: about 25 audited writes, which
    every case used to repeat.

    It is built inside a transaction that stays open while this module's tests run and is
    rolled back after them. Each test's own transaction (pytest-django's, TestCase style) is a
    savepoint inside it, rolled back at the test's end, so what one case writes (a POST that
    accepts an invitation or deletes an objective) is gone before the next case runs. Nothing
    commits, so `transaction.on_commit` callbacks never run, as in any TestCase test. Caches
    are emptied before every test (conftest.py), so a page cached by one case is never served
    to another.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        # The settings conftest.py gives every test (_fast_passwords_and_outbox), which a
        # module's fixture runs before.
        with django_db_blocker.unblock(), override_settings(**TEST_SETTINGS):
            built = Scene(build_world())
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(scene: Scene) -> World:
    """The scene's world: another one cannot be built beside it (the same people's e-mails)."""
    return scene.world


def _fill(route: str, values: dict[str, Any]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        return str(values[name])

    path = re.sub(r"<([^>]+)>", replace, route)
    path = re.sub(r"\{([^}]+)\}", replace, path)
    return "/" + path.lstrip("/")


def _client(scene: Scene, persona: str) -> Client:
    client = Client()
    user = scene.people[persona]
    if user is not None:
        client.force_login(user)
    return client


def _expected(policy: str, persona: str) -> str:
    """'login' (sent to sign in), 'missing' (404), 'forbidden' (403) or 'allowed'."""
    if policy == "public":
        return "allowed"
    if persona == "anonymous":
        return "login"
    if policy == "signed_in":
        return "allowed"
    perm = permission(policy.removeprefix("partnership:"))
    if persona not in SEATED:
        return "missing"
    return "allowed" if perm in ROLE_PERMISSIONS[persona] else "forbidden"


def sees_result(persona: str, state: str) -> bool:
    """The rule of results.access, written out again: reviewers see every result; reporters
    their own partner's (the matrix's results are the reporter's partner's) and approved ones;
    everyone else approved ones only."""
    if persona not in SEATED:
        return False
    perms = ROLE_PERMISSIONS[persona]
    if {"results.review", "results.report"} & set(perms):
        return True
    return state == "approved"


def _classify_page(response: Any) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")):
        return "login"
    if response.status_code == 404:
        return "missing"
    if response.status_code == 403:
        return "forbidden"
    if response.status_code >= 500:
        return f"error {response.status_code}"
    return "allowed"


@pytest.mark.parametrize(
    "name,route,callback", page_patterns(), ids=[p[0] for p in page_patterns()]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_page_access(scene: Scene, name: str, route: str, callback: Any, method: str) -> None:
    policy = policy_of(callback)
    assert policy, f"{name} ({route}) declares no access policy: use public, signed_in or "
    "partnership_view(...)"
    if policy == "public":
        assert name in PUBLIC_PAGES, f"{name} is public but not on the PUBLIC_PAGES allow-list"
    problems = []
    for persona in PERSONAS:
        with transaction.atomic():
            url = _fill(route, scene.url_kwargs(persona))
            response = getattr(_client(scene, persona), method)(url)
            got = _classify_page(response)
            want = _expected(policy, persona)
            if name == "partnerships:invitation" and got == "missing":
                got = "allowed"  # a used or unknown link is a 404/410 page by design
            if policy == "public" and got == "login":
                got = "allowed"  # e.g. the home page sends strangers to sign in
            if got != want:
                problems.append(
                    f"{persona}: {method.upper()} {url} -> {response.status_code} "
                    f"({got}), expected {want}"
                )
            transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


def test_every_public_page_on_the_allow_list_exists() -> None:
    names = {name for name, _, _ in page_patterns()}
    assert names >= PUBLIC_PAGES


# ---- the JSON API ---------------------------------------------------------------------------


@functools.cache
def _schema() -> dict[str, Any]:
    """The OpenAPI schema, generated once per test process (about 2 s each time)."""
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


def api_operations() -> list[tuple[str, str, dict[str, Any]]]:
    operations = []
    for path, methods in _schema()["paths"].items():
        for method, operation in methods.items():
            operations.append((method, path, operation))
    return operations


SAMPLE = {
    "title": "A title",
    "purpose": "A purpose",
    "start_date": "2025-02-01",
    "held_on": "2026-03-31",
    "email": "x@new.test",
    "name": "Brand New Org",
    "org_type": "22",
    "aims": "Aims",
}


def _sample_body(scene: Scene, operation: dict[str, Any], schema: dict[str, Any]) -> Any:
    body = operation.get("requestBody")
    if not body:
        return None
    body_schema = body["content"]["application/json"]["schema"]
    # An optional body is anyOf [its schema, null].
    ref = body_schema.get("$ref", body_schema.get("anyOf", [{}])[0].get("$ref", "")).split("/")[-1]
    component = schema["components"]["schemas"][ref]
    role = "advisory" if ref.startswith("Partner") and "ship" not in ref else "viewer"
    ids = {
        "lead_organisation_id": scene.world.ngo.pk,
        "organisation_id": scene.world.other_org.pk,
        "partner_id": scene.world.ngo_a.pk,
        "objective_id": scene.a.objective.pk,
        "indicator_id": scene.a.indicator.pk,
        "source_indicator_id": scene.a.indicator.pk,
        "owner_id": scene.world.lead_a.pk,
        "period": "2025-Q2",
        "partner_ids": [scene.world.ngo_a.pk],
        "frequency": "quarterly",
    }
    data: dict[str, Any] = {}
    for key in component.get("required", []) or list(component.get("properties", {}))[:1]:
        data[key] = ids.get(key, role if key == "role" else SAMPLE.get(key, "x"))
    return data


def _classify_api(response: Any) -> str:
    return {401: "login", 403: "forbidden", 404: "missing"}.get(
        response.status_code,
        f"error {response.status_code}" if response.status_code >= 500 else "allowed",
    )


@pytest.mark.parametrize(
    "method,path,operation",
    api_operations(),
    ids=[f"{m.upper()} {p}" for m, p, _ in api_operations()],
)
def test_api_access(scene: Scene, method: str, path: str, operation: dict[str, Any]) -> None:
    policy = operation.get("x-access")
    assert policy, f"{method.upper()} {path} declares no access policy (openapi_extra=access(...))"
    schema = _schema()
    problems = []
    for persona in PERSONAS:
        for auth in ("session", "bearer") if persona != "anonymous" else ("none",):
            with transaction.atomic():
                url = _fill(path, scene.url_kwargs(persona))
                body = _sample_body(scene, operation, schema)
                client = Client()
                headers: dict[str, str] = {}
                if auth == "session":
                    client.force_login(scene.people[persona])  # type: ignore[arg-type]
                elif auth == "bearer":
                    headers["Authorization"] = f"Bearer {scene.bearer[persona]}"
                response = getattr(client, method)(
                    url,
                    data=json.dumps(body) if body is not None else None,
                    content_type="application/json",
                    headers=headers,
                )
                got, want = _classify_api(response), _expected(policy, persona)
                if got != want:
                    problems.append(
                        f"{persona}/{auth}: {method.upper()} {url} -> "
                        f"{response.status_code} ({got}), expected {want}"
                    )
                elif got != "allowed":
                    assert set(response.json()) >= {"code", "message"}
                transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


def test_openapi_schema_is_public_and_docs_need_sign_in(world: World) -> None:
    assert Client().get("/api/v1/openapi.json").status_code == 200
    anonymous = Client().get("/api/v1/docs")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client = Client()
    client.force_login(world.outsider)
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize(
    "persona,status",
    [
        ("anonymous", 302),
        ("coordinator", 302),
        ("site_admin", 200),
    ],
)
@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/partnerships/partnership/",
        "/admin/accounts/organisation/",
        "/admin/accounts/user/",
        "/admin/core/auditevent/",
    ],
)
def test_admin_is_for_site_admins(world: World, persona: str, status: int, url: str) -> None:
    client = Client()
    user = {"coordinator": world.coordinator, "site_admin": world.site_admin}.get(persona)
    if user is not None:
        client.force_login(user)
    assert client.get(url).status_code == status


# ---- across partnerships --------------------------------------------------------------------

# What a URL may hold beside the partnership's id that names no object of its own.
NOT_OBJECTS = {"partnership_id", "period"}


def _placeholders(route: str) -> set[str]:
    found = re.findall(r"<([^>]+)>", route) + re.findall(r"\{([^}]+)\}", route)
    return {name.split(":")[-1] for name in found}


def _object_scoped(route: str) -> bool:
    """A route inside a partnership that names an object of it."""
    names = _placeholders(route)
    return "partnership_id" in names and bool(names - NOT_OBJECTS)


def _cross_url(scene: Scene, route: str) -> str:
    missing = _placeholders(route) - set(scene.cross_kwargs())
    assert not missing, (
        f"{route} names {', '.join(sorted(missing))}: make one in partnership B "
        "(Scene._partnership_b) and add it to Scene.cross_kwargs"
    )
    return _fill(route, scene.cross_kwargs())


def _cross_personas(policy: str) -> list[str]:
    """A's coordinator, and A's reporter where a reporter may act."""
    perm = permission(policy.removeprefix("partnership:"))
    return ["coordinator"] + (["reporter"] if perm in ROLE_PERMISSIONS["reporter"] else [])


CROSS_PAGES = [p for p in page_patterns() if _object_scoped(p[1])]
CROSS_OPERATIONS = [o for o in api_operations() if _object_scoped(o[1])]


@pytest.mark.parametrize("name,route,callback", CROSS_PAGES, ids=[p[0] for p in CROSS_PAGES])
def test_page_of_another_partnership_is_missing(
    scene: Scene, name: str, route: str, callback: Any
) -> None:
    """Partnership A's address with the id of B's object: not found, to read or to write. A
    method the page does not serve at all (405 for A's own object too) is refused before any
    object is looked up, which tells nothing about B's."""
    url = _cross_url(scene, route)
    problems = []
    for persona in _cross_personas(policy_of(callback)):
        answers = {}
        for method in ("get", "post"):
            with transaction.atomic():
                answers[method] = getattr(_client(scene, persona), method)(url).status_code
                transaction.set_rollback(True)
            if answers[method] == 405:
                own = _fill(route, scene.url_kwargs(persona))
                with transaction.atomic():
                    own_answer = getattr(_client(scene, persona), method)(own).status_code
                    transaction.set_rollback(True)
                if own_answer == 405:
                    continue
            if answers[method] != 404:
                problems.append(
                    f"{persona}: {method.upper()} {url} -> {answers[method]}, expected 404"
                )
        if 404 not in answers.values():
            problems.append(f"{persona}: {url} answers no method with 404: {answers}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "method,path,operation",
    CROSS_OPERATIONS,
    ids=[f"{m.upper()} {p}" for m, p, _ in CROSS_OPERATIONS],
)
def test_api_operation_on_another_partnership_is_missing(
    scene: Scene, method: str, path: str, operation: dict[str, Any]
) -> None:
    """Partnership A's address with the id of B's object, and a valid body: not found."""
    url = _cross_url(scene, path)
    body = _sample_body(scene, operation, _schema())
    problems = []
    for persona in _cross_personas(operation["x-access"]):
        with transaction.atomic():
            response = getattr(_client(scene, persona), method)(
                url,
                data=json.dumps(body) if body is not None else None,
                content_type="application/json",
            )
            if response.status_code != 404:
                problems.append(
                    f"{persona}: {method.upper()} {url} -> {response.status_code}, expected 404"
                )
            transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


def test_every_object_scoped_route_is_crossed() -> None:
    """The cross-partnership pass is not empty (a change to how routes name ids would empty it)."""
    assert len(CROSS_PAGES) > 40 and len(CROSS_OPERATIONS) > 30


# ---- which results a person sees ------------------------------------------------------------

RESULT_PAGES = [p for p in page_patterns() if "result_id" in _placeholders(p[1])]
RESULT_OPERATIONS = [o for o in api_operations() if "result_id" in _placeholders(o[1])]
RESULT_STATES = ("draft", "submitted", "approved")


def _want_for_result(policy: str, persona: str, state: str) -> str:
    """What the role allows, except that a result the person may not see is not found."""
    want = _expected(policy, persona)
    if want == "allowed" and not sees_result(persona, state):
        return "missing"
    return want


@pytest.mark.parametrize("name,route,callback", RESULT_PAGES, ids=[p[0] for p in RESULT_PAGES])
def test_result_pages_show_a_result_only_to_who_may_see_it(
    scene: Scene, name: str, route: str, callback: Any
) -> None:
    """Every page naming a result, for every seated person and a draft, a submitted and an
    approved result: another partner's value is its own until it is approved (issue 9, item 8)."""
    policy = policy_of(callback)
    problems = []
    for persona in sorted(SEATED):
        for state in RESULT_STATES:
            kwargs = {**scene.url_kwargs(persona), "result_id": scene.a.results_by_state[state].pk}
            url = _fill(route, kwargs)
            for method in ("get", "post"):
                with transaction.atomic():
                    response = getattr(_client(scene, persona), method)(url)
                    transaction.set_rollback(True)
                if response.status_code == 405:
                    continue
                got, want = _classify_page(response), _want_for_result(policy, persona, state)
                if got != want:
                    problems.append(
                        f"{persona}, {state} result: {method.upper()} {url} -> "
                        f"{response.status_code} ({got}), expected {want}"
                    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "method,path,operation",
    RESULT_OPERATIONS,
    ids=[f"{m.upper()} {p}" for m, p, _ in RESULT_OPERATIONS],
)
def test_result_operations_show_a_result_only_to_who_may_see_it(
    scene: Scene, method: str, path: str, operation: dict[str, Any]
) -> None:
    body = _sample_body(scene, operation, _schema())
    problems = []
    for persona in sorted(SEATED):
        for state in RESULT_STATES:
            kwargs = {**scene.url_kwargs(persona), "result_id": scene.a.results_by_state[state].pk}
            url = _fill(path, kwargs)
            with transaction.atomic():
                response = getattr(_client(scene, persona), method)(
                    url,
                    data=json.dumps(body) if body is not None else None,
                    content_type="application/json",
                )
                transaction.set_rollback(True)
            got = _classify_api(response)
            want = _want_for_result(operation["x-access"], persona, state)
            if got != want:
                problems.append(
                    f"{persona}, {state} result: {method.upper()} {url} -> "
                    f"{response.status_code} ({got}), expected {want}"
                )
    assert not problems, "\n".join(problems)


def test_the_result_list_holds_only_what_each_person_may_see(scene: Scene) -> None:
    url = f"/api/v1/partnerships/{scene.world.a.pk}/results?limit=100"
    for persona in sorted(SEATED):
        listed = {item["id"] for item in _client(scene, persona).get(url).json()["items"]}
        want = {
            r.pk for state, r in scene.a.results_by_state.items() if sees_result(persona, state)
        }
        assert listed == want, persona
    assert len(RESULT_PAGES) >= 5 and len(RESULT_OPERATIONS) >= 6
