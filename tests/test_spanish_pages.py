"""Every page rendered in Spanish shows no English from the templates (issue 10, item 3).

The demo's data (`commonground seed`, what `make demo` shows) is seeded once for this module, on
a fixed day. As the coordinator, a reporter, an outsider (the empty states) and someone signed
out, Django's test client asks for every page in Spanish (the `cg_language` cookie and
Accept-Language: es), follows its links within one partnership and sends each form that has a
required field once, empty, for its error messages. Every URL pattern nobody reached is then
opened with ids seen on the way or made here, as in tests/browser/test_accessibility.py, so a
page added later is checked the day it is added (or this test says it could not be reached).

Each HTML answer's visible text (tests/spanish.py) has the database's text values taken away
(people's data is English in the demo) and must then hold no English interface word and no
catalogue entry left in English. The failure lists, per page, the English left (also written to
test-artifacts/spanish-leftovers.txt), so that a reader can fix one template at a time.

Run it alone with `pytest tests/test_spanish_pages.py`, `-k spanish` or `-m spanish`; for the
pages of a demo database, scripts/find-english.
"""

import datetime as dt
from collections.abc import Iterator
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from pytest_django import DjangoDbBlocker

from commonground.accounts.models import User
from commonground.accounts.services import api_token_create
from commonground.notifications.services.digests import unsubscribe_token
from commonground.partnerships.models import Partnership, Seat
from commonground.partnerships.services import invitation_create
from commonground.reporting.models import PartnerReport, ReportExport
from commonground.reporting.services.reports import attachment_add
from commonground.results.models import ImportJob, Result, ResultStatus
from tests.processes import REPO
from tests.spanish import (
    FOCUS,
    PERSONAS,
    Catalogue,
    SpanishCrawl,
    UserData,
    crawl_everything,
    english_left,
    visible_text,
)

pytestmark = [pytest.mark.django_db, pytest.mark.spanish]

