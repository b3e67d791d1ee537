"""The results pages: framework tree, indicator page, reporting and review through the pages,
exports, the portfolio, and errors shown on the fields they concern."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from commonground.partnerships.services import partnership_create
from commonground.results import progress
from commonground.results.models import (
    Indicator,
    Objective,
    PeriodTarget,
    Result,
    ResultStatus,
    TargetRevision,
)
from commonground.results.tests.factories import (
    make_dimension,
    make_indicator,
    make_objective,
    report,
)

pytestmark = pytest.mark.django_db

FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture(autouse=True)
def _mid_2025():
    """Status depends on today: these pages are looked at in mid-August 2025, when the results
    of 2025-Q1 and Q2 are recent and 2025-Q3 is the period under way."""
    with time_machine.travel(dt.datetime(2025, 8, 15, 9, tzinfo=dt.UTC), tick=True):
        yield


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    """The page's visible text, whitespace collapsed (tags stripped)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _field_errors(response, field_id: str) -> list[str]:
    """The messages listed under a field (the _field.html include ties them by id)."""
    html = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', html, re.S)
    assert match, f"no errors shown on {field_id}"
    items = re.findall(r"<li>(.*?)</li>", match[1])
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items]


@pytest.fixture
def framework(world):
    """Impact > outcome with two indicators: one on track with a breakdown, one off track."""
    impact = make_objective(world, level="impact", title="Nobody sleeps rough")
    outcome = make_objective(world, title="People housed quickly", parent=impact)
    sex = make_dimension(world)
    housed = make_indicator(world, outcome, title="People housed", dimension_ids=[sex.pk])
    beds = make_indicator(world, outcome, title="Beds opened", target_value=400)
    for period, value, female in (("2025-Q1", 10, 6), ("2025-Q2", 12, 5)):
        report(
            world,
            housed,
            period,
            value,
            breakdown={"sex=female": female, "sex=male": value - female},
        )
    report(world, beds, "2025-Q1", 1)
    return {"impact": impact, "outcome": outcome, "housed": housed, "beds": beds, "sex": sex}


# --- the framework page -----------------------------------------------------------------------


