"""Find English left on pages rendered in Spanish (issue 10): used by tests/test_spanish_pages.py
and by scripts/find-english.

A page's visible text is its text nodes outside <script> and <style>, plus the attributes people
read (alt, title, placeholder, aria-label, aria-description, data-confirm, and the value of a
submit button). Elements marked `lang="en"` (IATI codelist labels, the language switch's
"English") or `data-i18n-skip` (user data, standard names) are left out with what they hold, and
so are <code>, <kbd> and <samp> (codes and keys are not translated).

People's data is English in the demo, so it is subtracted first: every text value the database
holds (`UserData`), removed from each text node, longest first. What is left is "English" when
it holds a word from ENGLISH_WORDS (common English interface words that are not Spanish words,
so "no", "a", "me", "plan", "total", "final", "error", "use" and the like are not on it), or is
exactly the English of a catalogue entry whose Spanish differs (`Catalogue`). E-mail and web
addresses, file names and snake_case identifiers are machine text and not judged.
"""

import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

# Common English words of an interface that never appear in Spanish text. Each is lower case and
# checked as a whole word, case-insensitively. Words that are Spanish too are left out on
# purpose: a, no, me, he, do, con, son, sin, once, ten, red, sale, era, has, plan, total, final,
# error, base, general, local, normal, real, actual, social, global, personal, sector, menu, idea,
# online, link, email, token, test, set, via, per, reset, web, software, feedback, admin, editor,
# roles; verbs whose usted form is the same word (use, invite, archive, decline, revise); and the
# Spanish short months (may, ago).
_WORDS = """
    the and of with your yours this that these those from is are was were be been being
    have had having will would shall should can could might must does did done not yet
    or nor all each every any some other others who whom whose what when where which why how
    there their theirs they them you she it its we our his her him an at by for to on in
    into onto out off over under up down about above after before between during since until
    than then now only also just too very more most less least many much few own same such
    here if else please yes thanks thank welcome sorry

    add added adding edit edited editing save saved saving delete deleted deleting cancel
    cancelled view viewed viewing back next previous show showing shown hide hidden new
    search submit submitted approve approved return returned reopen reopened remove removed
    create created update updated updates send sent invited accept accepted
    declined revoke revoked replace open opened close closed archived restore
    restored download upload import imported export exported attach attached print choose
    select selected sort filter filters apply clear mark read unread sign signed log logged
    continue confirm check checked change changed changes keep leave skip go see try

    report reports reporting reported result results partner partners partnership
    partnerships period periods status due overdue late draft drafts review reviewed
    reviewer awaiting pending target targets baseline indicator indicators objective
    objectives outcome outcomes output outputs impact dimension dimensions disaggregation
    value values comment comments attachment attachments file files summary council progress
    portfolio schedule schedules activity ledger evaluation evaluations finding findings
    recommendation recommendations milestone milestones communication audience channel
    frequency quarterly monthly yearly weekly daily annually owner owners seat seats role
    coordinator reporter viewer people person member members organisation
    organisations organization organizations registry invitation invitations notification
    notifications reminder reminders digest calendar feed account profile password
    language settings name title description date dates start end started ended track
    risk achieved achievement achievements challenges goal goals sectors level type kind
    data recent latest first last page of step steps list table chart map help
    accessibility statement content main navigation home dashboard question questions
    answer required optional none nothing everything something someone anyone everyone
    nobody field fields form forms row rows column columns entry entries job jobs queue
    queued ready failed success successful warning day days week weeks month months year
    years quarter quarters today yesterday tomorrow time hour hours minute minutes
    figure figures number numbers count amount percent longer again already without within
    because while still never always both either neither below

    january february march april june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
"""
ENGLISH_WORDS = frozenset(_WORDS.split())

