"""Every page, scanned by axe-core for WCAG 2.0 and 2.1, levels A and AA, as each kind of person
sees it, on the demo's own data (issue 10, item 1).

A server runs the demo (`commonground seed`, the data `make demo` shows). For each person
(coordinator, editor, reporter, viewer, outsider, site admin, signed out) a browser follows the
links from the home page and scans the first page of each URL pattern it reaches. Then every URL
pattern of the project that no one reached is tried with ids taken from the pages that were
reached: a page that answers is scanned too, one that serves only POST or a download is not a
page, and a pattern that cannot be filled from the demo must be on UNREACHABLE with its reason.
So a page added later is scanned the day it is added, or this test says why it is not.

axe-core comes from npm (package.json; `make install` runs `npm ci`). It is evaluated through the
browser's DevTools protocol, which the page's Content Security Policy does not govern, so the
pages are scanned under their real CSP. The scanned pages and the rule count are printed.
"""

import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls import reverse as django_reverse
from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from tests.browser.checks import CHART_PROBLEMS_SCRIPT
from tests.browser.conftest import LiveApp, Person, _wait_until_healthy
from tests.processes import REPO, ScratchPostgres, free_port, run_command, start, stop

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEMO_PASSWORD = "demo"  # the demo's published password
PERSONAS: dict[str, str | None] = {
    "coordinator": "coordinator@example.org",
    "editor": "grace.whitfield@example.org",
    "reporter": "partner@example.org",
    "viewer": "viewer@example.org",
    "outsider": "outsider@example.org",
    "site_admin": "admin@example.org",
    "anonymous": None,
}
# Namespaces that are not Common Ground's pages: Django's admin guards and renders itself, and the
# JSON API has no pages (its interactive docs are Swagger's).
NOT_OURS = ("admin", "api")
# Patterns the demo's data cannot fill, and why. Each is a page reached only through a secret
# sent by e-mail; its template is the same as a page scanned here (named after the arrow).
UNREACHABLE = {
    "accounts:password_reset_confirm": "the link in a reset e-mail (scanned below, from the mail)",
    "partnerships:invitation": "the link in an invitation e-mail",
    "notifications:digest_unsubscribe": "the signed link in a digest e-mail",
    "notifications:calendar_feed": "an iCalendar file, not a page",
}
# What axe leaves for a person to judge (it cannot always tell the background behind a badge or
# a chart's text): each such element's text colour against the first solid background behind it,
# computed in the browser with WCAG 2.1's relative luminance. Normal-size text needs 4.5:1.
CONTRAST_SCRIPT = """
() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const behind = el => {
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.backgroundImage !== 'none') return null;  // a gradient or picture: no single answer
      const bg = rgb(style.backgroundColor);
      if (bg.length === 3 || (bg.length === 4 && bg[3] === 1)) return bg.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const found = [];
  for (const el of document.querySelectorAll('.badge, .status-badge, svg text, .site-header a')) {
    if (!el.getClientRects().length || !el.textContent.trim()) continue;
    const style = getComputedStyle(el);
    const fg = rgb(el.tagName === 'text' ? style.fill : style.color).slice(0, 3);
    const bg = el.tagName === 'text' ? [255, 255, 255] : behind(el);
    const text = el.textContent.trim().slice(0, 40);
    if (!bg || fg.length < 3) { found.push([text, 'no solid background']); continue; }
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < 4.5) found.push([text, ratio.toFixed(2)]);
  }
  return found;
}
"""
PAGES_AT_390 = ("home", "results:framework", "reporting:report")
MAX_PAGES_PER_PERSON = 200


@dataclass
class Scan:
    """What the scan saw: per page, the violations; and the ids that filled each URL."""

    pages: list[tuple[str, str, str]] = field(default_factory=list)  # persona, route, url
    violations: list[str] = field(default_factory=list)
    seen_routes: dict[str, set[str]] = field(default_factory=dict)  # route -> personas
    filled: list[dict[str, Any]] = field(default_factory=list)  # the kwargs of addresses seen
    not_pages: dict[str, str] = field(default_factory=dict)  # route -> why it is no page
    rules: int = 0
    charts: int = 0  # charts checked for a text alternative and a table of their data


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _patterns(entry, inner.strip(":"))
        elif entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def page_routes() -> dict[str, URLPattern]:
    return {
        name: pattern
        for name, pattern in _patterns(get_resolver())
        if name.split(":")[0] not in NOT_OURS
    }


