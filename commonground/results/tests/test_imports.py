"""Importing results from CSV or XLSX: the template, the dry run's problems by row and column,
all-or-nothing writes, idempotent re-imports, and uploads that are refused."""

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from openpyxl import Workbook, load_workbook

from commonground.core.errors import Conflict
from commonground.core.models import AuditEvent
from commonground.results import imports
from commonground.results.imports import files as import_files
from commonground.results.imports import write
from commonground.results.models import Indicator, Result, ResultBreakdown, ResultStatus
from commonground.results.tests.factories import (
    make_dimension,
    make_indicator,
    make_objective,
    records,
    report,
)
from conftest import World

pytestmark = pytest.mark.django_db

HEADER = "indicator_id,indicator,period,partner,value,text_value,sex,note"
JULY_2025 = dt.date(2025, 7, 15)


@dataclass
class Framework:
    world: World
    beds: Indicator  # quarterly count, broken down by sex (female, male)
    rate: Indicator  # quarterly percentage
    story: Indicator  # annual qualitative


@pytest.fixture
def fw(world: World) -> Framework:
    sex = make_dimension(world, "sex", ("female", "male"))
    objective = make_objective(world)
    beds = make_indicator(world, objective, title="Beds opened", dimension_ids=[sex.pk])
    rate = make_indicator(
        world, objective, title="Occupancy rate", measure="2", aggregation="latest"
    )
    story = make_indicator(
        world,
        objective,
        title="What changed",
        measure="5",
        aggregation="latest",
        frequency="annual",
        baseline_value=None,
        target_value=None,
    )
    return Framework(world, beds, rate, story)


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode()


def plan_for(fw: Framework, data: bytes, user=None, name: str = "results.csv"):
    user = user or fw.world.reporter
    rows = imports.parse(data, name=name)
    return imports.dry_run(actor=user, seat=fw.world.seat(user), partnership=fw.world.a, rows=rows)


def apply_file(fw: Framework, data: bytes, user=None, name: str = "results.csv", **kwargs):
    user = user or fw.world.reporter
    rows = imports.parse(data, name=name)
    return imports.apply(
        actor=user, seat=fw.world.seat(user), partnership=fw.world.a, rows=rows, **kwargs
    )


def messages(plan) -> list[str]:
    return [str(problem) for problem in plan.problems]


def good_file(fw: Framework) -> bytes:
    b, r, s = fw.beds.pk, fw.rate.pk, fw.story.pk
    return csv_bytes(
        f"{b},Beds opened,2025-Q1,,12,,,first quarter",
        f"{b},Beds opened,2025-Q1,,7,,female,",
        f"{b},Beds opened,2025-Q1,,5,,male,",
        f"{b},Beds opened,2025-Q2,,9,,,",
        f"{r},Occupancy rate,2025-Q1,,87.5,,,",
        f"{s},What changed,2025,,,The shelter opened its doors.,,",
    )


# --- importing ---------------------------------------------------------------------------------


def test_csv_import_creates_draft_results_with_breakdown_and_one_audit_event(fw):
    with records("results.import") as events:
        report_ = apply_file(fw, good_file(fw))
    assert (report_.created, report_.updated, report_.unchanged) == (4, 0, 0)
    q1 = Result.objects.get(indicator=fw.beds, period_start=dt.date(2025, 1, 1))
    assert q1.status == ResultStatus.DRAFT
    assert q1.partner == fw.world.ngo_a and q1.created_by == fw.world.reporter
    assert q1.value == 12 and q1.note == "first quarter"
    assert dict(q1.breakdown.values_list("key", "value")) == {"sex=female": 7, "sex=male": 5}
    assert Result.objects.get(indicator=fw.story).text_value == "The shelter opened its doors."
    assert Result.objects.get(indicator=fw.rate).value == Decimal("87.5")
    event = events[0]
    assert event.partnership_id == fw.world.a.pk and event.actor_id == fw.world.reporter.pk
    assert event.changes["file_name"] == [None, "results.csv"]
    assert (event.changes["created"], event.changes["updated"]) == ([None, 4], [None, 0])
    assert event.changes["rows"] == [None, 6]