# Same in both languages, and names: removed before the check.
ALLOWED = re.compile(
    r"\b(Common Ground|IATI|SDGs?|CSV|XLSX|XLS|PDF|API|JSON|XML|URL|OK|htmx|iCalendar|UTC|ISO|"
    r"WCAG|CC BY|Google Calendar|Apple Calendar|Outlook)\b"
)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")  # letters, accented ones too
# E-mail and web addresses, paths and identifiers: machine text, whatever words they hold.
MACHINE_TEXT = re.compile(
    r"\S+@\S+\.\w+|\bhttps?://\S+|(?<!\w)/[\w./?=&%-]+"
    r"|\b[a-z]+(?:_[a-z0-9]+)+\b"  # snake_case identifiers: field names, codes
    r"|[\w.-]+\.(?:pdf|csv|xlsx|xls|txt|ics|png|jpe?g|gif|webp|svg|xml|json|docx?)\b"  # files
)
SEPARATOR = re.compile(r"[:·;,()|]|\s[-\u2013—/]\s")
PLACEHOLDER = re.compile(r"%\(\w+\)|%[sd]|\{\w*\}")
PUNCTUATION = " \n.,;:…()[]\"'“”\u2018\u2019·-\u2013—*#!?¿¡"
SKIP_TAGS = {"script", "style", "code", "kbd", "samp"}
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
TEXT_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "aria-description", "data-confirm")


