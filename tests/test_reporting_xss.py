"""Script or unsafe HTML in any text of the reporting capability never reaches a page or an e-mail.

Every case writes XSS payloads into every text field of one kind of object through the real
services, then renders the pages that show them (and sends the e-mails they cause) and scans the
output with an HTML parser for anything a browser would run: a script that is not one of our
static files, an event-handler attribute, a style attribute or element, an iframe, object,
embed, svg or math element, a meta refresh, or a javascript:, vbscript: or data: address.

To cover a new field, add a case to CASES: a function that takes the world and a payload, stores
the payload through the services in every text field of its objects, and returns the addresses
of the pages showing them (paginated lists are followed page by page). Each object's title-like
field carries a marker ("XSS<n>:") that must appear on the pages, so a case cannot pass by
rendering nothing.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from commonground.reporting.services import milestones, plan, updates
from commonground.reporting.tests.updates_factories import image
from conftest import World

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('xss')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>body{display:none}</style>",
    "<p style='position:fixed;top:0'>covered</p>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "<embed src=javascript:alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    '<a href="javascript:alert(1)">click</a>',
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<<script>script>alert(1)<</script>/script>",
    '"><script>alert(1)</script>',
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus='",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pic](javascript:alert(1))",
    "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '[a](https://ok.example "title" onmouseover=alert(1))',
    "`<script>alert(1)</script>`",
    "<!--<script>alert(1)</script>-->",
]

# Where an address can hide; the scheme is read after the browser's own trimming.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcset"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
FORBIDDEN_TAGS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "style",
    "svg",
    "math",
    "base",
}


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)
        self._in_script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:60]}")
        self.text.append(data)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.problems.append(f"<script {attrs}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in values:
            self.problems.append(f"<meta {attrs}>")
        if tag == "link" and not (values.get("href") or "").startswith("/static/"):
            self.problems.append(f"<link {attrs}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                address = re.sub(r"[\x00-\x20]", "", value).lower()
                if address.startswith(BAD_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")


def executable_markup(html: str) -> list[str]:
    """What in `html` a browser would run or let restyle the page; [] when nothing."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems


def visible_text(html: str) -> str:
    scanner = _Scanner()
    scanner.feed(html)
    return " ".join(scanner.text)


def test_the_scanner_finds_what_it_looks_for():
    """The check itself: raw payloads are caught, escaped ones are not."""
    from django.utils.html import escape

    for payload in ("<script>x</script>", "<img src=x onerror=y>", '<a href=" javascript:x">'):
        assert executable_markup(payload), payload
        assert not executable_markup(f'<p title="{escape(payload)}">{escape(payload)}</p>')


# --- the cases -------------------------------------------------------------------------------


def _marked(n: int, payload: str, limit: int = 200) -> str:
    return f"XSS{n}: {payload}"[:limit]


def _update(world: World, n: int, payload: str) -> Iterable[str]:
    update = updates.update_create(
        actor=world.reporter,
        seat=world.seat(world.reporter),
        data={
            "title": _marked(n, payload),
            "body": f"{payload}\n\n{payload}",
            "achievements": payload,
            "challenges": payload,
            "image_alt": payload[:250],
            "visibility": "public",
        },
        image=image(),
    )
    args = [world.a.pk, update.pk]
    yield reverse("reporting:updates", args=[world.a.pk])
    yield reverse("reporting:update", args=args)
    yield reverse("reporting:update_edit", args=args)


def _comment(world: World, n: int, payload: str) -> Iterable[str]:
    update = updates.update_create(
        actor=world.reporter,
        seat=world.seat(world.reporter),
        data={"title": _marked(n, payload), "body": "Beds."},
    )
    for is_question in (False, True):
        updates.update_comment(
            actor=world.viewer,
            seat=world.seat(world.viewer),
            update=update,
            data={"body": payload, "is_question": is_question},
        )
    yield reverse("reporting:update", args=[world.a.pk, update.pk])