DEMO_DAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # as the demo's own tests
LEFTOVERS = REPO / "test-artifacts" / "spanish-leftovers.txt"


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[list[dict]]:
    """The demo's data, seeded once inside a transaction rolled back after this module, with
    what the demo holds none of; the ids of pages reached only through a secret."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(
                DEBUG=True,  # the seed makes the demo's logins only with DEBUG on
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                SITE_URL="http://testserver",
            ),
            time_machine.travel(DEMO_DAY, tick=True),
        ):
            call_command("seed", stdout=StringIO())
            User.objects.update(language="")  # the cookie chooses, not a profile
            secret_ids = what_the_demo_lacks()
        yield secret_ids
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def what_the_demo_lacks() -> list[dict]:
    """An API token, an invitation, a large import, PDF copies of a progress report and of a
    council summary (one being made, one ready) and a report attachment, made as their people
    would; the ids of their pages, of a result the reporter may change and the secrets of the
    pages e-mails link to (a password reset, an invitation, a digest's unsubscribe). Given
    before those the crawl sees, so the pages are reached however the links change."""
    partnership = Partnership.objects.get(title=FOCUS)
    p = partnership.pk
    coordinator = User.objects.get(email=PERSONAS["coordinator"])
    reporter = User.objects.get(email=PERSONAS["reporter"])
    coordinator_seat = Seat.objects.get(partnership=partnership, user=coordinator)
    reporter_seat = Seat.objects.get(partnership=partnership, user=reporter)
    token, _ = api_token_create(user=coordinator, name="Spanish check")
    invitation, secret = invitation_create(
        actor=coordinator,
        partnership=partnership,
        partner=reporter_seat.partner,
        email="new.person@example.org",
        role="reporter",
    )
    job = ImportJob.objects.create(
        partnership=partnership,
        seat=coordinator_seat,
        created_by=coordinator,
        file_name="results.csv",
        stored_name="job-none",
        sha256="0" * 64,
        rows=5000,
    )
    ids: list[dict] = [
        {"token_id": token.pk},
        {"partnership_id": p, "invitation_id": invitation.pk},
        {"partnership_id": p, "job_id": job.pk},
    ]
    for where in (partnership, None):
        for status in ReportExport.Status.QUEUED, ReportExport.Status.DONE:
            export = ReportExport.objects.create(
                partnership=where,
                date_from="2026-01-01",
                date_to="2026-09-30",
                requested_by=coordinator,
                status=status,
            )
            if status == ReportExport.Status.DONE:
                export.file.save("report.pdf", ContentFile(b"%PDF-1.4 (a copy)"))
            ids.append(
                {"partnership_id": p, "export_id": export.pk}
                if where
                else {"summary_id": export.pk}
            )
    report = PartnerReport.objects.filter(
        partnership=partnership, partner=reporter_seat.partner, status="draft"
    ).first()
    assert report is not None, "the demo has no draft report for the reporter"
    attachment = attachment_add(
        actor=reporter,
        seat=reporter_seat,
        report=report,
        upload=SimpleUploadedFile("minutes.txt", b"Minutes of the meeting."),
    )
    viewer = User.objects.get(email="viewer@example.org")
    returned = Result.objects.filter(
        partnership=partnership, partner=reporter_seat.partner, status=ResultStatus.RETURNED
    ).first()
    assert returned is not None, "the demo has no result returned to the reporter"
    return [
        *ids,
        {"partnership_id": p, "report_id": report.pk, "attachment_id": attachment.pk},
        {"partnership_id": p, "result_id": returned.pk},  # the reporter changes it
        {"token": secret},
        {
            "uidb64": urlsafe_base64_encode(force_bytes(viewer.pk)),
            "token": default_token_generator.make_token(viewer),
        },
        {"unsubscribe_token": unsubscribe_token(coordinator.pk, p)},
    ]


@time_machine.travel(DEMO_DAY, tick=False)
def test_every_page_in_spanish_shows_no_english_from_the_templates(demo: list[dict]) -> None:
    crawl = SpanishCrawl(UserData.from_database(), Catalogue.load(REPO))
    unreached = crawl_everything(crawl, secret_ids=demo)
    found = crawl.found
    print(
        f"\n{sum(map(len, found.pages.values()))} pages of {len(found.pages)} URL patterns;"
        f" not pages: {', '.join(f'{n} ({why})' for n, why in sorted(found.not_pages.items()))}"
    )
    assert not unreached, "pages not checked:\n" + "\n".join(
        f"{name}: {why}" for name, why in sorted(unreached.items())
    )
    assert not found.errors, "pages that failed in Spanish:\n" + "\n".join(found.errors)
    report = found.report()
    if report:
        LEFTOVERS.parent.mkdir(parents=True, exist_ok=True)
        LEFTOVERS.write_text(report + "\n")
    assert not report, f"English left on pages rendered in Spanish (also in {LEFTOVERS}):\n{report}"


# ---- the finder itself --------------------------------------------------------------------


def test_visible_text_is_text_and_the_attributes_people_read_but_not_code_or_english_labels():
    html = """<!doctype html><html><head><title>Alianzas</title><style>p{}</style></head>
    <body><script>var the = 1;</script><p>Hola <b>mundo</b></p><ul><li>uno<li>dos</ul>
    <img src="x.png" alt="Gráfico"><input placeholder="Buscar"><br>
    <button aria-label="Cerrar">x</button><input type="submit" value="Guardar">
    <span lang="en">Central Government</span><td data-i18n-skip>Riverside Food Bank</td>
    <code>result.submit</code><form data-confirm="¿Quitar?"></form><p>fin</p></body></html>"""
    assert visible_text(html) == [
        "Alianzas",
        "Hola",
        "mundo",
        "uno",
        "dos",
        "Gráfico",
        "Buscar",
        "Cerrar",
        "x",
        "Guardar",
        "¿Quitar?",
        "fin",
    ]


def test_spanish_text_holds_no_english_word_and_english_interface_text_does():
    spanish = [
        "Cada cambio ejecuta un análisis automático de todas las páginas",  # "an" in "análisis"
        "Informe del socio · 3 de diciembre de 2026",
        "Use el formulario; no hay datos. Total: 12 personas con plan social",
        "Common Ground · IATI · CSV · PDF · API",
        ": partner@example.org guardó el resultado (https://example.org/the/report)",
        "Descargar progress-report-riverside-2026-01-01-to-2026-09-30.pdf (12 kB)",  # a file name
        "campo owner_id",  # an identifier
        "Pida a un coordinador que le invite, o archive la alianza",  # usted's invite, archive
        "Editor · Organizaciones socias y sus roles · 1 may 2026 - 26 ago 2026",
        "Suscríbase en Outlook, Google Calendar o Apple Calendar",
    ]
    english = ["Save", "Submitted by", "Add a comment", "3 December 2026", "(opens in a new tab)"]
    nothing = UserData.of([])
    assert english_left(spanish, nothing) == []
    assert english_left(english, nothing) == english


def test_peoples_data_is_taken_away_before_judging():
    data = UserData.of(
        [
            "Riverside Food Bank",
            "Hot meals at the day centre and food for every new tenancy",
            "We opened ten beds for the winter.",
            "people",
        ],
        whole=["other"],
    )
    pieces = [
        "Informe de Riverside Food Bank",  # a name inside Spanish text
        "Hot meals at the day centre and food…",  # cut short on a list
        "We opened ",  # split by Markdown: "We opened *ten* beds…"
        "120 people",  # a unit
        "sexo: other",  # a dimension's value (a JSON field)
        "Report of Riverside Food Bank",  # the template's words are still English
    ]
    assert english_left(pieces, data) == ["Report of Riverside Food Bank"]


def test_a_catalogue_entry_left_in_english_is_found_whatever_its_words():
    catalogue = Catalogue(frozenset({"Beneficiaries", "Common Ground"}))
    found = english_left(["Beneficiaries", "Beneficiarios"], UserData.of([]), catalogue)
    assert found == ["Beneficiaries"]


@pytest.mark.parametrize("language,english", [("es", False), ("en", True)])
def test_the_accessibility_statement_is_spanish_in_spanish_and_english_in_english(
    language: str, english: bool
) -> None:
    """The finder passes a translated page and fails the same page in English."""
    crawl = SpanishCrawl(UserData.of([]), Catalogue.load(REPO), language=language)
    outcome, _ = crawl.visit(crawl.client(None), "signed out", "/accessibility/", "accessibility")
    assert outcome == "page"
    assert bool(crawl.found.report()) is english, crawl.found.report()


def test_each_line_of_a_text_box_is_judged_alone():
    """A dimension's values, one a line in its text box, are people's words line by line."""
    html = "<textarea name='values'>under 18\n18-24\n65+</textarea><p>Edad</p>"
    pieces = visible_text(html)
    assert english_left(pieces, UserData.of([], whole=["under 18", "18-24", "65+"])) == []
    assert english_left(pieces, UserData.of([])) == ["under 18 18-24 65+"]