class VisibleText(HTMLParser):
    """The text a person reads (or hears) on a page, as a list of pieces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # tag, whether its content is skipped
        self.pieces: list[str] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        skip = (
            self.skipping
            or tag in SKIP_TAGS
            # <html lang> is the page's own claim (in English when English is asked for).
            or (tag != "html" and (found.get("lang") or "").lower().startswith("en"))
            or "data-i18n-skip" in found
        )
        if not skip:
            for name in TEXT_ATTRIBUTES:
                if found.get(name):
                    self.pieces.append(str(found[name]))
            if tag == "input" and found.get("type") in ("submit", "button") and found.get("value"):
                self.pieces.append(str(found["value"]))
        if tag not in VOID_TAGS:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        # Unclosed <p>, <li>, <option> and the like are closed by the next end tag above them.
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.pieces.append(data)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    # Lines are kept apart: a list of values in a text box ("under 18", "18-24") is one node.
    return [
        "\n".join(" ".join(line.split()) for line in piece.splitlines() if line.strip())
        for piece in parser.pieces
    ]


def english_words(text: str) -> list[str]:
    return [word for word in WORD.findall(text) if word.lower() in ENGLISH_WORDS]


@dataclass
class UserData:
    """People's text, to take away from a page's text before judging it: `values` (longest
    first) are removed wherever they stand; `whole` are also the texts of JSON fields (a
    dimension's values), accepted where a fragment is exactly one of them; `corpus` finds
    the pieces of a longer text (cut short on a list, or split by Markdown)."""

    values: list[str]
    whole: frozenset[str] = frozenset()
    corpus: str = ""
    _memo: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_database(cls) -> "UserData":
        texts: set[str] = set()
        whole: set[str] = set()
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if f.name != "password"]
            names = [
                f.name
                for f in fields
                if isinstance(f, models.CharField | models.TextField) and not f.choices
            ]
            data = [f.name for f in fields if isinstance(f, models.JSONField)]
            # The ledger's old values: people's words, but also status codes ("draft"), which
            # are kept only where they cannot be a code (they hold a space).
            spaced = model._meta.label == "core.AuditEvent"
            if not names and not data:
                continue
            for row in model._default_manager.values_list(*names, *data):
                for value in row[: len(names)]:
                    if isinstance(value, str):
                        texts.update(_user_values(value))
                for value in row[len(names) :]:
                    whole.update(t for t in _strings_in(value) if " " in t or not spaced)
        return cls.of(texts, whole)

    @classmethod
    def of(cls, texts: Iterable[str], whole: Iterable[str] = ()) -> "UserData":
        texts = {
            t for t in texts if len(t) >= 4 or (len(t) == 3 and t.lower() not in ENGLISH_WORDS)
        }
        values = sorted(texts, key=lambda v: (-len(v), v))
        return cls(values=values, whole=frozenset({*texts, *whole}), corpus="\n".join(values))

    def without(self, text: str) -> str:
        """`text` with every user value in it replaced by a line break (a boundary)."""
        if text in self._memo:
            return self._memo[text]
        left = text
        for value in self.values:
            if value in left:
                left = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", "\n", left)
        self._memo[text] = left
        return left

    def holds(self, fragment: str) -> bool:
        """Is `fragment` someone's text, or a piece of it?"""
        fragment = fragment.strip(PUNCTUATION)
        if fragment in self.whole:
            return True
        return len(WORD.findall(fragment)) >= 2 and fragment in self.corpus


def _user_values(value: str) -> Iterator[str]:
    """The value, each of its lines, and their Markdown-free form (pages render Markdown)."""
    yield " ".join(value.split())
    for line in value.splitlines():
        line = " ".join(line.split())
        yield line
        plain = re.sub(r"[*_`#>\[\]]+", "", line).strip()
        yield re.sub(r"^(?:[-+]|\d+\.)\s+", "", plain)


def _strings_in(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield " ".join(value.split())
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings_in(key)
            yield from _strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_in(item)


@dataclass
class Catalogue:
    """The English of the catalogues' entries whose Spanish differs (or is missing): a piece of
    a page that is exactly one of them is English left, whatever its words."""

    msgids: frozenset[str]

    @classmethod
    def load(cls, root: Path) -> "Catalogue":
        return _catalogue(root)


@functools.cache
def _catalogue(root: Path) -> Catalogue:
    import polib  # type: ignore[import-untyped]

    english: set[str] = set()
    spanish: set[str] = set()
    for path in root.glob("commonground/**/locale/es/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(path)):
            translations = {entry.msgstr, *entry.msgstr_plural.values()} - {""}
            spanish.update(" ".join(t.split()) for t in translations)
            for msgid in (entry.msgid, entry.msgid_plural):
                if msgid and not PLACEHOLDER.search(msgid):
                    english.add(" ".join(msgid.split()))
    # Text that is some entry's Spanish too ("Total", "Plan", "General") proves nothing.
    return Catalogue(frozenset(english - spanish))


def english_left(
    pieces: Iterable[str], user_data: UserData, catalogue: Catalogue | None = None
) -> list[str]:
    """The pieces of text that still hold English once people's data is taken away."""
    msgids = catalogue.msgids if catalogue else frozenset()
    found = []
    for piece in pieces:
        flat = " ".join(piece.split())
        if not english_words(flat) and flat.strip(PUNCTUATION) not in msgids:
            continue
        left = MACHINE_TEXT.sub(" ", ALLOWED.sub(" ", user_data.without(piece)))
        if any(_english(fragment, user_data, msgids) for fragment in left.split("\n")):
            found.append(flat)
    return found


def _english(fragment: str, user_data: UserData, msgids: frozenset[str]) -> bool:
    """Does what is left between people's data hold English? A fragment may be someone's text
    as a whole, or values joined by punctuation ("sex: other", "Health, Housing")."""
    if user_data.holds(fragment):
        return False
    if fragment.strip(PUNCTUATION) in msgids:
        return True
    return any(
        (english_words(part) or part.strip(PUNCTUATION) in msgids) and not user_data.holds(part)
        for part in SEPARATOR.split(fragment)
    )


# ---- every page, as each kind of person, in Spanish -------------------------------------------

# Namespaces that are not Common Ground's pages: Django's admin and the JSON API (whose messages
# are checked by the apps' API tests).
NOT_OURS = ("admin", "api")
# The demo's people (`commonground seed`) whose pages are crawled, and its partnership that has
# something of every kind.
PERSONAS = {
    "coordinator": "coordinator@example.org",
    "reporter": "partner@example.org",
    "outsider": "outsider@example.org",  # the empty states
    "signed out": None,
}
FOCUS = "Riverside Homelessness Response"
# Patterns that are no page a person reads, and why.
NOT_PAGES = {
    "home": "sends each person on to their start page",
    "healthz": "a machine's health check",
    "notifications:calendar_feed": "an iCalendar file",
    "reporting:update_image": "an update's picture",
    "results:result_evidence": "a result's evidence file (the demo has none)",
}
ADDRESS = re.compile(r"""(?:href|action|hx-get|hx-post)="(/[^"#]*)""")


@dataclass
class Leftovers:
    """What a crawl found: per route, the addresses opened and the English pieces seen on them
    (by anyone); the pages that failed; the routes that are no page."""

    pages: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # route -> who, url
    english: dict[str, dict[str, None]] = field(default_factory=dict)  # route -> pieces
    errors: list[str] = field(default_factory=list)
    not_pages: dict[str, str] = field(default_factory=dict)  # route -> why

    def add(self, route: str, persona: str, url: str, pieces: list[str]) -> None:
        self.pages.setdefault(route, []).append((persona, url))
        self.english.setdefault(route, {}).update(dict.fromkeys(pieces))

    def report(self, common_from: int = 5) -> str:
        """Per route, its English pieces; a piece seen on `common_from` routes or more is listed
        once at the top (it comes from the page frame or a shared partial)."""
        seen = Counter(piece for pieces in self.english.values() for piece in pieces)
        common = {piece for piece, n in seen.items() if n >= common_from}
        lines = []
        if common:
            lines.append(f"On {common_from} pages or more (the page frame or a shared partial):")
            lines += [f"    {_short(p)}   [{seen[p]} pages]" for p in sorted(common)]
        for route in sorted(self.english):
            own = [p for p in self.english[route] if p not in common]
            if own:
                url = self.pages[route][0][1]
                who = ", ".join(dict.fromkeys(persona for persona, _ in self.pages[route]))
                lines.append(f"{route}  {url}  (as {who}):")
                lines += [f"    {_short(p)}" for p in own]
        return "\n".join(lines)


def _short(piece: str, limit: int = 160) -> str:
    return repr(piece if len(piece) <= limit else piece[: limit - 1] + "…")


@functools.lru_cache(maxsize=10_000)
def _route_of(path: str) -> tuple[str, dict[str, Any]] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name.split(":")[0] in NOT_OURS:
        return None
    return match.view_name, dict(match.kwargs)


DOWNLOADS = (".pdf", ".csv", ".xlsx", ".ics", ".xml", ".json")
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
REQUIRED = re.compile(r"<(?:input|textarea|select)\b[^>]*\srequired\b", re.I)
INPUT = re.compile(r"<input\b[^>]*>", re.I)
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def empty_forms(html: str, url: str) -> Iterator[tuple[str, dict[str, str]]]:
    """The forms sent by POST that have a required field: their address and hidden values."""
    for form in FORM.finditer(html):
        attributes = dict(ATTRIBUTE.findall(form.group(1)))
        if attributes.get("method", "").lower() != "post" or not REQUIRED.search(form.group(2)):
            continue
        hidden = {}
        for tag in INPUT.findall(form.group(2)):
            field = dict(ATTRIBUTE.findall(tag))
            if field.get("type") == "hidden" and field.get("name", "csrfmiddlewaretoken") != (
                "csrfmiddlewaretoken"
            ):
                hidden[field["name"]] = unescape(field.get("value", ""))
        yield unescape(attributes.get("action") or url), hidden


class SpanishCrawl:
    """Open pages in Spanish with Django's test client, follow their links (one address per URL
    pattern and person), and keep the English each page still shows.

    `focus` keeps the crawl in one partnership (its id under the names URL patterns give it):
    the others' pages are the same templates with other data."""

    def __init__(
        self,
        user_data: UserData,
        catalogue: Catalogue | None = None,
        focus: dict[str, object] | None = None,
        language: str = "es",
    ) -> None:
        self.user_data = user_data
        self.catalogue = catalogue
        self.focus = {name: str(value) for name, value in (focus or {}).items()}
        self.language = language
        self.found = Leftovers()
        # The ids of every address seen, with the pattern each named.
        self.filled: list[tuple[str, dict[str, Any]]] = []
        self.sent: set[str] = set()  # the patterns whose forms were sent empty

    def client(self, user: Any) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=self.language, raise_request_exception=True)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = self.language
        if user is not None:
            client.force_login(user)
        return client

    def route_of(self, url: str) -> tuple[str, dict[str, Any]] | None:
        return _route_of(urlsplit(url).path)

    def visit(self, client: Client, persona: str, url: str, route: str) -> tuple[str, list[str]]:
        """Open `url` and judge its text: what it was ('page', 'redirect', 'download',
        'post-only', 'error' or the status of an error page) and the addresses it names."""
        try:
            with transaction.atomic():  # what a GET changes (a notification read) is undone
                response = client.get(url)
                transaction.set_rollback(True)
        except Exception as error:  # a translation that breaks a page is a finding too
            self.found.errors.append(f"{persona} {url} ({route}): {type(error).__name__}: {error}")
            return "error", []
        status = response.status_code
        if status in (301, 302, 303, 307):
            return "redirect", [response["Location"]]
        if status == 405:
            return "post-only", []
        if status >= 500:
            self.found.errors.append(f"{persona} {url} ({route}): status {status}")
            return "error", []
        if response.streaming or "text/html" not in response.get("Content-Type", ""):
            return "download", []
        html = response.content.decode()
        # An error page (not found, forbidden) is judged as such, not as the page asked for.
        judged = route if status < 400 else f"the {status} page"
        english = english_left(visible_text(html), self.user_data, self.catalogue)
        self.found.add(judged, persona, url, english)
        addresses = [unescape(address) for address in ADDRESS.findall(html)]
        for address in addresses:
            found = self.route_of(address)
            if found and found[1]:
                self.filled.append(found)
        if status < 400:
            for action, data in empty_forms(html, url):
                self.send_empty(client, persona, action, data, shown=english)
        return ("page" if status < 400 else str(status)), addresses

    def send_empty(
        self,
        client: Client,
        persona: str,
        action: str,
        data: dict[str, str],
        shown: list[str],
    ) -> None:
        """Send a form with its required fields left empty, once per URL pattern, and judge
        the page that says what is missing: what it adds to the English `shown` already on
        the form's page (its error messages)."""
        found = self.route_of(action)
        if found is None or found[0] in self.sent:
            return
        self.sent.add(found[0])
        judged = f"{found[0]} (sent empty)"
        try:
            with transaction.atomic():  # nothing a refused form might have written stays
                response = client.post(action, data)
                transaction.set_rollback(True)
        except Exception as error:
            self.found.errors.append(f"{persona} POST {action} ({judged}): {error!r}")
            return
        status = response.status_code
        if status >= 500:
            self.found.errors.append(f"{persona} POST {action} ({judged}): {status}")
        elif (status < 300 or status in (400, 422)) and "text/html" in response["Content-Type"]:
            pieces = visible_text(response.content.decode())
            english = english_left(pieces, self.user_data, self.catalogue)
            already = {*shown, *self.found.english.get(found[0], ())}
            self.found.add(judged, persona, action, [p for p in english if p not in already])

    def in_focus(self, kwargs: dict[str, Any]) -> bool:
        return all(str(kwargs[k]) == v for k, v in self.focus.items() if k in kwargs)

    def crawl(self, persona: str, user: Any, start: str = "/") -> None:
        """Follow the links from `start`, opening one address per URL pattern."""
        client = self.client(user)
        queue = [start]
        done: set[str] = set()
        while queue:
            found = self.route_of(url := queue.pop(0))
            if found is None or found[0] in done or not self.in_focus(found[1]):
                continue
            done.add(found[0])
            if found[0] in self.found.not_pages:
                continue  # a file or a form's target for everyone (a PDF takes a second)
            if urlsplit(url).path.endswith(DOWNLOADS):
                self.found.not_pages[found[0]] = "download"
                continue
            outcome, addresses = self.visit(client, persona, url, found[0])
            if outcome in ("download", "post-only"):
                self.found.not_pages.setdefault(found[0], outcome)
            queue += addresses

    def candidates(self, name: str, pattern: str, most: int = 4) -> list[dict[str, Any]]:
        """Ids for `pattern`: those of addresses of this very pattern seen on a page first,
        then any seen together in one address (so a report goes with its own partnership),
        those of the focus first."""
        names = set(re.findall(r"<(?:\w+:)?(\w+)>", pattern))
        fitting = [kwargs for seen, kwargs in self.filled if seen == name]
        fitting += sorted(
            (kwargs for _, kwargs in self.filled if names <= set(kwargs)),
            key=lambda kwargs: not self.in_focus(kwargs),
        )
        found: dict[str, dict[str, Any]] = {}
        for kwargs in fitting:
            chosen = {n: kwargs[n] for n in names}
            found.setdefault(repr(sorted(chosen.items())), chosen)
        return list(found.values())[:most]

    def open_the_rest(
        self, patterns: Iterable[tuple[str, str]], people: dict[str, Any], skip: Iterable[str]
    ) -> dict[str, str]:
        """Open each pattern no link led to with ids seen on the way, as each of `people`, until
        one answers with a page (or a download, or "POST only"); the patterns that stay
        unreached, and why."""
        clients = {persona: self.client(user) for persona, user in people.items()}
        unreached = {}
        for name, pattern in patterns:
            if name in self.found.pages or name in self.found.not_pages or name in skip:
                continue
            outcomes = [
                self._try(name, reverse(name, kwargs=kwargs), clients)
                for kwargs in self.candidates(name, pattern)
                if name not in self.found.pages and name not in self.found.not_pages
            ]
            if not outcomes:
                unreached[name] = "no object fills its address"
            elif name not in self.found.pages and name not in self.found.not_pages:
                unreached[name] = "; ".join(outcomes)
        return unreached

    def _try(self, name: str, url: str, clients: dict[str, Client]) -> str:
        for persona, client in clients.items():
            outcome, addresses = self.visit(client, persona, url, name)
            # A page that moves its secret out of the address first (a password reset).
            found = self.route_of(addresses[0]) if outcome == "redirect" else None
            if found and found[0] == name:
                outcome, _ = self.visit(client, persona, addresses[0], name)
            if outcome in ("download", "post-only"):
                self.found.not_pages[name] = outcome
            if outcome in ("page", "download", "post-only"):
                break
        return f"{outcome} at {url}"


def page_patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """Every named URL pattern of Common Ground's pages: (name, pattern)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            if inner.strip(":").split(":")[0] not in NOT_OURS:
                yield from page_patterns(entry, prefix + str(entry.pattern), inner.strip(":"))
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if name.split(":")[0] not in NOT_OURS:
                yield name, prefix + str(entry.pattern)


def crawl_everything(
    crawl: SpanishCrawl, secret_ids: Iterable[dict[str, Any]] = ()
) -> dict[str, str]:
    """As the demo's coordinator, reporter and someone signed out, follow the links from the
    home page within the FOCUS partnership; then open every pattern no link led to with ids
    seen on the way (or `secret_ids`, of the pages only e-mails link to) and an address that
    names nothing. The patterns that stay unreached, and why."""
    from commonground.accounts.models import User
    from commonground.partnerships.models import Partnership

    focus = Partnership.objects.filter(title=FOCUS).values_list("pk", flat=True).first()
    crawl.focus = {"partnership_id": str(focus), "partnership_pk": str(focus)} if focus else {}
    people = {p: User.objects.get(email=e) if e else None for p, e in PERSONAS.items()}
    for persona, user in people.items():
        crawl.crawl(persona, user)
    crawl.filled[:0] = [("", kwargs) for kwargs in secret_ids]
    signed_in = {p: u for p, u in people.items() if u is not None}
    unreached = crawl.open_the_rest(page_patterns(), signed_in, skip=NOT_PAGES)
    # The error pages: an address that names nothing, and a page the reporter may not change.
    crawl.visit(crawl.client(people["coordinator"]), "coordinator", "/partnerships/0/", "404")
    if focus:
        edit = reverse("partnerships:edit", args=[focus])
        crawl.visit(crawl.client(people["reporter"]), "reporter", edit, "partnerships:edit")
    return unreached
