"""The main journeys with the keyboard alone (issue 10, item 2): sign in, submit a result,
submit a partner report, review a result, import a file, create an indicator.

Each journey is driven only by Tab, Shift+Tab, Enter, Space and typing into the focused field
(choosing the file in the browser's file dialog aside, which a keyboard user does in the
operating system's dialog). At every step the focused element must be the expected one (found
by its accessible name, as a screen reader names it) and must show a visible focus indicator;
at the end the outcome is checked on the page and in the database. `Keys.tab_to` presses Tab
until the expected element has focus, at most a bounded number of times, and fails with the
names it passed: so it proves the element is reachable, and in that order.

Also here: the live region that says what an htmx swap changed, the check that every chart has a
text alternative and a table of its data (and that the check catches a chart without them), and
reflow at 320 px and at 200 % zoom (a 1280 px window at 200 % lays out like a 640 px one).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.checks import CHART_PROBLEMS_SCRIPT

if TYPE_CHECKING:
    from tests.browser.conftest import LiveApp, Visitor

pytestmark = [pytest.mark.browser]

TITLE = "Keyboard Street Partnership"
OUTCOME = "Everyone can reach the shelter"
INDICATOR = "Nights of shelter given"
REPORTER = ("kim.keys@shelter.test", "Kim Keys")

SEED = textwrap.dedent(
    """
    import datetime as dt, json, os
    from django.utils import timezone
    from commonground.accounts.models import Organisation, User
    from commonground.partnerships.access import seat_of
    from commonground.partnerships.services import partner_add, partnership_create, seat_create
    from commonground.reporting.models import PartnerReport
    from commonground.reporting.services import schedules
    from commonground.results import periods
    from commonground.results.services import entry, framework

    seed = json.loads(os.environ["CG_KEYBOARD_SEED"])
    today = timezone.localdate()
    start, end = dt.date(today.year - 1, 1, 1), dt.date(today.year + 1, 12, 31)
    coordinator = User.objects.get(email=seed["coordinator"])
    reporter = User.objects.create_user(
        seed["reporter"], seed["password"], full_name=seed["reporter_name"]
    )
    partnership = partnership_create(
        actor=coordinator,
        data={"title": seed["title"], "purpose": "Shelter for every night.",
              "start_date": start.isoformat(), "end_date": end.isoformat(),
              "sdg_goals": [11], "sectors": []},
        lead_organisation=Organisation.objects.get(name="City of Testville"),
    )
    ngo = partner_add(actor=coordinator, partnership=partnership,
                      organisation=Organisation.objects.get(name="Shelter Network"),
                      role="implementing", aims="Open the doors every night.")
    seat_create(actor=coordinator, partnership=partnership, user=reporter, partner=ngo,
                role="reporter")
    lead = seat_of(coordinator, partnership.pk)
    outcome = framework.objective_create(
        actor=coordinator, seat=lead,
        data={"level": "outcome", "title": seed["outcome"], "parent_id": None},
    )
    indicator = framework.indicator_create(
        actor=coordinator, seat=lead, objective=outcome,
        data={"title": seed["indicator"], "unit": "nights", "measure": "1",
              "direction": "increase", "aggregation": "sum", "frequency": "quarterly",
              "baseline_value": 0, "baseline_date": start.isoformat(), "target_value": 1000,
              "target_date": end.isoformat(), "responsible_partner_id": ngo.pk},
    )
    ended = [p.label for p in periods.periods_between(periods.Frequency.QUARTERLY, start, today)
             if p.end < today]
    # One result already waiting for review (the review journey approves it).
    mine = seat_of(reporter, partnership.pk)
    waiting = entry.result_save(actor=reporter, seat=mine, indicator=indicator,
                                period=ended[-2], reported=entry.ReportedValue(value=70))
    entry.result_submit(actor=reporter, seat=mine, result=waiting)
    # A partner report of the last quarter, due in five days.
    last = periods.previous(periods.period_containing("quarterly", today))
    schedule = schedules.schedule_create(
        actor=coordinator, seat=lead, partnership=partnership,
        data={"title": "Quarterly partner report", "frequency": "quarterly",
              "due_days": (today - last.end).days + 5, "reminder_offsets": [],
              "partner_ids": [ngo.pk]},
    )
    report = PartnerReport.objects.get(period__schedule=schedule, period__key=last.label)
    print("SEEDED " + json.dumps({"partnership": partnership.pk, "indicator": indicator.pk,
                                  "outcome": outcome.pk, "report": report.pk,
                                  "waiting": waiting.pk, "ended": ended}))
    """
)

# How the failure message names what Tab passed: close enough to the accessible name to read.
DESCRIBE = """
el => {
  if (!el || el === document.body) return '(body)';
  const text = s => (s || '').replace(/\\s+/g, ' ').trim();
  const labelled = (el.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean)
    .map(id => text((document.getElementById(id) || {}).textContent)).join(' ');
  const name = labelled || text(el.getAttribute('aria-label'))
    || (el.labels && el.labels.length ? text(el.labels[0].textContent) : '')
    || text(el.textContent) || text(el.getAttribute('title')) || text(el.getAttribute('name'));
  return `${el.tagName.toLowerCase()} "${name.slice(0, 50)}"`;
}
"""
# The outermost elements that stick out past the right edge of the window (not counting what a
# scroll container clips), to say what makes a page scroll sideways.
OVERFLOWING = """
width => {
  const clipped = el => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(e).overflowX)) return true;
    }
    return false;
  };
  const out = Array.from(document.body.querySelectorAll('*')).filter(
    el => el.getBoundingClientRect().right > width + 0.5 && !clipped(el));
  return out.filter(el => !out.includes(el.parentElement)).slice(0, 5).map(el =>
    `${el.tagName.toLowerCase()}.${el.className || ''} (right edge ${
      Math.round(el.getBoundingClientRect().right)} px)`);
}
"""
# A visible focus indicator: an outline or a box shadow on the focused element.
FOCUS_SHOWN = """
el => {
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  return outline || (s.boxShadow && s.boxShadow !== 'none');
}
"""


@dataclass(frozen=True)
class World:
    partnership: int
    indicator: int
    outcome: int
    report: int
    waiting: int
    ended: list[str]


@pytest.fixture(scope="module")
def world(live_app: LiveApp) -> World:
    output = live_app.shell(
        SEED,
        CG_KEYBOARD_SEED=json.dumps(
            {
                "coordinator": live_app.coordinator.email,
                "reporter": REPORTER[0],
                "reporter_name": REPORTER[1],
                "password": live_app.password,
                "title": TITLE,
                "outcome": OUTCOME,
                "indicator": INDICATOR,
            }
        ),
    )
    match = re.search(r"^SEEDED (.+)$", output, re.MULTILINE)
    assert match, output
    return World(**json.loads(match[1]))


class Keys:
    """The keyboard, and what it is on."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def press(self, key: str) -> None:
        assert key in ("Tab", "Shift+Tab", "Enter", "Space"), key
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def focused(self) -> str:
        return str(self.page.evaluate(f"() => ({DESCRIBE})(document.activeElement)"))

    def tab_to(self, target: Locator, *, limit: int = 60, back: bool = False) -> None:
        """Press Tab (Shift+Tab with back) until `target` has focus, at most `limit` times;
        then check that it shows where the focus is."""
        expect(target).to_have_count(1)
        passed: list[str] = []
        for _ in range(limit):
            self.press("Shift+Tab" if back else "Tab")
            if target.evaluate("el => el === document.activeElement"):
                expect(target).to_be_visible()
                assert target.evaluate(FOCUS_SHOWN), f"no visible focus on {self.focused()}"
                return
            passed.append(self.focused())
        raise AssertionError(
            f"{target} not reached in {limit} presses of {'Shift+Tab' if back else 'Tab'}; "
            f"passed: {passed}"
        )

    def follow(self, target: Locator, heading: str | re.Pattern[str], **kwargs: int) -> None:
        """Tab to a link (or button) and press Enter; the next page's heading is `heading`."""
        self.tab_to(target, **kwargs)
        self.press("Enter")
        expect(self.page.get_by_role("heading", level=1)).to_have_text(heading)


