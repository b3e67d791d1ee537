import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commonground.results.services.summaries import refresh_all


class Command(BaseCommand):
    help = (
        "`progress refresh [--today YYYY-MM-DD]`: recompute every indicator's and partnership's "
        "progress summary. Run daily: statuses such as 'no recent data' depend on the date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="Recompute all progress summaries.")
        refresh.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        count = refresh_all(today=options.get("today"))
        self.stdout.write(f"Refreshed the progress of {count} indicators.")