@pytest.fixture(scope="module")
def demo_app(
    chromium_executable: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApp]:
    """The demo, migrated and seeded as `make demo` does, served by gunicorn on a free port."""
    if not AXE.exists():
        pytest.fail(
            f"{AXE} is missing: run `make install` (npm ci installs axe-core from package.json)",
            pytrace=False,
        )
    tmp = tmp_path_factory.mktemp("demo-app")
    port = free_port()
    engine = str(settings.DATABASES["default"]["ENGINE"])
    postgres = (
        ScratchPostgres(settings.DATABASES["default"], "cg_axe") if "postgresql" in engine else None
    )
    app = LiveApp(
        base_url=f"http://127.0.0.1:{port}",
        vendor="postgresql" if postgres else "sqlite",
        mail_dir=tmp / "mail",
        log_file=tmp / "server.log",
        password=DEMO_PASSWORD,
        coordinator=Person("coordinator@example.org", "Maya Okafor"),
        outsider=Person("outsider@example.org", "Oliver Grant"),
        other_coordinator=Person("outsider@example.org", "Oliver Grant"),
    )
    app.mail_dir.mkdir()
    app.env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ENVIRONMENT": "development",
        "DATABASE_URL": postgres.url if postgres else f"sqlite:///{tmp / 'demo.sqlite3'}",
        "VAR_DIR": str(tmp),
        "DEBUG": "1",  # the seed creates the demo's logins only with DEBUG on, as in `make demo`
        "EMAIL_BACKEND": "file",
        "EMAIL_FILE_PATH": str(app.mail_dir),
        "SITE_URL": app.base_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # So that a small file, report and summary take the background path, whose pages
        # (an import job, a PDF copy being prepared) the demo's data has none of.
        "IMPORT_BACKGROUND_ROWS": "0",
        "REPORT_BACKGROUND_INDICATORS": "1",
        "REPORT_BACKGROUND_PARTNERSHIPS": "1",
    }
    server = None
    if postgres:
        postgres.create()
    try:
        run_command(["migrate", "--no-input", "-v", "0"], app.env)
        run_command(["seed"], app.env, timeout=600)
        server = start(
            ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            app.env,
            app.log_file,
        )
        _wait_until_healthy(server, app.base_url, app)
        yield app
    finally:
        if server is not None:
            stop(server)
        if postgres:
            postgres.drop()