def sign_in(page: Page, email: str, password: str) -> Keys:
    """The sign-in journey: skip link first, then the fields in order, Enter on the button."""
    keys = Keys(page)
    page.goto("/accounts/login/")
    keys.tab_to(page.get_by_role("link", name="Skip to main content"), limit=1)
    keys.tab_to(page.get_by_label("E-mail address"))
    keys.type(email)
    keys.tab_to(page.get_by_label("Password"), limit=1)
    keys.type(password)
    keys.tab_to(page.get_by_role("button", name="Sign in"), limit=1)
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    # The journeys start from the list of partnerships, one link away in the header.
    main_nav = page.get_by_role("navigation", name="Main")
    keys.follow(main_nav.get_by_role("link", name="My partnerships"), "My partnerships")
    return keys


@pytest.fixture(scope="module")
def sessions() -> dict[str, list[Any]]:
    """Each person signs in with the keyboard once per module; later journeys reuse the cookie."""
    return {}


@pytest.fixture
def enter(
    live_app: LiveApp, browse: Callable[..., Visitor], sessions: dict[str, list[Any]]
) -> Callable[..., Keys]:
    """A fresh browser signed in as `email` (by the keyboard journey the first time)."""

    def open_as(email: str, **size: int) -> Keys:
        seen = browse(**size)
        if email in sessions:
            seen.context.add_cookies(sessions[email])
            seen.page.goto("/partnerships/")
            expect(seen.page.get_by_role("heading", level=1)).to_have_text("My partnerships")
            return Keys(seen.page)
        keys = sign_in(seen.page, email, live_app.password)
        sessions[email] = list(seen.context.cookies())
        return keys

    return open_as


