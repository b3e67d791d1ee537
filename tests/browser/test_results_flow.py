"""Results in a real browser: a reporter imports a CSV with one bad row, reads the error, fixes
the file and imports it, submits the drafts; the coordinator approves them; the results page
shows the indicator's new value to date and its status.

The framework is seeded in the server's database through the services: a partnership running
from 1 January last year to 31 December next year (so "today" is always inside it), an outcome
with a quarterly count (baseline 0 at the start, target 100 at the end, reported by Shelter
Network), and a reporter of Shelter Network.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

from commonground.results import periods

if TYPE_CHECKING:
    from tests.browser.conftest import LiveApp, Person, Visitor

pytestmark = [pytest.mark.browser]

Shoot = Callable[[Page, str], Path]

TITLE = "Riverside Housing Partnership"
INDICATOR = "People housed"
OUTCOME = "People leave the streets for good"
REPORTER = ("rafa.reporter@shelter.test", "Rafa Reporter")

SEED_RESULTS = textwrap.dedent(
    """
    import json, os
    from commonground.accounts.models import Organisation, User
    from commonground.partnerships.models import Partner
    from commonground.partnerships.services import partner_add, partnership_create, seat_create
    from commonground.partnerships.access import seat_of
    from commonground.results.services import framework

    seed = json.loads(os.environ["CG_RESULTS_SEED"])
    coordinator = User.objects.get(email=seed["coordinator"])
    reporter = User.objects.create_user(
        seed["reporter"], seed["password"], full_name=seed["reporter_name"]
    )
    city = Organisation.objects.get(name="City of Testville")
    shelter = Organisation.objects.get(name="Shelter Network")
    partnership = partnership_create(
        actor=coordinator,
        data={"title": seed["title"], "purpose": "A home for everyone in Riverside.",
              "start_date": seed["start"], "end_date": seed["end"], "sdg_goals": [11],
              "sectors": []},
        lead_organisation=city,
    )
    ngo = partner_add(actor=coordinator, partnership=partnership, organisation=shelter,
                      role="implementing", aims="Open 40 beds.")
    seat_create(actor=coordinator, partnership=partnership, user=reporter, partner=ngo,
                role="reporter")
    outcome = framework.objective_create(
        actor=coordinator, seat=seat_of(coordinator, partnership.pk),
        data={"level": "outcome", "title": seed["outcome"], "parent_id": None},
    )
    indicator = framework.indicator_create(
        actor=coordinator, seat=seat_of(coordinator, outcome.partnership_id), objective=outcome,
        data={"title": seed["indicator"], "unit": "people", "measure": "1",
              "direction": "increase", "aggregation": "sum", "frequency": "quarterly",
              "baseline_value": 0, "baseline_date": seed["start"], "target_value": 100,
              "target_date": seed["end"], "responsible_partner_id": ngo.pk},
    )
    print("SEEDED " + json.dumps({"partnership": partnership.pk, "indicator": indicator.pk}))
    """
)


@dataclass(frozen=True)
class Framework:
    partnership_id: int
    indicator_id: int
    reporter: Person
    periods: tuple[str, str]  # the last two quarters that have ended
    values: tuple[int, int]  # what the reporter reports for them

    @property
    def total(self) -> int:
        return sum(self.values)


@pytest.fixture(scope="module")
def results_framework(live_app: LiveApp) -> Framework:
    from tests.browser.conftest import Person

    today = dt.date.today()
    start, end = dt.date(today.year - 1, 1, 1), dt.date(today.year + 1, 12, 31)
    output = live_app.shell(
        SEED_RESULTS,
        CG_RESULTS_SEED=json.dumps(
            {
                "coordinator": live_app.coordinator.email,
                "reporter": REPORTER[0],
                "reporter_name": REPORTER[1],
                "password": live_app.password,
                "title": TITLE,
                "outcome": OUTCOME,
                "indicator": INDICATOR,
                "start": start.isoformat(),
                "end": end.isoformat(),
            }
        ),
    )
    match = re.search(r"^SEEDED (.+)$", output, re.MULTILINE)
    assert match, output
    ids = json.loads(match[1])
    ended = [
        p.label
        for p in periods.periods_between(periods.Frequency.QUARTERLY, start, today)
        if p.end < today
    ]
    # Ahead of the straight line from 0 to 100 (and still short of it), so: on track.
    expected_now = 100 * (today - start).days / (end - start).days
    total = min(99, math.ceil(expected_now) + 10)
    return Framework(
        partnership_id=ids["partnership"],
        indicator_id=ids["indicator"],
        reporter=Person(*REPORTER),
        periods=(ended[-2], ended[-1]),
        values=(total - total // 2, total // 2),
    )


def sign_in(page: Page, person: Person, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(person.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")


def results_file(header: list[str], framework: Framework, second_value: str) -> bytes:
    """A CSV with the template's columns and two rows, the second with `second_value`."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, restval="")
    writer.writeheader()
    for period, value in zip(
        framework.periods, (str(framework.values[0]), second_value), strict=True
    ):
        writer.writerow(
            {
                "indicator_id": framework.indicator_id,
                "indicator": INDICATOR,
                "period": period,
                "partner": "Shelter Network",
                "value": value,
            }
        )
    return buffer.getvalue().encode()