def _milestone(world: World, n: int, payload: str) -> Iterable[str]:
    coordinator = world.seat(world.coordinator)
    data = {"title": _marked(n, payload), "description": payload}
    ahead = milestones.milestone_create(actor=world.coordinator, seat=coordinator, data=data)
    reached = milestones.milestone_create(
        actor=world.coordinator, seat=coordinator, data={**data, "due_date": "2025-03-31"}
    )
    milestones.milestone_mark_done(
        actor=world.coordinator, seat=coordinator, milestone=reached, expected_version=1
    )
    yield reverse("reporting:milestones", args=[world.a.pk])
    yield reverse("reporting:milestone_edit", args=[world.a.pk, ahead.pk])
    yield reverse("reporting:updates", args=[world.a.pk])  # the achievement


def _plan_entry(world: World, n: int, payload: str) -> Iterable[str]:
    entry = plan.plan_entry_create(
        actor=world.coordinator,
        seat=world.seat(world.coordinator),
        data={
            "audience": "stakeholders",
            "audience_detail": payload,
            "content": _marked(n, payload, 300),
            "channel": "meeting",
            "frequency": "monthly",
            "owner_id": world.lead_a.pk,
        },
    )
    plan.plan_entry_mark_done(
        actor=world.coordinator, seat=world.seat(world.coordinator), entry=entry, note=payload
    )
    yield reverse("reporting:plan", args=[world.a.pk])
    yield reverse("reporting:plan_entry_edit", args=[world.a.pk, entry.pk])


def _target_reached(world: World, n: int, payload: str) -> Iterable[str]:
    """An indicator's title becomes an achievement's title when its target is reached."""
    from commonground.results.tests.factories import make_indicator, make_objective, report

    objective = make_objective(world, title=f"Objective {n}")
    indicator = make_indicator(
        world, objective, title=_marked(n, payload), unit=payload[:40], target_value=10
    )
    report(world, indicator, "2025-Q1", 10)
    yield reverse("reporting:updates", args=[world.a.pk])


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[World, int, str], Iterable[str]]


CASES = [
    Case("progress update", _update),
    Case("comment and question", _comment),
    Case("milestone and its achievement", _milestone),
    Case("communication plan entry", _plan_entry),
    Case("target reached", _target_reached),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_no_payload_reaches_a_page_as_markup(world, case):
    urls: list[str] = []
    for n, payload in enumerate(PAYLOADS):
        urls.extend(case.make(world, n, payload))
    client = Client()
    client.force_login(world.coordinator)  # sees every page, edit forms included
    text = ""
    problems = []
    pending = list(dict.fromkeys(urls))  # each page once, in order
    seen: set[str] = set()
    while pending:
        url = pending.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        problems += [f"{url}: {p}" for p in executable_markup(html)]
        text += visible_text(html)
        path = url.split("?")[0]
        pending += [path + link for link in re.findall(r'href="(\?page=\d+)"', html)]
    assert not problems, "\n".join(problems)
    missing = [n for n in range(len(PAYLOADS)) if f"XSS{n}:" not in text]
    assert not missing, f"objects not shown on the pages: {missing}"


def _html_part(message: mail.EmailMultiAlternatives) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return str(content)


def test_no_payload_reaches_an_e_mail_as_markup(world, run_tasks):
    for n, payload in enumerate(PAYLOADS):
        list(_comment(world, n, payload))
    run_tasks()
    assert len(mail.outbox) == 2 * len(PAYLOADS)
    problems = []
    for message in mail.outbox:
        problems += executable_markup(_html_part(message))
        # The plain-text part is text/plain: a mail program shows it, never runs it.
        sent: Message = message.message()
        assert sent.get_content_type() == "multipart/alternative"
        assert [part.get_content_type() for part in sent.get_payload()] == [  # type: ignore[union-attr]
            "text/plain",
            "text/html",
        ]
        assert "\n" not in message.subject and "\r" not in message.subject
    assert not problems, "\n".join(problems)