@pytest.fixture
def browse(visitor: Callable[..., Visitor]) -> Iterator[Callable[..., Visitor]]:
    """A visitor whose page must end without a Content Security Policy violation."""
    opened: list[Visitor] = []

    def open_visitor(**size: int) -> Visitor:
        seen = visitor(**size)
        opened.append(seen)
        return seen

    yield open_visitor
    for seen in opened:
        assert not seen.csp_violations, seen.console
        assert not [c for c in seen.console if c.startswith("pageerror")], seen.console


def status_of(live_app: LiveApp, app: str, model: str, pk: int) -> str:
    output = live_app.shell(
        f"from commonground.{app}.models import {model}\n"
        f"print('STATUS', {model}.objects.get(pk={pk}).status)"
    )
    return output.split("STATUS ")[-1].strip()


def test_sign_in_with_the_keyboard_and_a_wrong_password(
    live_app: LiveApp, browse: Callable[..., Visitor]
) -> None:
    page = browse().page
    keys = Keys(page)
    page.goto("/accounts/login/")
    keys.tab_to(page.get_by_label("E-mail address"))
    keys.type(live_app.coordinator.email)
    keys.tab_to(page.get_by_label("Password"), limit=1)
    keys.type("not-the-password")
    keys.press("Enter")  # Enter in a field submits its form
    expect(page.get_by_role("alert")).to_be_visible()
    # The skip link leads past the header to the error and the form.
    keys.tab_to(page.get_by_role("link", name="Skip to main content"), limit=1)
    keys.press("Enter")
    keys.tab_to(page.get_by_label("E-mail address"))
    keys.tab_to(page.get_by_label("Password"), limit=1)
    keys.type(live_app.password)
    keys.tab_to(page.get_by_role("button", name="Sign in"), limit=1)
    keys.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")


def test_reporter_submits_a_result_with_the_keyboard(
    live_app: LiveApp, enter: Callable[..., Keys], world: World
) -> None:
    keys = enter(REPORTER[0])
    page = keys.page
    keys.follow(page.get_by_role("link", name=TITLE, exact=True), TITLE)
    keys.follow(page.get_by_role("link", name="Results", exact=True), "Results framework")
    keys.follow(page.get_by_role("link", name=INDICATOR, exact=True), INDICATOR)
    keys.follow(page.get_by_role("link", name="Report a result"), f"Report a result: {INDICATOR}")
    period = world.ended[-1]
    keys.tab_to(page.get_by_label("Period"))
    keys.type(period)  # a closed select picks the option whose text is typed
    expect(page.get_by_label("Period")).to_have_value(period)
    keys.tab_to(page.get_by_label("Value (nights)"), limit=1)
    keys.type("90")
    keys.tab_to(page.get_by_role("button", name="Submit for review"))
    keys.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"Result for {period} submitted for review.")
    pk = int(page.url.rstrip("/").rsplit("/", 1)[1])
    assert status_of(live_app, "results", "Result", pk) == "submitted"