class Scanner:
    def __init__(self, browser: Browser, app: LiveApp) -> None:
        self.browser = browser
        self.app = app
        self.axe = AXE.read_text()
        self.scan = Scan()

    def context(self, persona: str, width: int = 1280) -> BrowserContext:
        context = self.browser.new_context(
            base_url=self.app.base_url, viewport={"width": width, "height": 900}
        )
        context.set_default_timeout(20_000)
        email = PERSONAS[persona]
        if email is not None:
            page = context.new_page()
            page.goto("/accounts/login/")
            page.get_by_label("E-mail address").fill(email)
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            assert "/accounts/login/" not in page.url, f"{persona} could not sign in"
            page.close()
        return context

    def route_of(self, url: str) -> tuple[str, dict[str, Any]] | None:
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != urlsplit(self.app.base_url).netloc:
            return None
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None
        if match.view_name.split(":")[0] in NOT_OURS:
            return None
        return match.view_name, match.kwargs

    def axe_run(self, page: Page) -> list[dict[str, Any]]:
        page.evaluate(self.axe)  # through DevTools: the page's CSP does not apply
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
            ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))",
            TAGS,
        )
        if not self.scan.rules:
            self.scan.rules = page.evaluate("tags => axe.getRules(tags).length", TAGS)
        return list(result)

    def visit(self, page: Page, persona: str, url: str, route: str) -> str:
        """Open `url`, scan it if it is an HTML page; 'page', 'download', 'post-only',
        'fragment' (a piece of a page htmx asks for) or the status it answered."""
        probe = page.request.get(url)  # the person's cookies; tells a page from the rest
        if probe.status == 405:
            return "post-only"
        if probe.status < 500 and "text/html" not in probe.headers.get("content-type", ""):
            return "download"
        if probe.status < 400 and not probe.text().lstrip().lower().startswith("<!doctype html"):
            return "fragment"  # htmx swaps it into a page, which is scanned
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                return "download"
            raise
        assert response is not None
        status = response.status
        kind = response.headers.get("content-type", "")
        if status == 405:
            return "post-only"
        if status >= 500:
            self.scan.violations.append(f"{persona} {url}: server error {status}")
            return str(status)
        if "text/html" not in kind:
            return "download"
        for violation in self.axe_run(page):
            self.scan.violations.append(
                f"{persona} {url} ({route}): {violation['id']} [{violation['impact']}] "
                f"{violation['help']} at {violation['nodes']}"
            )
        for text, ratio in page.evaluate(CONTRAST_SCRIPT):
            self.scan.violations.append(
                f"{persona} {url} ({route}): contrast {ratio} for “{text}” (4.5:1 needed)"
            )
        for problem in page.evaluate(CHART_PROBLEMS_SCRIPT):
            self.scan.violations.append(f"{persona} {url} ({route}): chart: {problem}")
        self.scan.charts += page.locator("svg.cg-chart").count()
        self.scan.pages.append((persona, route, page.url))
        self.scan.seen_routes.setdefault(route, set()).add(persona)
        return "page" if status < 400 else str(status)

    def crawl(self, persona: str) -> None:
        context = self.context(persona)
        page = context.new_page()
        queue = ["/"]
        done: set[str] = set()  # routes opened by this person
        visits = 0
        while queue and visits < MAX_PAGES_PER_PERSON:
            url = queue.pop(0)
            found = self.route_of(url)
            if found is None:
                continue
            route, kwargs = found
            if route in done or route in UNREACHABLE:
                continue
            done.add(route)
            visits += 1
            outcome = self.visit(page, persona, url, route)
            if outcome != "page":
                if outcome in ("download", "post-only", "fragment"):
                    self.scan.not_pages[route] = outcome
                continue
            self.scan.filled.append(kwargs)
            links = page.eval_on_selector_all(
                "a[href]", "links => links.map(a => a.getAttribute('href'))"
            )
            for href in links:
                if href and href.startswith("/") and not href.startswith("//"):
                    queue.append(href.split("#")[0])
            self.harvest(page)
        context.close()

    def harvest(self, page: Page) -> None:
        """Forms and htmx requests are not followed, but their addresses, like the links', name
        objects (a seat, a token, a notification) that fill the patterns nobody links to."""
        addresses = [
            page.url,
            *page.eval_on_selector_all(
                "a[href], form[action], [hx-get], [hx-post]",
                "els => els.map(e => e.getAttribute('href') || e.getAttribute('action')"
                " || e.getAttribute('hx-get') || e.getAttribute('hx-post'))",
            ),
        ]
        for address in addresses:
            found = self.route_of(address.split("?")[0].split("#")[0]) if address else None
            if found and found[1]:
                self.scan.filled.append(found[1])

    def fill(self, route: str, pattern: URLPattern) -> str | None:
        """The address with ids seen together in one address (so an update's id goes with its
        own partnership's), or None."""
        names = set(re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern)))
        for kwargs in self.scan.filled:
            if names <= set(kwargs):
                try:
                    return django_reverse(route, kwargs={n: kwargs[n] for n in names})
                except NoReverseMatch:
                    continue
        return None


IDS_SCRIPT = """
import json
from commonground.partnerships.models import Partnership
from commonground.reporting.models import PartnerReport
p = Partnership.objects.get(title="Riverside Homelessness Response")
r = PartnerReport.objects.filter(partnership=p, status="draft").order_by("pk").first()
print(json.dumps({"partnership": p.pk, "draft_report": r.pk}))
"""


