"""PDFs of progress reports and council summaries, made with WeasyPrint from the same partial
templates as the pages (`reporting/_progress_report.html`, `reporting/_council_summary.html`),
each inside a small document of its own (`*_pdf.html`) with the site's stylesheet and the
report stylesheet (whose print rules the pages use too).

WeasyPrint fetches nothing: the stylesheets are read from the static files and handed over as
text, charts are inline SVG, and the URL fetcher refuses every address, so a report can never
make the server reach out anywhere, whatever a person typed into it.
"""

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.text import slugify
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from commonground.accounts.models import User
from commonground.partnerships.models import Partnership
from commonground.reporting.selectors.council_summary import council_summary
from commonground.reporting.selectors.progress_report import progress_report

STYLESHEETS = ("css/app.css", "reporting/report.css")


class NoFetching(URLFetcher):
    """Refuse every URL: a report is rendered from what it holds, never from the network or
    the file system."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        raise ValueError(f"PDF reports load nothing: {url[:100]}")


@cache
def _stylesheets() -> tuple[CSS, ...]:
    sheets = []
    for name in STYLESHEETS:
        path = finders.find(name)
        if not isinstance(path, str):
            raise RuntimeError(f"The stylesheet {name} is missing from the static files.")
        sheets.append(CSS(string=Path(path).read_text(encoding="utf-8"), url_fetcher=NoFetching()))
    return tuple(sheets)


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The template rendered as HTML (autoescaped like any page), laid out as a PDF."""
    html = render_to_string(template_name, {**context, "pdf": True})
    document = HTML(string=html, base_url="about:blank", url_fetcher=NoFetching())
    pdf = document.write_pdf(stylesheets=list(_stylesheets()))
    assert isinstance(pdf, bytes)
    return pdf


def progress_report_pdf(partnership: Partnership, date_from: dt.date, date_to: dt.date) -> bytes:
    report = progress_report(partnership, date_from, date_to)
    return render_pdf("reporting/progress_report_pdf.html", {"report": report})


def council_summary_pdf(user: User, date_from: dt.date, date_to: dt.date) -> bytes:
    summary = council_summary(user, date_from, date_to)
    return render_pdf("reporting/council_summary_pdf.html", {"summary": summary, "user": user})


def progress_report_filename(partnership: Partnership, date_from: dt.date, date_to: dt.date) -> str:
    """A file name safe in a Content-Disposition header and on any disk: ASCII letters, digits
    and dashes only."""
    slug = slugify(partnership.title)[:60].strip("-") or "partnership"
    return f"progress-report-{slug}-{date_from.isoformat()}-to-{date_to.isoformat()}.pdf"


def council_summary_filename(date_from: dt.date, date_to: dt.date) -> str:
    return f"council-summary-{date_from.isoformat()}-to-{date_to.isoformat()}.pdf"
