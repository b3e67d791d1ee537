from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from commonground.core import jobs


class Command(BaseCommand):
    help = (
        "Run the background worker: reminders, digests, reports and large imports from the "
        "database queue (django-tasks-db), and the periodic jobs' scheduler tick."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run what is due now, then exit (tests, cron).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the queue is empty (default 1).",
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Exit after this many tasks."
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            default=False,
            help="Restart on code changes (development only).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        jobs.discover()
        if options["batch"]:
            # What is due now runs in this batch; the tick queues itself for later.
            jobs.run_due()
        else:
            jobs.ensure_ticking()
        worker_options: dict[str, Any] = {
            "queue_name": ",".join(settings.TASKS["default"].get("QUEUES") or ["default"]),
            "interval": options["interval"],
            "batch": options["batch"],
            "reload": options["reload"] and not options["batch"],
            "startup_delay": not options["batch"],
            "verbosity": options["verbosity"],
        }
        if options["max_tasks"]:
            worker_options["max_tasks"] = options["max_tasks"]
        call_command("db_worker", **worker_options)