def test_reporter_submits_a_partner_report_with_the_keyboard(
    live_app: LiveApp, enter: Callable[..., Keys], world: World
) -> None:
    keys = enter(REPORTER[0])
    page = keys.page
    keys.follow(page.get_by_role("link", name=TITLE, exact=True), TITLE)
    keys.follow(page.get_by_role("link", name="Reporting", exact=True), re.compile("Reporting"))
    keys.follow(
        page.locator(f"a[href$='/reports/{world.report}/']").first,
        re.compile(r"Shelter Network: report"),
    )
    keys.tab_to(page.get_by_label("Achievements"))
    keys.type("Opened the doors on 90 nights.")
    keys.tab_to(page.get_by_label("Challenges and how they were handled"), limit=1)
    keys.type("A cold snap: volunteers doubled the evening shift.")
    keys.tab_to(page.get_by_role("button", name="Submit for review"))
    keys.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Report submitted for review.")
    expect(page.locator(".report-facts .status-badge")).to_have_text("Submitted")
    assert status_of(live_app, "reporting", "PartnerReport", world.report) == "submitted"


def test_coordinator_reviews_a_result_with_the_keyboard(
    live_app: LiveApp, enter: Callable[..., Keys], world: World
) -> None:
    keys = enter(live_app.coordinator.email)
    page = keys.page
    keys.follow(page.get_by_role("link", name=TITLE, exact=True), TITLE)
    keys.follow(page.get_by_role("link", name="Review", exact=True), "Results to review")
    keys.follow(
        page.get_by_role("link", name=f"{INDICATOR}: {world.ended[-2]}"), re.compile(INDICATOR)
    )
    keys.tab_to(page.get_by_role("button", name="Approve"))
    keys.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Approved")
    assert status_of(live_app, "results", "Result", world.waiting) == "approved"


def test_reporter_imports_a_file_with_the_keyboard(
    live_app: LiveApp, enter: Callable[..., Keys], world: World
) -> None:
    keys = enter(REPORTER[0])
    page = keys.page
    page.goto(f"/partnerships/{world.partnership}/results/")
    keys.follow(page.get_by_role("link", name="Import results (CSV/XLSX)"), "Import results")
    period = world.ended[-3]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["indicator_id", "indicator", "period", "partner", "value"])
    writer.writerow([world.indicator, INDICATOR, period, "Shelter Network", "55"])
    keys.tab_to(page.get_by_label("Results file"))
    # Space opens the browser's file dialog. On a loaded machine the first press can come
    # before the page is ready to open it: a second press (Enter, the other key that opens it)
    # is still the keyboard alone.
    try:
        with page.expect_file_chooser(timeout=15_000) as chooser:
            keys.press("Space")
    except PlaywrightTimeout:
        with page.expect_file_chooser(timeout=15_000) as chooser:
            keys.press("Enter")
    chooser.value.set_files(
        files=[{"name": "nights.csv", "mimeType": "text/csv", "buffer": buffer.getvalue().encode()}]
    )
    keys.tab_to(page.get_by_role("button", name="Check the file"), limit=1)
    keys.press("Enter")
    expect(page.get_by_text("1 result created, 0 updated, 0 unchanged.")).to_be_visible()
    keys.tab_to(page.get_by_role("button", name="Import now"))
    keys.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Imported: 1 created")
    count = live_app.shell(
        "from commonground.results.models import Result\n"
        f"print('COUNT', Result.objects.filter(indicator_id={world.indicator}, value=55,"
        " status='draft').count())"
    )
    assert count.split("COUNT ")[-1].strip() == "1", count