def test_breakdown_rows_without_a_total_make_the_total_of_a_count(fw):
    b = fw.beds.pk
    apply_file(fw, csv_bytes(f"{b},,2025-Q3,,4,,female,", f"{b},,2025-Q3,,6,,male,"))
    assert Result.objects.get(indicator=fw.beds).value == 10


def test_importing_the_same_file_twice_changes_nothing_the_second_time(fw):
    apply_file(fw, good_file(fw))
    before = list(Result.objects.values_list("pk", "version", "value", "note"))
    with records():  # no audit event when nothing changed
        again = apply_file(fw, good_file(fw))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert str(again) == "0 created, 0 updated, 4 unchanged"
    assert again.event_id is None
    assert list(Result.objects.values_list("pk", "version", "value", "note")) == before


def test_more_decimals_than_stored_still_reimport_as_unchanged(fw):
    data = csv_bytes(f"{fw.rate.pk},,2025-Q1,,33.33333,,,")
    apply_file(fw, data)
    assert apply_file(fw, data).unchanged == 1


def test_changed_values_update_the_draft_and_replace_its_breakdown(fw):
    apply_file(fw, good_file(fw))
    b = fw.beds.pk
    q1 = Result.objects.get(indicator=fw.beds, period_start=dt.date(2025, 1, 1))
    with records("results.import") as events:
        done = apply_file(
            fw, csv_bytes(f"{b},,2025-Q1,,8,,female,", f"{b},,2025-Q1,,6,,male,"), name="fix.csv"
        )
    assert (done.created, done.updated) == (0, 1)
    q1.refresh_from_db()
    assert q1.value == 14 and q1.version == 2
    assert q1.note == "first quarter"  # an empty note keeps the note already there
    assert dict(q1.breakdown.values_list("key", "value")) == {"sex=female": 8, "sex=male": 6}
    assert events[0].changes["file_name"] == [None, "fix.csv"]


def test_a_returned_result_is_updated_and_stays_returned(fw):
    result = report(fw.world, fw.rate, "2025-Q1", 50, status=ResultStatus.RETURNED)
    done = apply_file(fw, csv_bytes(f"{fw.rate.pk},,2025-Q1,,55,,,"))
    result.refresh_from_db()
    assert done.updated == 1 and result.value == 55 and result.status == ResultStatus.RETURNED


def test_a_submitted_result_with_the_same_value_is_unchanged_not_refused(fw):
    report(fw.world, fw.rate, "2025-Q1", 50, status=ResultStatus.SUBMITTED)
    plan = plan_for(fw, csv_bytes(f"{fw.rate.pk},,2025-Q1,,50,,,"))
    assert plan.ok and plan.unchanged == 1


