from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.accounts.models import User
from commonground.accounts.services import api_token_create


class Command(BaseCommand):
    help = "API tokens: `token create --email X [--name N]` prints the token on its last line."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for a person.")
        create.add_argument("--email", required=True)
        create.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active person with the e-mail {options['email']}.")
        token, secret = api_token_create(user=user, name=options["name"])
        self.stderr.write(f"Token “{token.name}” created for {user.email}. Shown once:")
        self.stdout.write(secret)
