"""Fixtures for the browser tests: a real Common Ground server process and Debian's chromium.

No pytest-django live_server here: the audit ledger refuses DELETE/TRUNCATE by trigger, so a
transactional flush cannot work. Instead one server per test session runs against its own fresh
database (a SQLite file in a temporary directory, or a `cg_browser_<pid>` database on the same
PostgreSQL server when the outer run uses PostgreSQL), migrated and seeded through the
`commonground` command line exactly as an operator would do it. Mail goes to files.
"""

import email
import email.policy
import json
import os
import re
import subprocess
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from tests.processes import REPO, ScratchPostgres, free_port, run_command, start, stop

ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct-horse-battery"
STARTUP_TIMEOUT = 90.0

# Run inside `commonground shell -c` against the server's database: the people the flow needs,
# created through the same services the application uses (compare build_world in conftest.py).
SEED_SCRIPT = textwrap.dedent(
    """
    import json, os
    from commonground.accounts.models import User
    from commonground.accounts.services import organisation_create
    from commonground.partnerships.services import partnership_create

    seed = json.loads(os.environ["CG_BROWSER_SEED"])
    def person(key):
        return User.objects.create_user(
            seed[key]["email"], seed["password"], full_name=seed[key]["name"]
        )
    coordinator = person("coordinator")
    outsider = person("outsider")
    other = person("other_coordinator")
    organisation_create(actor=coordinator, data={"name": "City of Testville", "org_type": "11"})
    organisation_create(actor=coordinator, data={"name": "Shelter Network", "org_type": "22"})
    dunes = organisation_create(
        actor=other, data={"name": "Dune Foundation", "org_type": "60"}
    )
    partnership_create(
        actor=other,
        data={"title": "Dune Restoration", "purpose": "Keep the dunes.",
              "start_date": "2025-01-01", "sdg_goals": [15], "sectors": []},
        lead_organisation=dunes,
    )
    print("seeded", User.objects.count(), "people")
    """
)


@dataclass(frozen=True)
class Person:
    email: str
    name: str


@dataclass
class LiveApp:
    """The running server and what the tests need to know about it."""

    base_url: str
    vendor: str
    mail_dir: Path
    log_file: Path
    password: str
    coordinator: Person
    outsider: Person
    other_coordinator: Person
    env: dict[str, str] = field(default_factory=dict)  # the server's environment

    def url(self, path: str) -> str:
        return self.base_url + path

    def shell(self, script: str, **env: str) -> str:
        """Run `script` in `commonground shell -c` against the server's database; its output."""
        return run_command(["shell", "-c", script], {**self.env, **env})

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def mail_to(self, address: str, timeout: float = 10.0) -> str:
        """The plain-text body of the newest mail file addressed to `address`."""
        deadline = time.monotonic() + timeout
        while True:
            files = sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime_ns)
            for path in reversed(files):
                for message in _messages_in(path):
                    if address.lower() in str(message["To"] or "").lower():
                        body = message.get_body(preferencelist=("plain",))
                        assert body is not None, f"{path} has no text/plain part"
                        return str(body.get_content())
            if time.monotonic() > deadline:
                names = [p.name for p in files]
                raise AssertionError(f"no mail to {address} in {self.mail_dir} (files: {names})")
            time.sleep(0.1)


def _messages_in(path: Path) -> list[email.message.EmailMessage]:
    """The file e-mail backend appends each message followed by a line of 79 dashes."""
    chunks = re.split(r"^-{79}$", path.read_text(errors="replace"), flags=re.MULTILINE)
    messages = []
    for chunk in chunks:
        if chunk.strip():
            message = email.message_from_string(chunk.lstrip("\n"), policy=email.policy.default)
            assert isinstance(message, email.message.EmailMessage)
            messages.append(message)
    return messages