def test_coordinator_creates_an_indicator_with_the_keyboard(
    live_app: LiveApp, enter: Callable[..., Keys], world: World
) -> None:
    keys = enter(live_app.coordinator.email)
    page = keys.page
    page.goto(f"/partnerships/{world.partnership}/results/")
    keys.follow(
        page.get_by_role("link", name=f"Add an indicator to {OUTCOME}"),
        re.compile("indicator", re.IGNORECASE),
    )
    keys.tab_to(page.get_by_label(re.compile("^Title")))
    keys.type("Meals served")
    keys.tab_to(page.get_by_label(re.compile("^Unit")))
    keys.type("meals")
    keys.tab_to(page.get_by_label(re.compile("^End target$")))
    keys.type("5000")
    keys.tab_to(page.get_by_role("button", name="Add indicator"))
    keys.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Indicator “Meals served” added.")
    found = live_app.shell(
        "from commonground.results.models import Indicator\n"
        f"print('FOUND', Indicator.objects.filter(objective_id={world.outcome},"
        " title='Meals served', unit='meals').count())"
    )
    assert found.split("FOUND ")[-1].strip() == "1", found


def test_an_htmx_swap_is_announced_and_keeps_the_keyboard_in_place(
    live_app: LiveApp, enter: Callable[..., Keys], world: World
) -> None:
    keys = enter(live_app.coordinator.email)
    page = keys.page
    keys.follow(page.get_by_role("link", name="Organisations"), "Organisation registry")
    announcer = page.locator("#announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_have_text("")
    keys.tab_to(page.get_by_label("Search by name, identifier or website"))
    keys.type("Shelter")
    expect(announcer).to_have_text("1 organisation matching “Shelter”")
    expect(page.get_by_label("Search by name, identifier or website")).to_be_focused()
    keys.type(" Nowhere")
    expect(announcer).to_have_text("0 organisations matching “Shelter Nowhere”")
    expect(page.get_by_role("link", name="Shelter Network")).to_have_count(0)
    # The SDG target search on the objective form says how many targets it lists now.
    page.goto(f"/partnerships/{world.partnership}/results/objectives/new/")
    keys.tab_to(page.get_by_label("Search SDG targets"))
    keys.type("11.1")
    expect(announcer).to_have_text(re.compile(r"^[1-9]\d* SDG targets? listed$"))
    expect(page.get_by_label("Search SDG targets")).to_be_focused()


def test_focus_returns_to_the_swapped_region_when_the_focused_element_goes(
    live_app: LiveApp, enter: Callable[..., Keys]
) -> None:
    """When a swap replaces the element that had focus, focus goes to the same control in the
    new content, or to the new region itself, never to the top of the page."""
    page = enter(live_app.coordinator.email).page
    page.goto("/organisations/?q=Shelter")
    Keys(page).tab_to(page.get_by_role("link", name="Shelter Network"))
    # What a swap does when its content changes under the keyboard (a poll, a search).
    page.evaluate(
        "() => htmx.ajax('GET', '/organisations/?q=Dune', {target: '#results', swap: 'outerHTML'})"
    )
    expect(page.locator("#announcer")).to_have_text("1 organisation matching “Dune”")
    expect(page.locator("#results")).to_be_focused()


def test_every_chart_has_a_text_alternative_and_a_table_of_its_data(
    live_app: LiveApp, enter: Callable[..., Keys], world: World
) -> None:
    keys = enter(live_app.coordinator.email)
    page = keys.page
    today = dt.date.today()
    for path in (
        f"/partnerships/{world.partnership}/indicators/{world.indicator}/",
        f"/partnerships/{world.partnership}/progress-report/"
        f"?date_from={today.year - 1}-01-01&date_to={today.isoformat()}",
    ):
        page.goto(path)
        assert page.locator("svg.cg-chart").count() > 0, f"no chart on {path}"
        assert page.evaluate(CHART_PROBLEMS_SCRIPT) == [], path
    # The chart's table opens from the keyboard.
    page.goto(f"/partnerships/{world.partnership}/indicators/{world.indicator}/")
    summary = page.get_by_text("The chart's data as a table", exact=True).first
    keys.tab_to(summary)
    keys.press("Enter")
    table = page.locator("details.chart-data table").first
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).not_to_have_count(0)
    # In Spanish, the same table under its Spanish name.
    page.context.add_cookies([{"name": "cg_language", "value": "es", "url": live_app.base_url}])
    page.reload()
    expect(page.locator("details.chart-data summary").first).to_have_text(
        "Los datos del gráfico en una tabla"
    )