def make_what_the_demo_lacks(scanner: Scanner, app: LiveApp) -> None:
    """What the demo's data holds none of, made as the coordinator would make it: an API token,
    an invitation, an import job, PDF copies of a progress report and a council summary, and a
    report attachment. Their pages are then reached like any other."""
    ids = json.loads(app.shell(IDS_SCRIPT).strip().splitlines()[-1])
    pk, report = ids["partnership"], ids["draft_report"]
    context = scanner.context("coordinator")
    page = context.new_page()
    page.goto("/profile/")
    page.get_by_label("Token name").fill("axe scan")
    page.get_by_role("button", name="Create token").click()
    page.goto(django_reverse("partnerships:people", args=[pk]))
    page.get_by_label("E-mail address").fill("new.person@example.org")
    page.get_by_label("On behalf of").select_option(index=1)
    page.get_by_role("button", name="Send invitation").click()
    scanner.harvest(page)
    page.goto(django_reverse("reporting:progress_report", args=[pk]))
    page.get_by_role("button", name="Prepare the PDF").click()
    scanner.harvest(page)
    page.goto(django_reverse("reporting:council_summary"))
    page.get_by_role("button", name="Prepare the PDF").click()
    scanner.harvest(page)
    template = page.request.get(django_reverse("results:import_template_csv", args=[pk]))
    page.goto(django_reverse("results:import", args=[pk]))
    page.get_by_label("Results file").set_input_files(
        {"name": "results.csv", "mimeType": "text/csv", "buffer": template.body()}
    )
    page.get_by_role("button", name="Check the file").click()
    scanner.harvest(page)
    page.goto(django_reverse("reporting:report", args=[pk, report]))
    page.get_by_label("File").set_input_files(
        {"name": "minutes.txt", "mimeType": "text/plain", "buffer": b"Minutes of the meeting."}
    )
    page.get_by_role("button", name="Attach").click()
    page.wait_for_load_state()
    scanner.harvest(page)
    context.close()


def test_every_page_passes_axe_for_every_kind_of_person(
    browser: Browser, demo_app: LiveApp
) -> None:
    started = time.monotonic()
    scanner = Scanner(browser, demo_app)
    make_what_the_demo_lacks(scanner, demo_app)
    for persona in PERSONAS:
        scanner.crawl(persona)
    scan = scanner.scan

    # The patterns nobody reached by following links, filled with ids the crawl saw.
    unreached: dict[str, str] = {}
    context = scanner.context("coordinator")
    page = context.new_page()
    for route, pattern in sorted(page_routes().items()):
        if route in scan.seen_routes or route in scan.not_pages or route in UNREACHABLE:
            continue
        url = scanner.fill(route, pattern)
        if url is None:
            unreached[route] = "no demo object fills its address"
            continue
        outcome = scanner.visit(page, "coordinator", url, route)
        if outcome in ("download", "post-only", "fragment"):
            scan.not_pages[route] = outcome
        elif outcome != "page":
            unreached[route] = f"answered {outcome} at {url}"
    # The not-found page, and the form a password reset e-mail's link opens.
    scanner.visit(page, "coordinator", "/partnerships/999999999/", "404 page")
    context.close()
    stranger = scanner.context("anonymous")
    page = stranger.new_page()
    page.goto("/accounts/password-reset/")
    page.locator("input[name=email]").fill("viewer@example.org")
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_load_state()
    link = re.search(r"(https?://\S+/reset/\S+/)", demo_app.mail_to("viewer@example.org"))
    assert link, "no reset link in the mail"
    scanner.visit(page, "anonymous", link[1], "accounts:password_reset_confirm")
    stranger.close()

    # Three pages at a phone's width.
    narrow = scanner.context("coordinator", width=390)
    page = narrow.new_page()
    for persona, route, url in list(scan.pages):
        if route in PAGES_AT_390 and persona == "coordinator":
            scanner.visit(page, "coordinator at 390 px", url, route)
    narrow.close()

    lines = [f"{persona:12} {route:45} {urlsplit(url).path}" for persona, route, url in scan.pages]
    print(
        f"\naxe-core {json.loads((AXE.parent / 'package.json').read_text())['version']}: "
        f"{scan.rules} rules ({', '.join(TAGS)}), {len(scan.pages)} pages scanned "
        f"({scan.charts} charts checked for a text alternative and a data table) in "
        f"{time.monotonic() - started:.0f} s on {demo_app.vendor}:\n" + "\n".join(lines)
    )
    print(
        "not pages: "
        + ", ".join(f"{route} ({why})" for route, why in sorted(scan.not_pages.items()))
    )
    assert not unreached, (
        "pages not scanned (link them, or add them to UNREACHABLE with why):\n"
        + ("\n".join(f"{route}: {why}" for route, why in sorted(unreached.items())))
    )
    assert not scan.violations, f"{len(scan.violations)} accessibility violations:\n" + "\n".join(
        scan.violations
    )
    widths = {route for persona, route, _ in scan.pages if persona.endswith("390 px")}
    assert widths == set(PAGES_AT_390), widths
    assert len(scan.pages) > 150 and scan.rules > 50 and scan.charts > 0
