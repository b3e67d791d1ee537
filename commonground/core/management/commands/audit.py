from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.core.audit import verify


class Command(BaseCommand):
    help = "Check the audit ledger: `audit verify [--partnership ID]` recomputes the hash chains."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="Recompute the hash chains and name the first break.")
        check.add_argument("--partnership", type=int, help="Only this partnership's chain.")

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = options.get("partnership")
        reports = verify(partnership, everything=partnership is None)
        broken = [report for report in reports if not report.ok]
        for report in reports:
            chain = f"partnership {report.partnership_id}" if report.partnership_id else "global"
            if report.ok:
                self.stdout.write(f"ok      {chain}: {report.events} events")
            else:
                self.stdout.write(
                    f"BROKEN  {chain}: event {report.broken_event_id}: {report.problem}"
                )
        if broken:
            raise CommandError(
                f"{len(broken)} chain(s) broken; first broken event {broken[0].broken_event_id}."
            )
        self.stdout.write(self.style.SUCCESS(f"Ledger intact: {len(reports)} chain(s)."))
