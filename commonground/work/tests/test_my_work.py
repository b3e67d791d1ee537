"""My work: each source lists work for exactly the people who must act, drops it when anyone
does it, never offers one's own submission for review, shows nothing to an outsider, and asks
the database a bounded number of times whatever the number of partnerships."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from commonground.partnerships.access import seat_of
from commonground.partnerships.services import partnership_create
from commonground.reporting.services import plan, reports
from commonground.reporting.tests.factories import make_schedule, report_of, submit
from commonground.reporting.tests.updates_factories import make_entry
from commonground.results.models import ResultStatus
from commonground.results.services import entry
from commonground.results.services.evaluation import evaluation_create, recommendation_complete
from commonground.results.tests.factories import make_indicator, make_objective
from commonground.results.tests.factories import report as report_result
from commonground.work.selectors import my_work

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _april_2025():
    with time_machine.travel(dt.datetime(2025, 4, 20, 9, tzinfo=dt.UTC), tick=False):
        yield


def keys(user, group: str) -> set[str]:
    return {item.key for item in getattr(my_work(user), group)}


def everything(user) -> set[str]:
    work = my_work(user)
    groups = ("overdue", "due_soon", "to_review", "to_do", "waiting_for_others", "done")
    return {item.key for group in groups for item in getattr(work, group)}


def test_a_partner_report_is_to_write_for_its_partner_then_to_review_then_gone(world):
    report = report_of(world, make_schedule(world), "2025-Q1")  # due 30 April 2025
    write = f"report-write:{report.pk}"
    review = f"report-review:{report.pk}"
    assert keys(world.reporter, "due_soon") == {write}
    for other in (world.coordinator, world.editor, world.viewer, world.outsider):
        assert write not in everything(other)

    submit(world, report)
    assert write not in everything(world.reporter)
    assert review in keys(world.reporter, "waiting_for_others")  # their own, not reviewable
    assert review in keys(world.coordinator, "to_review")
    assert review in keys(world.editor, "to_review")
    assert review not in everything(world.viewer)

    reports.report_accept(actor=world.editor, seat=world.seat(world.editor), report=report)
    for person in (world.coordinator, world.editor, world.reporter):
        assert review not in everything(person)
    assert f"report-reviewed:{report.pk}" in keys(world.editor, "done")
    assert f"report-submitted:{report.pk}" in keys(world.reporter, "done")


def test_a_report_past_its_due_date_is_overdue_and_a_returned_one_is_to_revise(world):
    report = report_of(world, make_schedule(world), "2025-Q1")
    with time_machine.travel(dt.datetime(2025, 5, 10, 9, tzinfo=dt.UTC), tick=False):
        overdue = my_work(world.reporter).overdue
        assert [item.key for item in overdue] == [f"report-write:{report.pk}"]
        submit(world, report)
        reports.report_return(
            actor=world.coordinator,
            seat=world.seat(world.coordinator),
            report=report,
            comment="Add the numbers.",
        )
        (item,) = my_work(world.reporter).overdue
        assert item.what == "Revise the returned 2025-Q1 report"


def test_results_are_to_enter_then_to_review_never_by_their_submitter(world):
    indicator = make_indicator(world, make_objective(world))
    result = report_result(world, indicator, "2025-Q1", 5, status=ResultStatus.DRAFT)
    enter = f"results-enter:{world.a.pk}:{world.ngo_a.pk}:draft"
    assert enter in keys(world.reporter, "to_do")
    assert enter not in everything(world.viewer) | everything(world.coordinator)

    entry.result_submit(actor=world.reporter, seat=world.seat(world.reporter), result=result)
    review = f"results-review:{world.a.pk}:{world.ngo_a.pk}:{world.reporter.pk}"
    assert enter not in everything(world.reporter)
    assert review in keys(world.reporter, "waiting_for_others")
    assert review in keys(world.coordinator, "to_review")
    assert review in keys(world.editor, "to_review")

    entry.result_approve(actor=world.editor, seat=world.seat(world.editor), result=result)
    assert review not in everything(world.coordinator) | everything(world.reporter)
    assert f"results-approved:{world.a.pk}" in keys(world.editor, "done")


def test_a_coordinators_own_results_wait_for_someone_else(world):
    indicator = make_indicator(world, make_objective(world), responsible=world.lead_a)
    report_result(
        world,
        indicator,
        "2025-Q1",
        5,
        status=ResultStatus.SUBMITTED,
        reporter=world.coordinator,
        partner=world.lead_a,
    )
    review = f"results-review:{world.a.pk}:{world.lead_a.pk}:{world.coordinator.pk}"
    assert review in keys(world.coordinator, "waiting_for_others")
    assert review not in keys(world.coordinator, "to_review")
    assert review in keys(world.editor, "to_review")


def test_a_recommendation_is_work_for_its_owner_until_done(world):
    session = evaluation_create(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, world.a.pk),
        data={
            "title": "Mid-term review",
            "held_on": "2025-03-30",
            "participants": "City, Shelter Network",
            "findings": [],
            "recommendations": [
                {
                    "text": "Open a second intake desk.",
                    "owner_id": world.ngo_a.pk,
                    "due_date": "2025-04-25",
                }
            ],
        },
    )
    recommendation = session.recommendations.get()
    key = f"recommendation:{recommendation.pk}"
    assert key in keys(world.reporter, "due_soon")
    assert key not in everything(world.viewer) | everything(world.coordinator)
    recommendation_complete(
        actor=world.coordinator, seat=world.seat(world.coordinator), recommendation=recommendation
    )
    assert key not in everything(world.reporter)


def test_a_communication_entry_is_work_for_its_owner_who_may_mark_it_done(world):
    entry_ = make_entry(world, starts_on="2025-01-01")  # monthly, owned by the lead partner
    key = f"plan-entry:{entry_.pk}"
    assert key in keys(world.coordinator, "overdue")
    assert key in keys(world.editor, "overdue")
    assert key not in everything(world.reporter) | everything(world.viewer)
    plan.plan_entry_mark_done(
        actor=world.editor, seat=world.seat(world.editor), entry=entry_, note="Sent."
    )
    assert key not in keys(world.coordinator, "overdue")


def test_an_outsider_has_no_work_and_the_page_says_so(world):
    assert everything(world.outsider) == set()
    client = Client()
    client.force_login(world.outsider)
    page = client.get(reverse("work:mine"))
    assert page.status_code == 200
    assert "0 things wait for you" in page.text and "Nothing is overdue." in page.text


def test_home_is_my_work_and_lines_link_where_the_work_is_done(world):
    report = report_of(world, make_schedule(world), "2025-Q1")
    client = Client()
    client.force_login(world.reporter)
    assert client.get("/").headers["Location"] == reverse("work:mine")
    page = client.get(reverse("work:mine")).text
    link = reverse("reporting:report", args=[world.a.pk, report.pk])
    assert f'href="{link}"' in page and "Write and submit the 2025-Q1 report" in page
    assert "Due 30 Apr 2025 · in 10 days" in page
    assert Client().get(reverse("work:mine")).status_code == 302  # signed out: sign in first


def test_the_query_count_does_not_grow_with_the_partnerships(world, django_assert_max_num_queries):
    def add_partnership(n: int) -> None:
        partnership = partnership_create(
            actor=world.coordinator,
            data={
                "title": f"Partnership {n}",
                "purpose": "x",
                "start_date": "2025-01-01",
                "end_date": "2027-12-31",
                "sdg_goals": [1],
                "sectors": ["160"],
            },
            lead_organisation=world.city,
        )
        assert seat_of(world.coordinator, partnership.pk) is not None

    submit(world, report_of(world, make_schedule(world), "2025-Q1"))
    client = Client()
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("work:mine")).status_code == 200
    for n in range(8):
        add_partnership(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("work:mine"))
    assert "Review the 2025-Q1 report" in page.text


def test_the_review_queue_lists_across_partnerships_oldest_first_own_apart(world):
    indicator = make_indicator(world, make_objective(world), responsible=world.lead_a)
    report_result(
        world,
        indicator,
        "2025-Q1",
        5,
        status=ResultStatus.SUBMITTED,
        reporter=world.coordinator,
        partner=world.lead_a,
    )
    with time_machine.travel(dt.datetime(2025, 4, 21, 9, tzinfo=dt.UTC), tick=False):
        submit(world, report_of(world, make_schedule(world), "2025-Q1"))
        client = Client()
        client.force_login(world.coordinator)
        page = client.get(reverse("work:review")).text
    to_review, own = page.split('id="own"')
    assert "Review the 2025-Q1 report" in to_review and "Shelter Network" in to_review
    assert "1 result you submitted waits for review" in own
    assert "work-action" not in own  # not actionable from here
    client.force_login(world.editor)
    with time_machine.travel(dt.datetime(2025, 4, 21, 9, tzinfo=dt.UTC), tick=False):
        to_review = client.get(reverse("work:review")).text.split('id="own"')[0]
    # Oldest first: the result (submitted on the 20th) before the report (the 21st).
    assert to_review.index("Review 1 result") < to_review.index("Review the 2025-Q1 report")


def test_the_header_counts_my_work_by_group_and_follows_every_change(
    world, django_assert_max_num_queries
):
    report = report_of(world, make_schedule(world), "2025-Q1")
    reporter, coordinator = Client(), Client()
    reporter.force_login(world.reporter)
    coordinator.force_login(world.coordinator)
    header = reporter.get("/profile/").text.split("</header>")[0]
    assert "1 due soon" in header and "overdue" not in header
    assert "to review" not in coordinator.get("/profile/").text.split("</header>")[0]
    # Cached: a second page asks the database one question for the counts.
    with django_assert_max_num_queries(8):
        reporter.get("/profile/")

    submit(world, report)
    assert "due soon" not in reporter.get("/profile/").text.split("</header>")[0]
    assert "1 to review" in coordinator.get("/profile/").text.split("</header>")[0]
    with time_machine.travel(dt.datetime(2025, 5, 2, 9, tzinfo=dt.UTC), tick=False):
        reports.report_return(
            actor=world.coordinator,
            seat=world.seat(world.coordinator),
            report=report,
            comment="Add the numbers.",
        )
        assert "1 overdue" in reporter.get("/profile/").text.split("</header>")[0]


def test_the_partnerships_review_page_lists_reports_too_and_own_results_apart(world):
    indicator = make_indicator(world, make_objective(world), responsible=world.lead_a)
    report_result(
        world,
        indicator,
        "2025-Q1",
        5,
        status=ResultStatus.SUBMITTED,
        reporter=world.coordinator,
        partner=world.lead_a,
    )
    report_result(world, indicator, "2025-Q1", 7, status=ResultStatus.SUBMITTED)  # the reporter's
    submit(world, report_of(world, make_schedule(world), "2025-Q1"))
    client = Client()
    client.force_login(world.coordinator)
    page = client.get(reverse("results:review", args=[world.a.pk])).text
    reports = page.split('id="reports-heading"')[1].split("</section>")[0]
    results = page.split('id="results-heading"')[1].split("</section>")[0]
    own = page.split('id="own-heading"')[1].split("</section>")[0]
    assert "Review the 2025-Q1 report" in reports and "work-action" in reports
    assert "Shelter Network" in results and "City of Testville" not in results
    assert "City of Testville" in own  # the coordinator's own, listed apart


def test_a_checked_import_waits_for_the_person_who_uploaded_it(world):
    from commonground.results.models import ImportJob, ImportJobStatus

    def job(plan: dict) -> ImportJob:
        return ImportJob.objects.create(
            partnership=world.a,
            seat=world.seat(world.reporter),
            created_by=world.reporter,
            file_name="q1.csv",
            stored_name="x",
            sha256="0" * 64,
            rows=3,
            status=ImportJobStatus.CHECKED,
            plan=plan,
        )

    ready = job({"ok": True, "problem_count": 0})
    job({"ok": False, "problem_count": 2})  # problems: nothing to import, no work
    assert keys(world.reporter, "to_do") == {f"import:{ready.pk}"}
    assert f"import:{ready.pk}" not in everything(world.coordinator)
    ImportJob.objects.filter(pk=ready.pk).update(status=ImportJobStatus.DONE)
    assert everything(world.reporter) == set()