def test_the_chart_check_finds_a_chart_without_text_or_table(browser: Browser) -> None:
    page = browser.new_page()
    try:
        page.set_content(
            '<figure><svg class="cg-chart" role="img" aria-labelledby="t">'
            '<title id="t">Nights: rising</title></svg><table><tr><td>1</td></tr></table>'
            "</figure>"
            '<figure aria-details="d"><svg class="cg-chart" role="img" aria-label="Bars">'
            '</svg></figure><div id="d"><table><tr><td>1</td></tr></table></div>'
            '<svg class="cg-progress" role="img" aria-label="40%, on track"></svg>'
            '<svg aria-hidden="true"></svg>'
        )
        assert page.evaluate(CHART_PROBLEMS_SCRIPT) == []
        page.set_content(
            '<figure><svg class="cg-chart"></svg></figure>'
            '<svg class="cg-chart" role="img"><title>Nights</title></svg>'
            '<svg class="cg-progress"></svg>'
        )
        problems = page.evaluate(CHART_PROBLEMS_SCRIPT)
        assert problems == [
            'svg #0 (cg-chart): no role="img"',
            "svg #0 (cg-chart): no text alternative",
            'svg #0 (cg-chart) "": no table of its data',
            'svg #1 (cg-chart) "Nights": no table of its data',
            'svg #2 (cg-progress): no role="img"',
            "svg #2 (cg-progress): no text alternative",
        ], problems
    finally:
        page.close()


@pytest.mark.parametrize("width", [320, 640], ids=["320px", "200pc-zoom"])
def test_pages_reflow_without_sideways_scrolling(
    live_app: LiveApp, enter: Callable[..., Keys], world: World, width: int
) -> None:
    """WCAG 1.4.10: at 320 CSS px (and at 200 % zoom of a 1280 px window, which lays out like
    640 px) no page scrolls sideways; a wide table may scroll inside its own container."""
    page = enter(live_app.coordinator.email, width=width, height=800).page
    today = dt.date.today()
    base = f"/partnerships/{world.partnership}"
    wide: list[str] = []
    for path in (
        "/",
        f"{base}/",
        f"{base}/results/",
        f"{base}/indicators/{world.indicator}/",
        f"{base}/results/import/",
        f"{base}/results/review/",
        f"{base}/reports/{world.report}/",
        f"{base}/progress-report/?date_from={today.year - 1}-01-01&date_to={today.isoformat()}",
        "/organisations/",
        "/accounts/login/",
    ):
        page.goto(path)
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll > width:
            wide.append(f"{path}: {scroll} px wide: {page.evaluate(OVERFLOWING, width)}")
    assert not wide, f"pages wider than {width} px:\n" + "\n".join(wide)


OFF_SCREEN = """(width) => {
  const out = [];
  const main = document.querySelector('main');
  const shown = 'a, button, select, input:not([type=hidden]), textarea, th, td';
  for (const el of main.querySelectorAll(shown)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not rendered (e.g. closed details)
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
    if (box.left < -1 || box.right > width + 1) {
      const text = (el.innerText || el.value || '').trim().slice(0, 40);
      const where = `${Math.round(box.left)}..${Math.round(box.right)}`;
      out.push(`${el.tagName.toLowerCase()} "${text}" ${where}`);
    }
  }
  return out;
}"""


def test_at_phone_width_no_action_or_key_column_is_off_screen(
    live_app: LiveApp, enter: Callable[..., Keys], world: World
) -> None:
    """Issue 11: at 390 px the People page, the home page (My work) and an indicator page show
    every action and every table cell inside the screen: tables become cards, not a sideways
    scroll that hides the actions."""
    page = enter(live_app.coordinator.email, width=390, height=844).page
    base = f"/partnerships/{world.partnership}"
    off: list[str] = []
    for path in ("/", f"{base}/people/", f"{base}/indicators/{world.indicator}/", "/partnerships/"):
        page.goto(path)
        found = page.evaluate(OFF_SCREEN, 390)
        off += [f"{path}: {item}" for item in found]
    assert not off, "outside a 390 px screen:\n" + "\n".join(off)
