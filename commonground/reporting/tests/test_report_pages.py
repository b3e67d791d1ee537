"""The reporting pages and API: set up a schedule, fill and submit a report, return it with a
comment, resubmit, accept; errors named on their fields; attachments checked."""

import datetime as dt
import json
import re
from html import unescape

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commonground.reporting.models import PartnerReport, ReportingSchedule, ReportStatus
from commonground.reporting.services import reports
from commonground.reporting.tests.factories import make_schedule, report_of, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_2025(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(dt.datetime(2025, 4, 20, 9, tzinfo=dt.UTC), tick=True):
        yield


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


def _url(name: str, *args) -> str:
    return reverse(f"reporting:{name}", args=args)


def test_a_coordinator_sets_up_a_schedule_and_the_reports_appear(world):
    client = _client(world.coordinator)
    page = client.get(_url("schedule_create", world.a.pk))
    assert page.status_code == 200
    assert 'name="partner_ids"' in page.content.decode()
    response = client.post(
        _url("schedule_create", world.a.pk),
        {
            "title": "Quarterly partner report",
            "frequency": "quarterly",
            "due_days": "30",
            "reminder_offsets": "-7, 0, 3",
            "partner_ids": [str(world.ngo_a.pk)],
        },
    )
    assert response.status_code == 302
    schedule = ReportingSchedule.objects.get()
    assert schedule.reminder_offsets == [-7, 0, 3]
    home = _text(client.get(_url("reports", world.a.pk)))
    assert "Quarterly partner report : quarterly, due 30 days after each period ends" in home
    assert "Reminders 7 days before, on the due date, 3 days after" in home
    assert "2025-Q1" in home and "Shelter Network" in home and "Due" in home


def test_schedule_errors_are_named_on_their_fields(world):
    response = _client(world.coordinator).post(
        _url("schedule_create", world.a.pk),
        {"title": "Q", "frequency": "quarterly", "due_days": "30", "reminder_offsets": "soon"},
    )
    text = _text(response)
    assert response.status_code == 200
    assert "This field is required." in text  # partner_ids, from the form
    response = _client(world.coordinator).post(
        _url("schedule_create", world.a.pk),
        {
            "title": "Q",
            "frequency": "quarterly",
            "due_days": "30",
            "reminder_offsets": "soon",
            "partner_ids": [str(world.ngo_a.pk)],
        },
    )
    assert "“soon” is not a whole number of days" in _text(response)
    assert not ReportingSchedule.objects.exists()


def test_fill_submit_return_resubmit_accept_through_the_pages(world):
    schedule = make_schedule(world)
    report = report_of(world, schedule, "2025-Q1")
    reporter = _client(world.reporter)
    url = _url("report", world.a.pk, report.pk)
    page = _text(reporter.get(url))
    assert "Submit for review" in page and "Due" in page

    # Submitting without the required sections names them.
    response = reporter.post(
        _url("report_save", world.a.pk, report.pk),
        {"achievements": "", "challenges": "", "version": report.version, "action": "submit"},
    )
    assert response.status_code == 400
    text = _text(response)
    assert "Write the achievements before you submit." in text
    assert "Write the challenges before you submit." in text
    # The person goes on from the form they were shown.
    found = re.search(r"name=\"version\" value=\"(\d+)\"", response.content.decode())
    assert found is not None
    version = found[1]

    response = reporter.post(
        _url("report_save", world.a.pk, report.pk),
        {
            "achievements": "Opened 12 beds.",
            "challenges": "Staff turnover.",
            "version": version,
            "action": "submit",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    # The reporter cannot review; the coordinator returns with a comment.
    assert reporter.post(_url("report_accept", world.a.pk, report.pk)).status_code == 403
    coordinator = _client(world.coordinator)
    response = coordinator.post(
        _url("report_return", world.a.pk, report.pk), {"comment": "", "version": report.version}
    )
    assert response.status_code == 400 and "Say what needs changing." in _text(response)
    coordinator.post(
        _url("report_return", world.a.pk, report.pk),
        {"comment": "Add the waiting list figure.", "version": report.version},
    )
    page = _text(reporter.get(url))
    assert "Returned with comments" in page and "Add the waiting list figure." in page

    report.refresh_from_db()
    reporter.post(
        _url("report_save", world.a.pk, report.pk),
        {
            "achievements": "Opened 12 beds; waiting list down to 40.",
            "challenges": "Staff turnover.",
            "version": report.version,
            "action": "submit",
        },
    )
    report.refresh_from_db()
    coordinator.post(_url("report_accept", world.a.pk, report.pk), {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    page = _text(reporter.get(url))
    assert "Accepted" in page and "Submit for review" not in page
    assert "waiting list down to 40" in page
    history = page[page.index("History") :]
    assert re.search(
        r"Submitted by .*Returned with comments by .*Submitted by .*Accepted by", history
    )


def test_a_stale_form_is_refused_with_a_message(world):
    report = report_of(world, make_schedule(world), "2025-Q1")
    reporter = _client(world.reporter)
    form = {"achievements": "A", "challenges": "B", "version": report.version, "action": "save"}
    reporter.post(_url("report_save", world.a.pk, report.pk), form)
    response = reporter.post(
        _url("report_save", world.a.pk, report.pk), {**form, "achievements": "Old tab"}
    )
    assert response.status_code == 400
    assert "Someone else changed this since you opened it" in _text(response)
    assert PartnerReport.objects.get(pk=report.pk).achievements == "A"


def test_attachments_are_type_checked_and_downloaded_not_rendered(world):
    report = report_of(world, make_schedule(world), "2025-Q1")
    reporter = _client(world.reporter)
    bad = reporter.post(
        _url("report_attach", world.a.pk, report.pk),
        {"evidence_file": SimpleUploadedFile("evil.html", b"<script>alert(1)</script>")},
    )
    assert bad.status_code == 400 and "Attach a PDF, image, spreadsheet" in _text(bad)
    fake = reporter.post(
        _url("report_attach", world.a.pk, report.pk),
        {"evidence_file": SimpleUploadedFile("scan.pdf", b"not a pdf at all")},
    )
    assert "The file's content is not a .pdf file." in _text(fake)
    ok = reporter.post(
        _url("report_attach", world.a.pk, report.pk),
        {"evidence_file": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes")},
    )
    assert ok.status_code == 302
    attachment = report.attachments.get()
    download = _client(world.viewer).get(
        _url("report_attachment", world.a.pk, report.pk, attachment.pk)
    )
    assert download["Content-Disposition"].startswith("attachment")
    outsider = _client(world.other_coordinator).get(
        _url("report_attachment", world.a.pk, report.pk, attachment.pk)
    )
    assert outsider.status_code == 404


def test_the_api_runs_the_same_review(world):
    coordinator, reporter = _client(world.coordinator), _client(world.reporter)
    base = f"/api/v1/partnerships/{world.a.pk}"
    created = coordinator.post(
        f"{base}/reporting/schedules",
        {
            "title": "Monthly",
            "frequency": "monthly",
            "due_days": 30,
            "reminder_offsets": [0],
            "partner_ids": [world.ngo_a.pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    reports = reporter.get(f"{base}/reports?state=due").json()
    assert reports["count"] == 1 and reports["items"][0]["period"] == "2025-03"
    report = reports["items"][0]
    stale = reporter.patch(
        f"{base}/reports/{report['id']}",
        json.dumps({"achievements": "x"}),
        content_type="application/json",
    )
    assert stale.status_code == 428
    got = reporter.get(f"{base}/reports/{report['id']}")
    patched = reporter.patch(
        f"{base}/reports/{report['id']}",
        json.dumps({"achievements": "Served 900 meals.", "challenges": "Fridge broke."}),
        content_type="application/json",
        headers={"If-Match": got["ETag"]},
    )
    assert patched.status_code == 200 and patched.json()["achievements"] == "Served 900 meals."
    assert reporter.post(f"{base}/reports/{report['id']}/submit").json()["status"] == "submitted"
    returned = coordinator.post(
        f"{base}/reports/{report['id']}/return",
        json.dumps({"comment": ""}),
        content_type="application/json",
    )
    assert returned.status_code == 409 and returned.json()["code"] == "comment_required"
    refused = reporter.post(
        f"{base}/reports/{report['id']}/accept", "{}", content_type="application/json"
    )
    assert refused.status_code == 403
    accepted = coordinator.post(
        f"{base}/reports/{report['id']}/accept", "{}", content_type="application/json"
    )
    assert accepted.json()["state"] == "accepted"
    other = _client(world.other_coordinator).get(f"{base}/reports/{report['id']}")
    assert other.status_code == 404


def test_attaching_saves_the_typed_text_first_and_a_refused_file_keeps_it(world):
    report = report_of(world, make_schedule(world), "2025-Q1")
    reporter = _client(world.reporter)
    typed = {
        "version": report.version,
        "achievements": "Opened 12 beds in the night shelter.",
        "challenges": "",
        "lessons": "",
        "next_steps": "",
        "support_needed": "",
    }
    refused = reporter.post(
        _url("report_attach", world.a.pk, report.pk),
        {**typed, "evidence_file": SimpleUploadedFile("evil.html", b"<script>")},
    )
    assert refused.status_code == 400
    assert "Opened 12 beds in the night shelter." in refused.text  # still in the form
    report.refresh_from_db()
    assert report.achievements == "Opened 12 beds in the night shelter."  # and saved
    again = reporter.post(
        _url("report_attach", world.a.pk, report.pk),
        {
            **typed,
            "version": report.version,
            "achievements": "Opened 14 beds.",
            "evidence_file": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
        },
        follow=True,
    )
    assert "Attachment added and your text saved." in _text(again)
    report.refresh_from_db()
    assert report.achievements == "Opened 14 beds." and report.attachments.count() == 1
    assert 'form="report-form"' in again.text  # the Attach button sends the narrative along


def test_the_reporting_page_sums_up_filters_what_needs_my_review_and_folds_accepted(world):
    schedule = make_schedule(world)
    first = report_of(world, schedule, "2025-Q1")
    submit(world, first)
    coordinator = _client(world.coordinator)
    url = reverse("reporting:reports", args=[world.a.pk])
    page = coordinator.get(url).text
    summary = page.split('aria-label="Where the reports stand">')[1].split("</ul>")[0]
    assert "<strong>1</strong> waiting for review" in summary
    assert "<strong>0</strong> overdue" in summary
    needs = coordinator.get(url + "?review=1").text
    assert f"/reports/{first.pk}/" in needs
    # The reporter submitted it: it is not theirs to review (and reporters have no such filter).
    assert "Needs my review" not in _client(world.reporter).get(url).text

    reports.report_accept(actor=world.coordinator, seat=world.seat(world.coordinator), report=first)
    page = coordinator.get(url).text
    table, history = page.split('<details class="accepted-history">')
    assert f"/reports/{first.pk}/" not in table.split('id="reports-heading"')[1]
    assert "1 accepted report" in history and f"/reports/{first.pk}/" in history


@pytest.mark.parametrize(
    ("label", "filename"),
    [("invoice.pdf.exe", "invoice.txt"), ("report.html", "report.txt"), ("", "notes.txt")],
)
def test_a_download_takes_its_name_and_type_from_the_checked_file_not_the_label(
    world, label, filename
):
    report = report_of(world, make_schedule(world), "2025-Q1")
    reporter = _client(world.reporter)
    response = reporter.post(
        _url("report_attach", world.a.pk, report.pk),
        {
            "evidence_file": SimpleUploadedFile(
                "notes.txt", b"<script>alert(1)</script>", content_type="text/html"
            ),
            "name": label,
        },
    )
    assert response.status_code == 302
    attachment = report.attachments.get()
    download = _client(world.viewer).get(
        _url("report_attachment", world.a.pk, report.pk, attachment.pk)
    )
    assert download["Content-Type"].startswith("text/plain")  # not the label's, not the browser's
    assert download["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert download["X-Content-Type-Options"] == "nosniff"