def upload(page: Page, name: str, content: bytes) -> None:
    page.get_by_label("Results file").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name="Check the file").click()


def test_reporter_imports_results_and_the_coordinator_approves_them(
    live_app: LiveApp,
    visitor: Callable[..., Visitor],
    screenshot: Shoot,
    results_framework: Framework,
) -> None:
    framework = results_framework
    results_url = f"/partnerships/{framework.partnership_id}/results/"
    first, second = framework.periods

    # 1. The reporter signs in and opens the results page; nothing is reported yet.
    reporter = visitor()
    page = reporter.page
    sign_in(page, framework.reporter, live_app.password)
    page.goto(results_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Results framework")
    expect(page.get_by_role("link", name=INDICATOR)).to_be_visible()
    screenshot(page, "results-01-framework-before")

    # 2. Opens the import page and reads the template's columns through its link.
    page.get_by_role("link", name="Import results (CSV/XLSX)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import results")
    template_link = page.get_by_role("region", name="1. Download the template").get_by_role(
        "link", name="CSV"
    )
    href = template_link.get_attribute("href")
    assert href
    template = page.request.get(href)
    assert template.ok, template.status
    records = csv.reader(io.StringIO(template.text(), newline=""))
    header = next(r for r in records if r and not r[0].startswith("#"))  # "#" rows: help
    assert header[:5] == ["indicator_id", "indicator", "period", "partner", "value"], header
    assert INDICATOR in template.text()
    screenshot(page, "results-02-import-page")

    # 3. Uploads a file whose second data row (row 3) says "twelve": nothing is imported and
    #    the problem names the row and the column.
    upload(page, "riverside-results.csv", results_file(header, framework, "twelve"))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(
        "Nothing was imported: 1 problem in 1 row. Fix the file and upload it again."
    )
    problem = page.get_by_role("table", name=re.compile("Problems")).get_by_role("row").nth(1)
    expect(problem).to_contain_text("Row 3")
    expect(problem.get_by_role("cell").nth(1)).to_have_text("value")
    expect(problem).to_contain_text("twelve")
    expect(page.get_by_role("button", name="Import now")).to_have_count(0)
    screenshot(page, "results-03-import-problem")

    # 4. Uploads the fixed file: the check shows what would be created, then imports it.
    upload(
        page,
        "riverside-results-fixed.csv",
        results_file(header, framework, str(framework.values[1])),
    )
    expect(page.get_by_text("2 results created, 0 updated, 0 unchanged.")).to_be_visible()
    screenshot(page, "results-04-import-preview")
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results framework")
    expect(page.get_by_role("status")).to_contain_text(
        "Imported: 2 created, 0 updated, 0 unchanged. Submit them for review from each indicator."
    )
    screenshot(page, "results-05-imported")

    # 5. The imports are drafts: the reporter submits each from its result page.
    for period, value in zip(framework.periods, framework.values, strict=True):
        page.goto(results_url)
        page.get_by_role("link", name=INDICATOR).click()
        row = page.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=period, exact=True)
        )
        row.get_by_role("link", name=f"Shelter Network: {value}", exact=True).click()
        expect(page.get_by_text("Draft").first).to_be_visible()
        page.get_by_role("button", name="Submit for review").click()
        expect(page.get_by_role("status")).to_contain_text("Submitted for review.")
    screenshot(page, "results-06-submitted")

    # 6. The coordinator signs in (a fresh browser), opens the review queue and approves both.
    coordinator = visitor()
    page2 = coordinator.page
    sign_in(page2, live_app.coordinator, live_app.password)
    page2.goto(results_url)
    page2.get_by_role("link", name="Results to review").click()
    queue = page2.url
    expect(page2.get_by_role("link", name=f"{INDICATOR}: {first}")).to_be_visible()
    screenshot(page2, "results-07-review-queue")
    for period in (first, second):
        page2.goto(queue)
        page2.get_by_role("link", name=f"{INDICATOR}: {period}").click()
        page2.get_by_role("button", name="Approve").click()
        expect(page2.get_by_role("status")).to_contain_text("Approved")

    # 7. The results page shows the new value to date and the status in words.
    page2.goto(results_url)
    item = page2.locator(".indicator-item").filter(has_text=INDICATOR)
    expect(item.locator(".indicator-figures")).to_contain_text(f"{framework.total} people")
    expect(item.locator(".status-badge")).to_have_text("On track")
    screenshot(page2, "results-08-framework-after")

    assert not reporter.csp_violations, reporter.console
    assert not coordinator.csp_violations, coordinator.console