def test_xlsx_import_reads_numbers_and_dates_spreadsheets_made_of_periods(fw):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append([fw.beds.pk, "Beds opened", "2025-Q1", None, 3, None, "female", None])
    sheet.append([float(fw.beds.pk), "Beds opened", "2025-Q1", None, 4.5, None, "male", None])
    sheet.append([fw.story.pk, None, 2025, None, None, "Doors open", None, "from the board"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    done = apply_file(fw, buffer.getvalue(), name="results.xlsx")
    assert done.created == 2
    assert Result.objects.get(indicator=fw.beds).value == Decimal("7.5")
    story = Result.objects.get(indicator=fw.story)
    assert (story.text_value, story.note, story.period_start) == (
        "Doors open",
        "from the board",
        dt.date(2025, 1, 1),
    )


def test_semicolon_csv_with_byte_order_mark_and_decimal_commas(fw):
    header = HEADER.replace(",", ";")
    body = csv_bytes(f"{fw.rate.pk};Occupancy rate;2025-Q1;;87,5;;;", header=header)
    done = apply_file(fw, b"\xef\xbb\xbf" + body)
    assert done.created == 1
    assert Result.objects.get(indicator=fw.rate).value == Decimal("87.5")


def test_blank_template_rows_are_ignored(fw):
    plan = plan_for(fw, csv_bytes(f"{fw.beds.pk},,2025-Q1,,,,,", f"{fw.rate.pk},,2025-Q1,,,,,"))
    assert plan.ok and plan.results == [] and plan.blank_rows == 2


def test_dry_run_says_what_would_happen_and_writes_nothing(fw):
    with records():
        plan = plan_for(fw, good_file(fw))
    assert plan.ok and (plan.created, plan.updated, plan.unchanged) == (4, 0, 0)
    assert plan.summary() == "4 created, 0 updated, 0 unchanged"
    assert Result.objects.count() == 0


def test_the_check_reads_a_handful_of_queries_however_many_rows(fw, django_assert_num_queries):
    b, r = fw.beds.pk, fw.rate.pk
    quarters = [f"{y}-Q{q}" for y in (2025, 2026, 2027) for q in (1, 2, 3, 4)]
    lines = [f"{b},,{q},,{n},,{sex}," for q in quarters for n, sex in ((1, "female"), (2, "male"))]
    lines += [f"{r},,{q},,50,,," for q in quarters]
    apply_file(fw, csv_bytes(*lines[:6]))  # some results exist already
    seat = fw.world.seat(fw.world.reporter)
    rows = imports.parse(csv_bytes(*lines))
    with django_assert_num_queries(6):  # indicators, dimensions, links, partners, results, cells
        plan = imports.dry_run(
            actor=fw.world.reporter, seat=seat, partnership=fw.world.a, rows=rows
        )
    assert plan.ok and (plan.created, plan.unchanged) == (21, 3)


def test_progress_is_reported_up_to_every_row(fw):
    calls: list[tuple[int, int]] = []
    apply_file(fw, good_file(fw), on_progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (6, 6)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


# --- every problem, by row and column -------------------------------------------------------


@pytest.mark.parametrize(
    "line,expected",
    [
        ("999999,,2025-Q1,,3,,,", "Row 2, column indicator_id: There is no indicator 999999"),
        ("abc,,2025-Q1,,3,,,", "Row 2, column indicator_id: “abc” is not an indicator id"),
        ("{beds},Bed nights,2025-Q1,,3,,,", "Row 2, column indicator: “Bed nights” is not the"),
        ("{beds},,2025-03,,3,,,", "Row 2, column period: “2025-03” is a monthly period"),
        ("{beds},,2024-Q4,,3,,,", "Row 2, column period: 2024-Q4 is outside the partnership"),
        ("{beds},,,,3,,,", "Row 2, column period: Give the period"),
        ("{beds},,2025-Q1,,many,,,", "Row 2, column value: “many” is not a number."),
        ("{beds},,2025-Q1,,3,lots,,", "Row 2, column text_value: This indicator takes a number"),
        ("{rate},,2025-Q1,,120,,,", "Row 2, column value: 120 is not a percentage"),
        ("{beds},,2025-Q1,,3,,other,", "Row 2, column sex: “other” is not an allowed sex"),
        ("{rate},,2025-Q1,,3,,female,", "Row 2, column sex: Indicator {rate} is not broken down"),
        ("{story},,2025,,3,,,", "Row 2, column value: This indicator is qualitative"),
        ("{beds},,2025-Q1,Nobody Inc,3,,,", "Row 2, column partner: “Nobody Inc” is not a partner"),
    ],
)
def test_each_problem_names_its_row_and_column(fw, line, expected):
    ids = {"beds": fw.beds.pk, "rate": fw.rate.pk, "story": fw.story.pk}
    plan = plan_for(fw, csv_bytes(line.format(**ids)))
    assert not plan.ok
    assert any(m.startswith(expected.format(**ids)) for m in messages(plan)), messages(plan)


def test_indicator_of_another_partnership_is_unknown(fw):
    other = make_indicator(
        fw.world,
        make_objective(fw.world, partnership=fw.world.b, actor=fw.world.other_coordinator),
        actor=fw.world.other_coordinator,
    )
    plan = plan_for(fw, csv_bytes(f"{other.pk},People housed,2025-Q1,,3,,,"))
    assert messages(plan) == [
        f"Row 2, column indicator_id: There is no indicator {other.pk} in this partnership."
    ]


def test_duplicate_rows_are_named_with_the_row_they_repeat(fw):
    b = fw.beds.pk
    plan = plan_for(
        fw,
        csv_bytes(
            f"{b},,2025-Q1,,3,,female,", f"{b},,2025-Q1,,4,,male,", f"{b},,2025-Q1,,3,,female,"
        ),
    )
    assert messages(plan) == [
        "Row 4: Repeats row 2: the same indicator, period, partner and breakdown sex=female. "
        "Keep one of them."
    ]


def test_a_total_that_is_not_the_sum_of_its_breakdown_is_refused_on_the_total_row(fw):
    b = fw.beds.pk
    plan = plan_for(
        fw,
        csv_bytes(f"{b},,2025-Q1,,3,,female,", f"{b},,2025-Q1,,10,,,", f"{b},,2025-Q1,,4,,male,"),
    )
    assert messages(plan) == [
        "Row 3, column value: The total 10 does not equal the sum of the breakdown (7)."
    ]


def test_a_reporter_cannot_import_for_another_partner(fw):
    lead = fw.world.lead_a.organisation.name
    plan = plan_for(fw, csv_bytes(f"{fw.rate.pk},,2025-Q1,{lead},50,,,"))
    assert messages(plan) == [
        "Row 2, column partner: You report for your own organisation only. "
        f"You cannot report for {lead}."
    ]


def test_a_coordinator_imports_for_any_partner(fw):
    lead = fw.world.lead_a
    apply_file(
        fw,
        csv_bytes(f"{fw.rate.pk},,2025-Q1,{lead.organisation.name},50,,,"),
        user=fw.world.coordinator,
    )
    assert Result.objects.get().partner == lead


@pytest.mark.parametrize("status", [ResultStatus.SUBMITTED, ResultStatus.APPROVED])
def test_a_submitted_or_approved_result_is_locked(fw, status):
    report(fw.world, fw.rate, "2025-Q1", 50, status=status)
    plan = plan_for(fw, csv_bytes(f"{fw.rate.pk},,2025-Q1,,60,,,"))
    assert len(plan.problems) == 1
    problem = str(plan.problems[0])
    assert problem.startswith("Row 2, column period: The 2025-Q1 result of Shelter Network")
    assert f"is {status.label.lower()}" in problem


def test_an_unknown_dimension_column_with_values_is_named_on_the_header_row(fw):
    plan = plan_for(
        fw, csv_bytes(f"{fw.rate.pk},,2025-Q1,,5,,,,young", header=HEADER + ",age band")
    )
    assert [str(p) for p in plan.problems] == [
        "Row 1, column age band: There is no dimension “age band” in this partnership "
        "(dimensions: sex). Rename or remove the column."
    ]


def test_a_breakdown_row_must_fill_every_dimension_of_its_indicator(fw):
    age = make_dimension(fw.world, "age", ("young", "old"))
    both = make_indicator(
        fw.world, title="Meals", dimension_ids=[age.pk, fw.beds.dimensions.get().pk]
    )
    plan = plan_for(fw, csv_bytes(f"{both.pk},,2025-Q1,,5,,female,,", header=HEADER + ",age"))
    assert [str(p) for p in plan.problems] == [
        "Row 2, column age: Give the age too: a breakdown row fills every dimension of its "
        "indicator (age, sex); a total row leaves them all empty."
    ]


def test_a_breakdown_cell_of_a_percentage_over_100_is_named_on_its_own_row(fw):
    shares = make_indicator(
        fw.world,
        title="Share housed",
        measure="2",
        aggregation="latest",
        dimension_ids=[fw.beds.dimensions.get().pk],
    )
    s = shares.pk
    plan = plan_for(
        fw,
        csv_bytes(
            f"{s},,2025-Q1,,50,,,", f"{s},,2025-Q1,,20,,female,", f"{s},,2025-Q1,,150,,male,"
        ),
    )
    assert messages(plan) == [
        "Row 4, column value: 150 is not a percentage: it must lie between 0 and 100."
    ]


def test_every_problem_is_listed_not_just_the_first(fw):
    plan = plan_for(fw, csv_bytes("999999,,2025-Q1,,3,,,", f"{fw.rate.pk},,2025-Q1,,300,,,"))
    assert [p.row for p in plan.problems] == [2, 3]


def test_a_failing_row_writes_nothing(fw):
    data = good_file(fw) + f"{fw.rate.pk},,2025-Q2,,101,,,\r\n".encode()
    events = AuditEvent.objects.count()
    with pytest.raises(imports.ImportRefused) as refused:
        apply_file(fw, data)
    assert Result.objects.count() == 0 and ResultBreakdown.objects.count() == 0
    assert AuditEvent.objects.count() == events
    assert refused.value.fields["file"] == [
        "Row 8, column value: 101 is not a percentage: it must lie between 0 and 100."
    ]
    assert refused.value.message.startswith("Nothing was imported: 1 problem")


def meanwhile(monkeypatch, change):
    """Run `change` between the import's check and its writes, as another person might."""
    real = write.plan_import

    def plan_then_change(**kwargs):
        plan = real(**kwargs)
        change()
        return plan

    monkeypatch.setattr(write, "plan_import", plan_then_change)


def test_a_result_changed_during_the_import_fails_it_cleanly(fw, monkeypatch):
    result = report(fw.world, fw.rate, "2025-Q1", 50, status=ResultStatus.DRAFT)
    meanwhile(
        monkeypatch, lambda: Result.objects.filter(pk=result.pk).update(version=F("version") + 1)
    )
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict) as conflict:
        apply_file(fw, csv_bytes(f"{fw.rate.pk},,2025-Q1,,60,,,", f"{fw.rate.pk},,2025-Q2,,1,,,"))
    assert conflict.value.code == "import_conflict"
    assert Result.objects.get(pk=result.pk).value == 50
    assert Result.objects.count() == 1 and AuditEvent.objects.count() == events


def test_a_result_created_during_the_import_fails_it_cleanly(fw, monkeypatch):
    def create() -> None:
        report(fw.world, fw.rate, "2025-Q1", 50, status=ResultStatus.DRAFT)

    meanwhile(monkeypatch, create)
    with pytest.raises(Conflict):
        apply_file(fw, csv_bytes(f"{fw.rate.pk},,2025-Q1,,60,,,"))
    assert Result.objects.count() == 0  # the whole transaction, the other save included here


def test_a_viewer_cannot_import(fw):
    with pytest.raises(PermissionDenied):
        plan_for(fw, good_file(fw), user=fw.world.viewer)


# --- uploads that are refused ------------------------------------------------------------------


def refused(data: bytes | SimpleUploadedFile, name: str = "results.csv") -> str:
    with pytest.raises(imports.FileRefused) as error:
        imports.parse(data, name=name)
    assert error.value.fields == {"file": [error.value.message]}
    return error.value.message


def test_a_png_renamed_csv_is_refused_as_not_a_spreadsheet():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    assert "is not a CSV or XLSX file" in refused(png)


def test_text_that_is_not_utf8_is_refused_with_how_to_save_it():
    message = refused("indicator_id,period,value\r\n1,2025-Q1,caf\xe9\r\n".encode("latin-1"))
    assert message.startswith("The file is not a CSV or XLSX file: it is not UTF-8 text.")
    assert "CSV UTF-8" in message


def test_an_oversized_upload_is_refused_before_it_is_read():
    upload = SimpleUploadedFile("big.csv", b"x")
    upload.size = imports.MAX_BYTES + 1
    assert refused(upload) == "The file is larger than 20 MB: split it into several files."


def test_an_oversized_body_is_refused_even_if_its_size_is_not_known():
    assert "larger than 20 MB" in refused(b"a" * (imports.MAX_BYTES + 1))


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_ROWS", 3)
    data = csv_bytes(*["1,,2025-Q1,,1,,,"] * 4)
    assert refused(data) == "The file has more than 3 rows: split it into several files."


def test_a_file_without_the_required_columns_is_refused_naming_them():
    message = refused(b"indicator,value\r\nBeds,3\r\n")
    assert message.startswith("The file has no “period” column")


@pytest.mark.parametrize(
    "data,name,expected",
    [
        (b"%PDF-1.7 ...", "results.pdf", "“results.pdf” is not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old.xls", "is not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old.csv", "old Excel file (.xls)"),
        (b"indicator_id,period,value\r\n", "results.xlsx", "is named .xlsx but is not"),
        (b"PK\x03\x04 not really a zip", "results.xlsx", "damaged zip archive"),
        (b"", "results.csv", "The file is empty"),
    ],
)
def test_files_that_are_not_results_spreadsheets_are_refused(data, name, expected):
    assert expected in refused(data, name)


def test_a_zip_that_is_not_a_workbook_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "not an Excel workbook" in refused(buffer.getvalue(), "results.xlsx")


# --- the template --------------------------------------------------------------------------


def test_template_csv_round_trips_filled_in_and_imported(fw):
    text = imports.template_csv(fw.world.a, partner=fw.world.ngo_a, today=JULY_2025)
    assert text.startswith("# Results import template for Homelessness Response.")
    lines = text.splitlines()
    header = next(line for line in lines if not line.startswith(("#", '"#')))
    assert header == HEADER
    # Unfilled, it imports nothing.
    assert apply_file(fw, text.encode()).created == 0
    # Beds: Q1-Q3 (begun by July) x (total + female + male); rate Q1-Q3; story 2025.
    data_lines = lines[lines.index(header) + 1 :]
    assert len(data_lines) == 9 + 3 + 1
    filled = []
    for line in data_lines:
        cells = line.split(",")
        if cells[2] == "2025-Q1" and cells[0] == str(fw.beds.pk):
            cells[4] = {"": "", "female": "2", "male": "3"}[cells[6]]
        elif cells[0] == str(fw.rate.pk) and cells[2] == "2025-Q2":
            cells[4] = "40"
        elif cells[0] == str(fw.story.pk):
            cells[5] = "Opened"
        filled.append(",".join(cells))
    done = apply_file(fw, "\r\n".join([*lines[: lines.index(header) + 1], *filled]).encode())
    assert (done.created, done.updated) == (3, 0)
    assert Result.objects.get(indicator=fw.beds).value == 5
    assert all(r.partner == fw.world.ngo_a for r in Result.objects.all())


def test_template_prefills_drafts_and_leaves_out_submitted_periods(fw):
    report(fw.world, fw.rate, "2025-Q1", 50, status=ResultStatus.SUBMITTED)
    report(fw.world, fw.rate, "2025-Q2", 60, status=ResultStatus.DRAFT)
    text = imports.template_csv(fw.world.a, fw.rate, partner=fw.world.ngo_a, today=JULY_2025)
    rows = [line for line in text.splitlines() if line.startswith(str(fw.rate.pk))]
    assert rows == [
        f"{fw.rate.pk},Occupancy rate,2025-Q2,Shelter Network,60,,",
        f"{fw.rate.pk},Occupancy rate,2025-Q3,Shelter Network,,,",
    ]
    # Re-importing the template as downloaded changes nothing.
    plan = plan_for(fw, text.encode())
    assert plan.ok and (plan.created, plan.updated, plan.unchanged) == (0, 0, 1)


def test_template_xlsx_round_trips_with_a_help_sheet(fw):
    data = imports.template_xlsx(fw.world.a, fw.beds, partner=fw.world.ngo_a, today=JULY_2025)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Results", "How to fill it in"]
    help_text = " ".join(str(c.value) for c in workbook["How to fill it in"]["A"])
    assert "Dimension sex: female, male." in help_text
    sheet = workbook["Results"]
    assert [c.value for c in sheet[1]] == HEADER.split(",")
    for row in sheet.iter_rows(min_row=2):
        if row[2].value == "2025-Q2" and row[6].value:
            row[4].value = {"female": 4, "male": 1}[str(row[6].value)]
    buffer = io.BytesIO()
    workbook.save(buffer)
    done = apply_file(fw, buffer.getvalue(), name="template.xlsx")
    assert done.created == 1
    assert Result.objects.get().value == 5


def test_template_escapes_titles_that_look_like_formulas_and_imports_them_back(fw):
    risky = make_indicator(fw.world, title="=HYPERLINK(1)")
    text = imports.template_csv(fw.world.a, risky, partner=fw.world.ngo_a, today=JULY_2025)
    assert f"{risky.pk},'=HYPERLINK(1),2025-Q1" in text
    filled = text.replace(
        "'=HYPERLINK(1),2025-Q1,Shelter Network,", "'=HYPERLINK(1),2025-Q1,Shelter Network,7", 1
    )
    assert apply_file(fw, filled.encode()).created == 1
    # Text values are escaped the same way and read back unchanged.
    report(fw.world, fw.story, "2025", text_value="=1+1 housed", status=ResultStatus.DRAFT)
    story = imports.template_csv(fw.world.a, fw.story, partner=fw.world.ngo_a, today=JULY_2025)
    assert ",'=1+1 housed," in story
    assert plan_for(fw, story.encode()).unchanged == 1
    workbook = load_workbook(io.BytesIO(imports.template_xlsx(fw.world.a, risky, today=JULY_2025)))
    cell = workbook["Results"]["B2"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"
