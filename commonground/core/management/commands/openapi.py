from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Write the API's OpenAPI schema (the committed snapshot lives in docs/openapi.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="docs/openapi.json")

    def handle(self, *args: Any, **options: Any) -> None:
        from config.api import schema_json

        with open(options["output"], "w", encoding="utf-8") as handle:
            handle.write(schema_json())
        self.stdout.write(f"Wrote {options['output']}")
