"""Partner reporting in a real browser, with the real worker mailing through the file backend:
a reporter gets the reminder (read from the outbox), follows its link, fills in and submits the
report; the coordinator returns it with a comment; the reporter reads the comment, corrects and
resubmits; the coordinator accepts it and the report is locked.

Seeded through the services in the server's database: a partnership that started a year ago,
Shelter Network as an implementing partner with a new reporter, and a quarterly schedule whose
last ended quarter is due in five days with a reminder five days before the due date (today).
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.browser.conftest import LiveApp, Visitor

pytestmark = [pytest.mark.browser]

Shoot = Callable[[Page, str], Path]

REPORTER = ("rosa.reporter@shelter.test", "Rosa Reporter")
TITLE = "Riverside Reporting Partnership"

SEED = textwrap.dedent(
    """
    import datetime as dt, json, os
    from django.utils import timezone
    from commonground.accounts.models import Organisation, User
    from commonground.partnerships.models import Seat
    from commonground.partnerships.services import partner_add, partnership_create, seat_create
    from commonground.reporting.models import PartnerReport
    from commonground.reporting.services import schedules
    from commonground.results import periods

    seed = json.loads(os.environ["CG_REPORTING_SEED"])
    today = timezone.localdate()
    coordinator = User.objects.get(email=seed["coordinator"])
    reporter = User.objects.create_user(
        seed["reporter"], seed["password"], full_name=seed["reporter_name"]
    )
    partnership = partnership_create(
        actor=coordinator,
        data={"title": seed["title"], "purpose": "Report together.",
              "start_date": (today - dt.timedelta(days=400)).isoformat(),
              "end_date": (today + dt.timedelta(days=400)).isoformat(),
              "sdg_goals": [11], "sectors": []},
        lead_organisation=Organisation.objects.get(name="City of Testville"),
    )
    ngo = partner_add(actor=coordinator, partnership=partnership,
                      organisation=Organisation.objects.get(name="Shelter Network"),
                      role="implementing", aims="Open 40 beds.")
    seat_create(actor=coordinator, partnership=partnership, user=reporter, partner=ngo,
                role="reporter")
    last = periods.previous(periods.period_containing("quarterly", today))
    due_days = (today - last.end).days + 5
    schedule = schedules.schedule_create(
        actor=coordinator,
        seat=Seat.objects.get(partnership=partnership, user=coordinator),
        partnership=partnership,
        data={"title": "Quarterly partner report", "frequency": "quarterly",
              "due_days": due_days, "reminder_offsets": [-5], "partner_ids": [ngo.pk]},
    )
    report = PartnerReport.objects.get(period__schedule=schedule, period__key=last.label)
    print("SEEDED " + json.dumps({"partnership": partnership.pk, "report": report.pk,
                                  "period": last.label}))
    """
)

SEND_REMINDERS = textwrap.dedent(
    """
    from commonground.notifications.services.reminders import send_due
    print("REMINDERS", send_due())
    """
)


def sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def link_in(body: str, report_id: int) -> str:
    match = re.search(rf"(https?://\S+/reports/{report_id}/)", body)
    assert match, body
    return match[1]


def test_reminder_submit_return_resubmit_accept(
    live_app: LiveApp, visitor: Callable[..., Visitor], screenshot: Shoot
) -> None:
    output = live_app.shell(
        SEED,
        CG_REPORTING_SEED=json.dumps(
            {
                "coordinator": live_app.coordinator.email,
                "reporter": REPORTER[0],
                "reporter_name": REPORTER[1],
                "password": live_app.password,
                "title": TITLE,
            }
        ),
    )
    match = re.search(r"^SEEDED (.+)$", output, re.MULTILINE)
    assert match, output
    seeded = json.loads(match[1])
    report_id, period = seeded["report"], seeded["period"]

    # 1. The reminder job runs; the worker process mails the reminder (file backend).
    assert "REMINDERS 1" in live_app.shell(SEND_REMINDERS)
    body = live_app.mail_to(REPORTER[0], timeout=30)
    assert period in body and TITLE in body
    url = link_in(body, report_id)

    # 2. The reporter follows the link, signs in and lands on the report.
    reporter = visitor(width=420, height=900)
    page = reporter.page
    page.goto(url)
    sign_in(page, REPORTER[0], live_app.password)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Shelter Network: report {period}")
    expect(page.locator(".report-facts .status-badge")).to_have_text("Due")
    screenshot(page, "reporting-01-report-due")

    # 3. Typing the narrative and then attaching a file keeps the text: it is saved with it.
    page.get_by_label("Achievements").fill("Opened 12 new beds at the Eastbank shelter.")
    page.get_by_label("File").set_input_files(
        {"name": "rota.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 rota"}
    )
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_text("Attachment added and your text saved.")).to_be_visible()
    expect(page.get_by_label("Achievements")).to_have_value(
        "Opened 12 new beds at the Eastbank shelter."
    )
    expect(page.get_by_role("link", name="rota.pdf")).to_be_visible()
    page.get_by_label("Achievements").fill("")

    # Submitting without the required sections names them; then fills in and submits.
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Write the achievements before you submit.")).to_be_visible()
    page.get_by_label("Achievements").fill("Opened 12 new beds at the Eastbank shelter.")
    page.get_by_label("Challenges and how they were handled").fill(
        "Two staff left; a shared rota with the city covered every shift."
    )
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Report submitted for review.")).to_be_visible()
    expect(page.locator(".report-facts .status-badge")).to_have_text("Submitted")

    # 4. The coordinator is told, opens the report and returns it with a comment.
    coordinator_mail = live_app.mail_to(live_app.coordinator.email, timeout=30)
    assert "Report to review" in coordinator_mail or period in coordinator_mail
    coordinator = visitor()
    cpage = coordinator.page
    cpage.goto(link_in(coordinator_mail, report_id))
    sign_in(cpage, live_app.coordinator.email, live_app.password)
    cpage.get_by_label("Comments for the partner").fill(
        "Please say how many of the 12 beds are for women."
    )
    cpage.get_by_role("button", name="Return with comments").click()
    expect(cpage.get_by_text("Report returned to the partner with your comments.")).to_be_visible()
    screenshot(cpage, "reporting-02-returned")

    # 5. The reporter reads the comment, corrects and resubmits.
    page.reload()
    expect(page.get_by_role("note")).to_contain_text("how many of the 12 beds are for women")
    page.get_by_label("Achievements").fill(
        "Opened 12 new beds at the Eastbank shelter, 5 of them for women."
    )
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".report-facts .status-badge")).to_have_text("Submitted")

    # 6. The coordinator accepts; the report is locked and its history complete.
    cpage.reload()
    cpage.get_by_role("button", name="Accept").click()
    expect(cpage.get_by_text("Report accepted. It is locked now.")).to_be_visible()
    page.reload()
    expect(page.locator(".report-facts .status-badge")).to_have_text("Accepted")
    expect(page.get_by_role("button", name="Submit for review")).to_have_count(0)
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Submitted by Rosa Reporter")
    expect(history).to_contain_text("Returned with comments by Casey Coordinator")
    expect(history).to_contain_text("Accepted by Casey Coordinator")
    screenshot(page, "reporting-03-accepted")
    assert not reporter.csp_violations and not coordinator.csp_violations