def test_framework_page_shows_the_tree_with_each_status_in_words(world, framework):
    response = _client(world.viewer).get(reverse("results:framework", args=[world.a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # impact > outcome as nested lists, with headings one level apart
    impact_at = html.index(f'id="objective-{framework["impact"].pk}"')
    outcome_at = html.index(f'id="objective-{framework["outcome"].pk}"')
    assert impact_at < html.index('class="framework-children"') < outcome_at
    assert re.search(r"<h3 [^>]*>.*Nobody sleeps rough", html)
    assert re.search(r"<h4 [^>]*>.*People housed quickly", html)
    text = _text(response)
    housed = Indicator.objects.get(title="People housed").progress
    beds = Indicator.objects.get(title="Beds opened").progress
    assert (housed.status, beds.status) == ("on_track", "off_track")
    assert "People housed 22 people · target 100 by 2027 On track" in text
    assert "Beds opened 1 people · target 400 by 2027 Off track" in text
    assert "overall:" in text
    assert 'class="cg-progress status-' in html  # progress bars, each also labelled in words
    assert 'aria-label="People housed: 22%, On track"' in html


def test_smart_check_lists_the_missing_pieces_for_editors_only(world):
    make_objective(world, title="Shelters open all winter")
    bare = make_objective(world, title="Measured badly")
    Indicator.objects.filter(
        pk=make_indicator(
            world,
            bare,
            title="Nights covered",
            baseline_value=None,
            target_value=None,
            target_date=None,
        ).pk
    ).update(responsible_partner=None)
    url = reverse("results:framework", args=[world.a.pk])
    text = _text(_client(world.editor).get(url))
    assert "SMART check" in text
    for missing in (
        "“Shelters open all winter” has no indicator.",
        "“Nights covered” has no baseline.",
        "“Nights covered” has no target.",
        "“Nights covered” has no target date.",
        "“Nights covered” has no responsible partner.",
    ):
        assert missing in text
    assert "SMART check" not in _text(_client(world.viewer).get(url))


# --- the indicator page -----------------------------------------------------------------------


def test_indicator_page_renders_the_chart_and_the_breakdown(world, framework):
    housed = framework["housed"]
    response = _client(world.viewer).get(reverse("results:indicator", args=[world.a.pk, housed.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') >= 3  # progress chart, breakdown chart, progress bar
    assert 'class="cg-chart' in html and "cg-chart-bars" in html
    text = _text(response)
    assert "Value to date 22 people" in text
    assert "sex: female 11 50%" in text and "sex: male 11 50%" in text
    assert "2025-Q2 — 12 22" in text  # period, no period target, approved value, value to date
    chart_csv = reverse("results:indicator_chart_csv", args=[world.a.pk, housed.pk])
    assert chart_csv in html
    assert reverse("results:indicator_breakdown_csv", args=[world.a.pk, housed.pk]) in html


def test_chart_and_breakdown_data_download_as_csv(world, framework):
    client = _client(world.viewer)
    housed = framework["housed"]
    chart = client.get(reverse("results:indicator_chart_csv", args=[world.a.pk, housed.pk]))
    assert chart["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(chart.content.decode())))
    assert rows[0] == ["period", "actual", "target", "expected"]
    by_period = {row[0]: row for row in rows[1:]}
    assert by_period["2025-Q1"][1] == "10" and by_period["2025-Q2"][1] == "22"
    breakdown = client.get(reverse("results:indicator_breakdown_csv", args=[world.a.pk, housed.pk]))
    assert list(csv.reader(io.StringIO(breakdown.content.decode()))) == [
        ["sex", "approved total"],
        ["female", "11"],
        ["male", "11"],
    ]


def test_indicator_of_another_partnership_is_not_found(world, framework):
    url = reverse("results:indicator", args=[world.b.pk, framework["housed"].pk])
    assert _client(world.other_coordinator).get(url).status_code == 404


# --- reporting and review through the pages ---------------------------------------------------


def test_report_page_labels_every_breakdown_combination(world, framework):
    url = reverse("results:report", args=[world.a.pk, framework["housed"].pk])
    html = _client(world.reporter).get(url).content.decode()
    assert 'enctype="multipart/form-data"' in html
    labels = re.findall(r'<label for="id_breakdown_\d+">(.*?)</label>', html)
    assert labels == ["sex: female", "sex: male"]
    assert "<legend>Breakdown</legend>" in html
    assert '<option value="2025-Q3"' in html and '<option value="2024-Q4"' not in html


def test_report_page_lays_two_dimensions_out_as_a_labelled_grid(world, framework):
    age = make_dimension(world, "age", ("15-24", "25-64"))
    both = make_indicator(
        world, framework["outcome"], title="Jobs", dimension_ids=[age.pk, framework["sex"].pk]
    )
    html = (
        _client(world.reporter)
        .get(reverse("results:report", args=[world.a.pk, both.pk]))
        .content.decode()
    )
    assert re.findall(r'<th scope="col">(.*?)</th>', html) == ["sex: female", "sex: male"]
    assert re.findall(r'<th scope="row">(.*?)</th>', html) == ["age: 15-24", "age: 25-64"]
    hidden = re.findall(
        r'<label class="visually-hidden" for="id_breakdown_\d+">(.*?)</label>', html
    )
    assert hidden[0] == "age: 15-24, sex: female" and len(hidden) == 4
    assert '<option value="2025-Q2" selected>' in html  # the last period that has ended


def test_report_page_shows_the_services_refusals_on_their_fields(world, framework):
    response = _client(world.reporter).post(
        reverse("results:report", args=[world.a.pk, framework["housed"].pk]),
        {
            "period": "2025-Q3",
            "value": "20",
            "breakdown_0": "7",
            "breakdown_1": "8",
            "evidence_file": SimpleUploadedFile("tool.exe", b"MZ"),
            "action": "submit",
        },
    )
    assert response.status_code == 200
    assert _field_errors(response, "id_value") == [
        "The total 20 does not equal the sum of the breakdown (15)."
    ]
    assert _field_errors(response, "id_evidence_file")[0].startswith("Attach a PDF")
    assert not Result.objects.filter(period_start="2025-07-01").exists()


def test_reporter_reports_and_submits_then_a_reviewer_approves_and_progress_moves(world, framework):
    housed = framework["housed"]
    reporter = _client(world.reporter)
    response = reporter.post(
        reverse("results:report", args=[world.a.pk, housed.pk]),
        {
            "period": "2025-Q3",
            "value": "",
            "breakdown_0": "7",
            "breakdown_1": "8",
            "note": "From the case list.",
            "evidence_file": SimpleUploadedFile("list.csv", b"name,moved\n"),
            "action": "save",
        },
    )
    result = Result.objects.get(indicator=housed, period_start="2025-07-01")
    assert response.status_code == 302
    assert response["Location"] == reverse("results:result", args=[world.a.pk, result.pk])
    assert (result.status, result.value, result.partner) == ("draft", 15, world.ngo_a)
    assert dict(result.breakdown.values_list("key", "value")) == {"sex=female": 7, "sex=male": 8}
    assert result.evidence_file.name.endswith(".csv")

    page = reporter.get(response["Location"])
    assert "Submit for review" in _text(page)
    reporter.post(reverse("results:result_submit", args=[world.a.pk, result.pk]))
    result.refresh_from_db()
    assert result.status == ResultStatus.SUBMITTED

    reviewer = _client(world.coordinator)
    assert "People housed: 2025-Q3" in _text(
        reviewer.get(reverse("results:review", args=[world.a.pk]))
    )
    approved = reviewer.post(
        reverse("results:result_approve", args=[world.a.pk, result.pk]),
        {"approve-comment": "Thanks."},
        follow=True,
    )
    result.refresh_from_db()
    assert result.status == ResultStatus.APPROVED
    assert "Approved." in _text(approved)
    indicator_page = _text(reviewer.get(reverse("results:indicator", args=[world.a.pk, housed.pk])))
    assert "Value to date 37 people" in indicator_page
    evidence = reviewer.get(reverse("results:result_evidence", args=[world.a.pk, result.pk]))
    assert evidence["Content-Disposition"].startswith("attachment")


def test_returned_result_shows_the_reviewers_comment_to_the_reporter(world, framework):
    result = report(world, framework["beds"], "2025-Q2", 5, status=ResultStatus.SUBMITTED)
    _client(world.editor).post(
        reverse("results:result_return", args=[world.a.pk, result.pk]),
        {"return-comment": "Count only the beds open every night."},
    )
    result.refresh_from_db()
    assert result.status == ResultStatus.RETURNED
    reporter = _client(world.reporter)
    for url in (
        reverse("results:result", args=[world.a.pk, result.pk]),
        reverse("results:result_edit", args=[world.a.pk, result.pk]),
    ):
        html = reporter.get(url).content.decode()
        assert re.search(
            r'class="alert alert-warn returned-comment".*Count only the beds open every night\.',
            html,
            re.S,
        ), url
    # the edit form comes pre-filled
    assert (
        'name="value" value="5"'
        in reporter.get(
            reverse("results:result_edit", args=[world.a.pk, result.pk])
        ).content.decode()
    )


def test_returning_without_a_comment_shows_the_error_on_the_comment(world, framework):
    result = report(world, framework["beds"], "2025-Q2", 5, status=ResultStatus.SUBMITTED)
    response = _client(world.editor).post(
        reverse("results:result_return", args=[world.a.pk, result.pk]), {"return-comment": " "}
    )
    assert response.status_code == 200
    assert _field_errors(response, "id_return-comment") == ["Say what needs to change."]
    result.refresh_from_db()
    assert result.status == ResultStatus.SUBMITTED


def test_the_editor_cannot_approve_their_own_submission(world, framework):
    result = report(
        world,
        framework["beds"],
        "2025-Q2",
        3,
        reporter=world.editor,
        status=ResultStatus.SUBMITTED,
    )
    client = _client(world.editor)
    page = client.get(reverse("results:result", args=[world.a.pk, result.pk]))
    assert "another reviewer approves or returns it" in _text(page)
    response = client.post(
        reverse("results:result_approve", args=[world.a.pk, result.pk]), follow=True
    )
    assert "Nobody approves their own submission: ask another reviewer." in _text(response)
    result.refresh_from_db()
    assert result.status == ResultStatus.SUBMITTED


def test_reopening_an_approved_result_needs_a_reason(world, framework):
    result = Result.objects.filter(indicator=framework["beds"]).get()
    url = reverse("results:result_reopen", args=[world.a.pk, result.pk])
    client = _client(world.coordinator)
    refused = client.post(url, {"reopen-reason": ""})
    assert _field_errors(refused, "id_reopen-reason") == [
        "Say why the approved result must change."
    ]
    result.refresh_from_db()
    assert result.status == ResultStatus.APPROVED
    client.post(url, {"reopen-reason": "The count included closed beds."})
    result.refresh_from_db()
    assert result.status == ResultStatus.RETURNED
    history = _text(client.get(reverse("results:result", args=[world.a.pk, result.pk])))
    assert "reopened it: “The count included closed beds.”" in history


def test_a_post_to_the_result_page_never_reviews(world, framework):
    result = report(world, framework["beds"], "2025-Q2", 5, status=ResultStatus.SUBMITTED)
    viewer = _client(world.viewer)
    page = reverse("results:result", args=[world.a.pk, result.pk])
    assert viewer.post(page, {"approve-comment": "x"}).status_code == 405
    approve = reverse("results:result_approve", args=[world.a.pk, result.pk])
    assert viewer.post(approve).status_code == 403
    assert _client(world.reporter).post(approve).status_code == 403
    result.refresh_from_db()
    assert result.status == ResultStatus.SUBMITTED


def test_anyone_with_access_comments_and_sees_the_history(world, framework):
    result = Result.objects.filter(indicator=framework["beds"]).get()
    viewer = _client(world.viewer)
    viewer.post(
        reverse("results:result_comment", args=[world.a.pk, result.pk]),
        {"comment-body": "Which shelters are included?"},
    )
    text = _text(viewer.get(reverse("results:result", args=[world.a.pk, result.pk])))
    assert "Which shelters are included?" in text
    assert "submitted it for review" in text and "approved it" in text


def test_reporter_cannot_edit_a_submitted_result(world, framework):
    result = report(world, framework["beds"], "2025-Q2", 5, status=ResultStatus.SUBMITTED)
    response = _client(world.reporter).get(
        reverse("results:result_edit", args=[world.a.pk, result.pk]), follow=True
    )
    assert "This result is submitted: it cannot be changed now." in _text(response)


# --- targets ----------------------------------------------------------------------------------


def test_a_page_post_with_invalid_input_shows_the_error_on_the_named_field(world, framework):
    beds = framework["beds"]
    client = _client(world.coordinator)
    response = client.post(
        reverse("results:target_revise", args=[world.a.pk, beds.pk]),
        {"target_value": "300", "reason": "other", "reason_text": "", "version": beds.version},
    )
    assert response.status_code == 200
    assert _field_errors(response, "id_reason_text") == ["Say why the target changes."]
    assert not TargetRevision.objects.exists()
    # a rule of the service, shown on its field of the indicator form
    response = client.post(
        reverse("results:indicator_create", args=[world.a.pk, framework["outcome"].pk]),
        {
            "title": "Share housed",
            "measure": "2",
            "direction": "increase",
            "aggregation": "latest",
            "frequency": "quarterly",
            "baseline_value": "150",
            "weight": "1",
        },
    )
    assert _field_errors(response, "id_baseline_value") == ["A percentage lies between 0 and 100."]


def test_revising_the_target_keeps_the_history_on_the_indicator_page(world, framework):
    beds = framework["beds"]
    client = _client(world.coordinator)
    edit = client.get(reverse("results:indicator_edit", args=[world.a.pk, beds.pk]))
    assert 'name="target_value"' not in edit.content.decode()  # read-only once set
    assert "Revise target" in _text(edit)
    client.post(
        reverse("results:target_revise", args=[world.a.pk, beds.pk]),
        {"target_value": "300", "reason": "budget_change", "version": beds.version},
    )
    client.post(
        reverse("results:period_target_set", args=[world.a.pk, beds.pk]),
        {"pt-period": "2025-Q4", "pt-value": "40"},
    )
    changed = client.post(
        reverse("results:period_target_set", args=[world.a.pk, beds.pk]),
        {"pt-period": "2025-Q4", "pt-value": "30"},
    )
    assert _field_errors(changed, "id_pt-reason")  # changing a period target needs a reason
    client.post(
        reverse("results:period_target_set", args=[world.a.pk, beds.pk]),
        {"pt-period": "2025-Q4", "pt-value": "30", "pt-reason": "implementation_delay"},
    )
    assert PeriodTarget.objects.get(indicator=beds).value == 30
    text = _text(client.get(reverse("results:indicator", args=[world.a.pk, beds.pk])))
    assert "End target: 400 by 31 December 2027 → 300 by 31 December 2027" in text
    assert "Budget change" in text
    assert "Target for 2025-Q4: 40 → 30" in text


# --- building the framework through the pages -------------------------------------------------


def test_objective_form_saves_partners_and_sdg_targets(world, framework):
    client = _client(world.editor)
    response = client.post(
        reverse("results:objective_create", args=[world.a.pk]),
        {
            "level": "output",
            "parent_id": framework["outcome"].pk,
            "title": "Night shelter beds",
            "responsible_partner_ids": [world.ngo_a.pk],
            "sdg_targets": ["11.1", "1.4"],
            "weight": "1",
        },
    )
    objective = Objective.objects.get(title="Night shelter beds")
    assert response.status_code == 302
    assert objective.sdg_targets == ["1.4", "11.1"]
    assert list(objective.responsible_partners.all()) == [world.ngo_a]
    edit = client.get(reverse("results:objective_edit", args=[world.a.pk, objective.pk]))
    assert re.search(r'value="11.1" id="sdg-target-11.1" checked', edit.content.decode())


def test_sdg_target_search_keeps_the_chosen_targets(world):
    response = _client(world.viewer).get(
        reverse("results:sdg_targets", args=[world.a.pk]),
        {"q": "slum", "sdg_targets": ["1.4"]},
    )
    codes = re.findall(r'name="sdg_targets" value="([^"]+)"', response.content.decode())
    assert "11.1" in codes and "1.4" in codes and "3.1" not in codes
    assert re.search(r'value="1.4" id="sdg-target-1.4" checked', response.content.decode())


def test_library_copies_only_from_partnerships_the_person_can_see(world, framework):
    theirs = make_indicator(
        world,
        make_objective(world, partnership=world.b, actor=world.other_coordinator),
        actor=world.other_coordinator,
        title="Dunes replanted",
    )
    url = reverse("results:indicator_library", args=[world.a.pk, framework["outcome"].pk])
    client = _client(world.coordinator)
    listing = _text(client.get(url, {"q": "housed"}))
    assert "People housed" in listing and "Dunes replanted" not in listing
    refused = client.post(url, {"source": theirs.pk}, follow=True)
    assert "Choose an indicator from the list to copy." in _text(refused)
    client.post(url, {"source": framework["housed"].pk})
    client.post(url, {"sdg": "11.1.1"})
    newest = Indicator.objects.filter(objective=framework["outcome"]).latest("pk")
    assert newest.sdg_indicator == "11.1.1"
    assert Indicator.objects.filter(title="People housed").count() == 2


# --- exports ----------------------------------------------------------------------------------


def test_indicator_table_exports_as_csv_and_xlsx_with_formulas_escaped(world, framework):
    Indicator.objects.filter(pk=framework["beds"].pk).update(title=FORMULA, unit="@beds")
    client = _client(world.viewer)
    response = client.get(reverse("results:indicators_csv", args=[world.a.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "objective",
        "level",
        "indicator",
        "unit",
        "baseline",
        "baseline date",
        "target",
        "target date",
        "value to date",
        "percent of target",
        "status",
    ]
    assert rows[1] == [
        "People housed quickly",
        "Outcome",
        "People housed",
        "people",
        "0",
        "2025-01-01",
        "100",
        "2027-12-31",
        "22",
        "22",
        "On track",
    ]
    assert rows[2][2:4] == ["'" + FORMULA, "'@beds"]

    response = client.get(reverse("results:indicators_xlsx", args=[world.a.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][2] == "People housed" and values[1][8] == 22
    beds = sheet.cell(row=3, column=3)
    assert (beds.value, beds.data_type) == ("'" + FORMULA, "s")
    assert values[2][3] == "'@beds"


# --- the portfolio ----------------------------------------------------------------------------


@pytest.fixture
def portfolio(world, framework):
    """The coordinator of A also coordinates C (another sector and goal, no indicators)."""
    return partnership_create(
        actor=world.coordinator,
        data={
            "title": "Coastal Jobs",
            "purpose": "Jobs.",
            "start_date": "2025-01-01",
            "sectors": ["250"],
            "sdg_goals": [8],
        },
        lead_organisation=world.city,
    )


def _portfolio_titles(client: Client, **filters: str) -> list[str]:
    response = client.get(reverse("results:portfolio"), filters)
    assert response.status_code == 200
    return [row.title for row in response.context["page"].object_list]


def test_portfolio_lists_what_the_person_can_see_with_status(world, portfolio):
    client = _client(world.coordinator)
    assert _portfolio_titles(client) == ["Coastal Jobs", "Homelessness Response"]
    text = _text(client.get(reverse("results:portfolio")))
    assert "2 indicators" in text
    assert _portfolio_titles(_client(world.outsider)) == []


def test_portfolio_filters_by_status_sector_and_goal(world, portfolio):
    client = _client(world.coordinator)
    status = world.a.progress.status
    assert _portfolio_titles(client, status=status) == ["Homelessness Response"]
    assert _portfolio_titles(client, status="none") == ["Coastal Jobs"]
    assert _portfolio_titles(client, sector="160") == ["Homelessness Response"]
    assert _portfolio_titles(client, sector="250") == ["Coastal Jobs"]
    assert _portfolio_titles(client, goal="8") == ["Coastal Jobs"]
    assert _portfolio_titles(client, goal="1") == ["Homelessness Response"]
    assert _portfolio_titles(client, goal="11", sector="250") == []
    html = client.get(reverse("results:portfolio")).content.decode()
    for name in ("status", "sector", "goal"):
        assert f'<label for="id_{name}">' in html


def test_portfolio_reads_a_fixed_number_of_queries(world, portfolio, django_assert_num_queries):
    client = _client(world.coordinator)
    client.get(reverse("results:portfolio"))  # warm the session and the header's work counts
    # Session, user, the totals by status (GROUP BY), the page's rows (LIMIT), the header's
    # newest ledger event (its work counts are cached under it).
    with django_assert_num_queries(5) as captured:
        client.get(reverse("results:portfolio"))
    queries = len(captured.captured_queries)
    for n in range(5):
        partnership_create(
            actor=world.coordinator,
            data={"title": f"More {n}", "purpose": "x", "start_date": "2025-01-01"},
            lead_organisation=world.city,
        )
    client.get(reverse("results:portfolio"))  # the header recounts after those writes
    with django_assert_num_queries(queries):
        client.get(reverse("results:portfolio"))


def test_portfolio_pages_in_the_database_and_counts_every_status(world, portfolio, monkeypatch):
    import importlib

    monkeypatch.setattr(
        importlib.import_module("commonground.results.views.portfolio"), "PORTFOLIO_PAGE_SIZE", 2
    )
    for title in ("Able Streets", "Zebra Crossings", "Market Halls"):
        partnership_create(
            actor=world.coordinator,
            data={"title": title, "purpose": "x", "start_date": "2025-01-01", "sdg_goals": [11]},
            lead_organisation=world.city,
        )
    client = _client(world.coordinator)
    assert _portfolio_titles(client) == ["Able Streets", "Coastal Jobs"]
    assert _portfolio_titles(client, page="2") == ["Homelessness Response", "Market Halls"]
    assert _portfolio_titles(client, page="3") == ["Zebra Crossings"]
    assert _portfolio_titles(client, page="99") == ["Zebra Crossings"]  # the last page
    response = client.get(reverse("results:portfolio"), {"page": "2"})
    assert response.context["total"] == 5
    status = world.a.progress.status
    # The totals count every partnership that matches, not only the page shown.
    assert dict(response.context["totals"]) == {
        status: f"{progress.STATUS_LABELS[progress.Status(status)]}: 1",
        "none": "Not assessed: 4",
    }
    assert "Page 2 of 3" in _text(response)
    # Filters and paging together: goal 1 is not goal 11; the totals follow the filter.
    filtered = client.get(reverse("results:portfolio"), {"goal": "11", "page": "2"})
    assert [r.title for r in filtered.context["page"].object_list] == [
        "Market Halls",
        "Zebra Crossings",
    ]
    assert filtered.context["total"] == 4
    assert _portfolio_titles(client, goal="1") == ["Homelessness Response"]
    assert _portfolio_titles(client, status="none", page="2") == ["Market Halls", "Zebra Crossings"]
    assert dict(client.get(reverse("results:portfolio"), {"status": "none"}).context["totals"]) == {
        "none": "Not assessed: 4"
    }


def test_portfolio_filter_fields_show_the_chosen_filters_and_the_errors(world, portfolio):
    """Valid filter fields are rendered once per process and reused: each choice must still
    show as chosen, and a wrong value must show its error (never from the cache)."""
    client = _client(world.coordinator)
    url = reverse("results:portfolio")
    for sector in ("160", "250", "160"):
        html = client.get(url, {"sector": sector}).content.decode()
        assert re.search(rf'<option value="{sector}" lang="en" selected>', html)
        assert len(re.findall(r"<option [^>]*selected>", html)) == 3  # one per field
    html = client.get(url, {"goal": "99"}).content.decode()
    assert 'id="id_goal_error"' in html
    assert 'id="id_goal_error"' not in client.get(url, {"goal": "8"}).content.decode()


def test_the_expected_value_is_written_to_the_indicators_precision(world):
    import time_machine

    counted = make_indicator(world, make_objective(world))  # 0 to 100 people, whole numbers
    measured = make_indicator(
        world, make_objective(world), title="Share housed", baseline_value="2.5", target_value="7.5"
    )
    client = _client(world.coordinator)
    with time_machine.travel(dt.datetime(2025, 5, 10, 9, tzinfo=dt.UTC), tick=False):
        people = client.get(reverse("results:indicator", args=[world.a.pk, counted.pk])).text
        share = client.get(reverse("results:indicator", args=[world.a.pk, measured.pk])).text
    expected = people.split("Expected by today")[1].split("</dd>")[0]
    # 129 of 1,095 days from 0 to 100: 11.78 people, shown as a whole number.
    assert "<dd>12 people" in expected
    assert "<dd>3.1 " in share.split("Expected by today")[1].split("</dd>")[0]  # 3.089 → 1 place
