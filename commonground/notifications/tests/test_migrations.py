"""The move of the notifications models from reporting keeps every row: a scratch database of the
outer run's kind (SQLite or PostgreSQL) is migrated only as far as reporting 0001 (before the
move), given rows in all four tables through the models of that state (MigrationExecutor's
historical models), then migrated forwards, backwards past the move and forwards again; the
rows read through today's models are the rows written before, on the tables of the old names."""

import json
import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import run_command, scratch_database

pytestmark = pytest.mark.django_db  # only for the outer run's settings; the scratch has its own

TABLES = (
    "reporting_notification",
    "reporting_digestsubscription",
    "reporting_digestsend",
    "reporting_calendarfeed",
)

# Rows written through the historical models of the state before the move.
BEFORE_MOVE = textwrap.dedent(
    """
    import datetime as dt, json
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    apps = MigrationExecutor(connection).loader.project_state(("reporting", "0001_initial")).apps
    assert "notification" in apps.all_models["reporting"], "the state before the move"
    User = apps.get_model("accounts", "User")
    Partnership = apps.get_model("partnerships", "Partnership")
    when = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
    user = User.objects.create(email="kept@a.test", password="!")
    partnership = Partnership.objects.create(
        title="Kept", purpose="Proving a migration.", start_date=dt.date(2026, 1, 1)
    )
    apps.get_model("reporting", "Notification").objects.create(
        user=user, partnership=partnership, kind="reminder", key="reminder:1:0:1",
        subject="Report due today", body="Fill it in.", link="/partnerships/1/reports/1/",
        created_at=when, email_status="sent", email_attempts=1, email_sent_at=when,
    )
    apps.get_model("reporting", "DigestSubscription").objects.create(
        user=user, partnership=partnership, frequency="monthly", updated_at=when
    )
    apps.get_model("reporting", "DigestSend").objects.create(
        user=user, partnership=partnership, period_key="2026-W48", since=when, until=when,
        items=3, sent_at=when,
    )
    apps.get_model("reporting", "CalendarFeed").objects.create(
        user=user, token_hash="a" * 64, created_at=when
    )
    print(json.dumps({"user": user.pk, "partnership": partnership.pk}))
    """
)

# The rows as today's models (notifications app) read them, and where they live.
READ_NOW = textwrap.dedent(
    """
    import json
    from django.db import connection
    from commonground.notifications.models import (
        CalendarFeed, DigestSend, DigestSubscription, Notification,
    )

    def rows(model):
        return [
            {k: str(v) for k, v in row.items()} for row in model.objects.order_by("pk").values()
        ]

    tables = set(connection.introspection.table_names())
    print(json.dumps({
        "reporting_notification": rows(Notification),
        "reporting_digestsubscription": rows(DigestSubscription),
        "reporting_digestsend": rows(DigestSend),
        "reporting_calendarfeed": rows(CalendarFeed),
        "notifications_tables": sorted(t for t in tables if t.startswith("notifications_")),
        "tables": [Notification._meta.db_table, DigestSubscription._meta.db_table,
                   DigestSend._meta.db_table, CalendarFeed._meta.db_table],
    }))
    """
)

# What is in the tables without any model: counts by plain SQL.
COUNT_SQL = textwrap.dedent(
    """
    import json
    from django.db import connection
    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    print(json.dumps(counts))
    """
).replace("TABLES", repr(TABLES))


@pytest.fixture
def scratch_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    url, postgres = scratch_database(tmp_path, "cg_migrate")
    try:
        yield {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ENVIRONMENT": "development",
            "DEBUG": "0",
            "DATABASE_URL": url,
            "VAR_DIR": str(tmp_path),
        }
    finally:
        if postgres:
            postgres.drop()


def shell(script: str, env: dict[str, str]) -> dict:
    output = run_command(["shell", "-c", script], env)
    return json.loads(output.strip().splitlines()[-1])


def migrate(env: dict[str, str], *target: str) -> None:
    run_command(["migrate", *target, "--no-input", "-v", "0"], env)


def test_moving_the_models_keeps_every_row_forwards_and_backwards(scratch_env):
    migrate(scratch_env, "reporting", "0001_initial")
    shell(BEFORE_MOVE, scratch_env)
    counts = shell(COUNT_SQL, scratch_env)
    assert counts == dict.fromkeys(TABLES, 1)

    migrate(scratch_env)
    after = shell(READ_NOW, scratch_env)
    assert after["tables"] == list(TABLES), "the models use the tables of the old names"
    assert after["notifications_tables"] == [], "no new table was made"
    note = after["reporting_notification"][0]
    assert (note["key"], note["subject"], note["email_status"]) == (
        "reminder:1:0:1",
        "Report due today",
        "sent",
    )
    assert after["reporting_digestsubscription"][0]["frequency"] == "monthly"
    assert after["reporting_digestsend"][0]["items"] == "3"
    assert after["reporting_calendarfeed"][0]["token_hash"] == "a" * 64

    # Back past the move (reporting 0002 and notifications 0001 undone) and forwards again.
    migrate(scratch_env, "notifications", "zero")
    assert shell(COUNT_SQL, scratch_env) == counts
    migrate(scratch_env)
    assert shell(READ_NOW, scratch_env) == after
