"""The progress report and the council summary: what they show, as pages and as PDFs."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.reporting.models import Achievement, ProgressUpdate
from commonground.reporting.selectors.council_summary import council_summary
from commonground.reporting.selectors.progress_report import (
    last_full_quarter,
    progress_report,
    status_label,
)
from commonground.reporting.tests.factories import fill, report_of
from commonground.reporting.tests.report_data import (
    CHALLENGE,
    NARRATIVE,
    Q1,
    accepted,
    flat,
    framework_with_result,
    pdf_text,
    schedule_since_2025,
)
from commonground.results.models import PartnershipProgress
from commonground.results.tests.factories import make_indicator, report
from conftest import World

pytestmark = pytest.mark.django_db

RANGE = {"date_from": "2025-01-01", "date_to": "2025-03-31"}


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def report_url(world: World, name: str = "progress_report") -> str:
    return reverse(f"reporting:{name}", args=[world.a.pk])


def test_pdf_renders_with_the_partnerships_figures_and_narrative(world: World) -> None:
    framework_with_result(world)
    accepted(world, schedule_since_2025(world), "2025-Q1")
    overall = status_label(PartnershipProgress.objects.get(partnership=world.a).status)

    response = client_for(world.viewer).get(report_url(world, "progress_report_pdf"), RANGE)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="progress-report-homelessness-response-2025-01-01-to-2025-03-31.pdf"'
    )
    text = pdf_text(response.content)
    assert "Homelessness Response" in text
    assert "1 January 2025 to 31 March 2025" in text
    assert f"Overall status {overall}" in text
    assert "People housed" in text
    assert "40 people" in text  # the value to date
    assert "40%" in text  # percent of the target of 100
    assert NARRATIVE in text
    assert CHALLENGE in text
    # The indicator's chart is drawn in the PDF: its labels are text.
    assert "Target 100 people" in text


def test_page_and_pdf_come_from_the_same_content(world: World) -> None:
    framework_with_result(world)
    page = client_for(world.viewer).get(report_url(world), RANGE)

    assert page.status_code == 200
    html = flat(page.content.decode())
    assert "Homelessness Response" in html
    assert 'class="cg-chart cg-chart-progress"' in html  # the same SVG chart as the indicator
    assert "40 people" in html
    assert 'href="/static/reporting/report.css"' in html  # the print stylesheet


def test_what_people_wrote_is_escaped_in_the_page_and_shown_as_text_in_the_pdf(
    world: World,
) -> None:
    framework_with_result(world)
    attack = '<script>alert("x")</script><b>bold</b>'
    accepted(world, schedule_since_2025(world), "2025-Q1", lessons=attack)
    world.a.title = "Homes <i>for</i> all"
    world.a.save(update_fields=["title"])

    page = client_for(world.viewer).get(report_url(world), RANGE).content.decode()
    assert attack not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page
    assert "Homes &lt;i&gt;for&lt;/i&gt; all" in page

    response = client_for(world.viewer).get(report_url(world, "progress_report_pdf"), RANGE)
    text = pdf_text(response.content)
    assert "<b>bold</b>" in text
    assert "Homes <i>for</i> all" in text
    assert 'filename="progress-report-homes-ifori-all-' in response["Content-Disposition"]


def test_only_accepted_partner_reports_are_quoted_the_others_are_named(world: World) -> None:
    schedule = schedule_since_2025(world)
    accepted(world, schedule, "2025-Q1")
    fill(world, report_of(world, schedule, "2025-Q2"), achievements="Draft words nobody checked.")

    content = progress_report(world.a, dt.date(2025, 1, 1), dt.date(2025, 6, 30))

    assert [(n.partner, n.period) for n in content.narratives] == [("Shelter Network", "2025-Q1")]
    assert [(p.partner, p.period) for p in content.pending] == [("Shelter Network", "2025-Q2")]
    page = client_for(world.viewer).get(
        report_url(world), {"date_from": "2025-01-01", "date_to": "2025-06-30"}
    )
    html = flat(page.content.decode())
    assert NARRATIVE in html
    assert "Draft words nobody checked." not in html
    assert "Shelter Network, 2025-Q2: overdue" in html


def test_reports_of_periods_outside_the_range_are_left_out(world: World) -> None:
    schedule = schedule_since_2025(world)
    accepted(world, schedule, "2025-Q1")
    accepted(world, schedule, "2025-Q2", achievements="Second quarter words.")

    content = progress_report(world.a, dt.date(2025, 4, 1), dt.date(2025, 6, 30))

    assert [n.period for n in content.narratives] == ["2025-Q2"]
    assert content.narratives[0].sections[0] == ("Achievements", "Second quarter words.")
    assert [c.text for c in content.challenges] == [CHALLENGE]


def test_achievements_and_challenges_of_the_range(world: World) -> None:
    def at(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)

    for key, day in (("in", dt.date(2025, 2, 10)), ("after", dt.date(2025, 4, 2))):
        Achievement.objects.create(
            partnership=world.a,
            kind="milestone_done",
            key=f"test:{key}",
            title=f"Milestone {key}",
            occurred_at=at(day),
        )
    Achievement.objects.create(
        partnership=world.b, kind="milestone_done", key="b", title="B's", occurred_at=at(Q1[0])
    )
    ProgressUpdate.objects.create(
        partnership=world.a,
        author=world.reporter,
        title="Cold snap",
        body="Text",
        challenges="Demand doubled in February.",
        achievements="Nobody was turned away.",
        created_at=at(dt.date(2025, 2, 20)),
    )

    content = progress_report(world.a, *Q1)

    assert [(a.title, a.source) for a in content.achievements] == [
        ("Milestone in", "Milestone reached"),
        ("Cold snap", "Progress update"),
    ]
    assert [(c.source, c.text) for c in content.challenges] == [
        ("Progress update “Cold snap”", "Demand doubled in February.")
    ]


def test_value_in_the_period_counts_only_periods_inside_the_range(world: World) -> None:
    indicator = framework_with_result(world)
    report(world, indicator, "2025-Q2", 10)

    content = progress_report(world.a, dt.date(2025, 4, 1), dt.date(2025, 6, 30))

    line = next(i for o in content.objectives for i in o.indicators)
    assert line.indicator == indicator
    assert line.value_to_date == 50
    assert line.in_range == 10
    assert line.percent == 50
    assert line.chart is not None


def test_qualitative_indicators_have_no_chart(world: World) -> None:
    make_indicator(
        world,
        title="Stories of change",
        measure="5",
        baseline_value=None,
        target_value=None,
        unit="",
    )

    content = progress_report(world.a, *Q1)

    line = content.objectives[0].indicators[0]
    assert line.chart is None and line.in_range is None
    assert content.charts == []


def test_the_default_range_is_the_last_full_quarter(world: World) -> None:
    assert last_full_quarter(dt.date(2026, 11, 23)) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert last_full_quarter(dt.date(2026, 1, 1)) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))

    page = client_for(world.viewer).get(report_url(world))

    start, end = last_full_quarter(timezone.localdate())
    assert page.status_code == 200
    assert page.context["dates"] == (start, end)
    assert f'value="{start.isoformat()}"' in page.content.decode()


@pytest.mark.parametrize(
    "dates,message",
    [
        ({"date_from": "2025-04-01", "date_to": "2025-03-31"}, "comes before the start date"),
        ({"date_from": "2000-01-01", "date_to": "2025-03-31"}, "at most ten years"),
        ({"date_from": "not a date", "date_to": "2025-03-31"}, "Enter a valid date"),
    ],
)
def test_a_wrong_range_is_refused_with_a_reason(
    world: World, dates: dict[str, str], message: str
) -> None:
    client = client_for(world.viewer)
    for name in ("progress_report", "progress_report_pdf"):
        response = client.get(report_url(world, name), dates)
        assert response.status_code == (200 if name == "progress_report" else 400)
        assert message in response.content.decode()
        assert response.context["report"] is None


# --- the council summary -----------------------------------------------------------------------


def test_council_summary_holds_only_the_partnerships_the_person_sees(world: World) -> None:
    framework_with_result(world)
    client = client_for(world.coordinator)

    page = client.get(reverse("reporting:council_summary"), RANGE)
    pdf = client.get(reverse("reporting:council_summary_pdf"), RANGE)

    html = page.content.decode()
    assert "Homelessness Response" in html and "Dune Restoration" not in html
    assert pdf["Content-Disposition"] == (
        'attachment; filename="council-summary-2025-01-01-to-2025-03-31.pdf"'
    )
    text = pdf_text(pdf.content)
    assert "Homelessness Response" in text
    assert "Dune Restoration" not in text
    assert "1 partnership" in text


def test_an_outsiders_council_summary_is_empty(world: World) -> None:
    client = client_for(world.outsider)

    page = client.get(reverse("reporting:council_summary"), RANGE)
    text = pdf_text(client.get(reverse("reporting:council_summary_pdf"), RANGE).content)

    assert page.status_code == 200
    assert page.context["summary"].rows == []
    assert "You hold no seat in a partnership" in page.content.decode()
    for title in ("Homelessness Response", "Dune Restoration"):
        assert title not in page.content.decode() and title not in text
    assert "0 partnerships" in text


def test_council_summary_shows_overdue_reports_and_achievements_of_the_range(
    world: World,
) -> None:
    framework_with_result(world)
    schedule = schedule_since_2025(world)
    accepted(world, schedule, "2025-Q2")  # accepted: not overdue
    Achievement.objects.create(
        partnership=world.a,
        kind="milestone_done",
        key="m1",
        title="Night shelter opened",
        occurred_at=dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC),
    )

    summary = council_summary(world.coordinator, *Q1, today=dt.date(2025, 10, 15))

    (row,) = summary.rows
    assert row.title == "Homelessness Response"
    # 2025-Q1 (due 30 April) is a draft: overdue; 2025-Q3 is not due until 30 October.
    assert [(o.partner, o.period) for o in row.overdue] == [("Shelter Network", "2025-Q1")]
    assert row.achievements == ["Night shelter opened"]
    assert row.indicator_count == 1
    assert summary.overdue_count == 1 and summary.achievement_count == 1
    progress = PartnershipProgress.objects.get(partnership=world.a)
    assert row.status_label == status_label(progress.status)


def test_portfolio_and_framework_link_to_the_reports(world: World) -> None:
    client = client_for(world.viewer)
    portfolio = client.get(reverse("results:portfolio")).content.decode()
    framework = client.get(reverse("results:framework", args=[world.a.pk])).content.decode()

    assert reverse("reporting:council_summary") in portfolio
    assert reverse("reporting:progress_report", args=[world.a.pk]) in framework