def _wait_until_healthy(process: subprocess.Popen[bytes], base_url: str, app: LiveApp) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"the server exited with code {process.returncode} before answering:\n"
                f"{app.log_tail()}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(
        f"the server did not answer {base_url}/healthz within {STARTUP_TIMEOUT:.0f} s:\n"
        f"{app.log_tail()}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """Debian's chromium, or a loud skip (a failure on CI: browser tests must not vanish)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(
                f"CI is set but chromium is not installed at {CHROMIUM}: the browser tests "
                "cannot run and must not be skipped on CI; apt-get install chromium",
                pytrace=False,
            )
        pytest.skip("chromium not installed: browser tests skipped; apt-get install chromium")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_app(
    chromium_executable: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApp]:
    """A migrated, seeded Common Ground served by gunicorn on a free port."""
    tmp = tmp_path_factory.mktemp("browser-app")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    engine = str(settings.DATABASES["default"]["ENGINE"])
    postgres = (
        ScratchPostgres(settings.DATABASES["default"], "cg_browser")
        if "postgresql" in engine
        else None
    )
    app = LiveApp(
        base_url=base_url,
        vendor="postgresql" if postgres else "sqlite",
        mail_dir=tmp / "mail",
        log_file=tmp / "server.log",
        password=PASSWORD,
        coordinator=Person("casey@testville.test", "Casey Coordinator"),
        outsider=Person("olivia@outside.test", "Olivia Outsider"),
        other_coordinator=Person("dana@dunes.test", "Dana Dunes"),
    )
    app.mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ENVIRONMENT": "development",
        "DATABASE_URL": postgres.url if postgres else f"sqlite:///{tmp / 'commonground.sqlite3'}",
        "VAR_DIR": str(tmp),
        "DEBUG": "0",
        "EMAIL_BACKEND": "file",
        "EMAIL_FILE_PATH": str(app.mail_dir),
        "SITE_URL": base_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CG_BROWSER_SEED": json.dumps(
            {
                "password": PASSWORD,
                "coordinator": vars(app.coordinator),
                "outsider": vars(app.outsider),
                "other_coordinator": vars(app.other_coordinator),
            }
        ),
    }
    app.env = env
    server: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    if postgres:
        postgres.create()
    try:
        run_command(["migrate", "--no-input", "-v", "0"], env)
        run_command(["shell", "-c", SEED_SCRIPT], env)
        server = start(
            ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            env,
            app.log_file,
        )
        # The background worker, as `make demo` runs it beside the server.
        worker = start(["worker", "--interval", "0.2"], env, tmp / "worker.log")
        _wait_until_healthy(server, base_url, app)
        yield app
    finally:
        for process in (server, worker):
            if process is not None:
                stop(process)
        if postgres:
            postgres.drop()


@pytest.fixture(scope="session")
def browser(chromium_executable: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_executable), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class Visitor:
    """One person at one browser: a fresh context (no cookies) and its page."""

    context: BrowserContext
    page: Page
    console: list[str] = field(default_factory=list)

    @property
    def csp_violations(self) -> list[str]:
        return [text for text in self.console if "Content Security Policy" in text]


@pytest.fixture
def visitor(browser: Browser, live_app: LiveApp) -> Iterator[Callable[..., Visitor]]:
    """Open a fresh browser context; every console message is kept for the CSP check."""
    contexts: list[BrowserContext] = []

    def open_visitor(width: int = 1280, height: int = 900) -> Visitor:
        context = browser.new_context(
            base_url=live_app.base_url, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        seen = Visitor(context, page)

        def on_console(message: ConsoleMessage) -> None:
            seen.console.append(f"{message.type}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: seen.console.append(f"pageerror: {error}"))
        return seen

    yield open_visitor
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(live_app: LiveApp) -> Callable[[Page, str], Path]:
    """Save a full-page screenshot to test-artifacts/browser/<database>/<name>.png."""
    folder = ARTIFACTS / live_app.vendor
    folder.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
