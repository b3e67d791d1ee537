"""The notifications models move here from reporting, in Django's state only.

Their tables were made by reporting 0001 and keep their names (each model's `db_table`), so
this migration and reporting 0002, which removes them from reporting's state, run no SQL: no
table is renamed, no row is copied or touched. Reporting 0002 runs after this one, so the models
are in the state at every step.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The tables were created by reporting's first migration.
        ("reporting", "0001_initial"),
        ("partnerships", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("kind", models.CharField(max_length=40)),
                        ("key", models.CharField(max_length=200, unique=True)),
                        ("subject", models.CharField(max_length=250)),
                        ("body", models.TextField()),
                        ("link", models.CharField(blank=True, max_length=500)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "email_status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting to be sent"),
                                    ("sending", "Being sent"),
                                    ("sent", "Sent"),
                                    ("failed", "Could not be sent"),
                                    ("none", "Not by e-mail"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("email_attempts", models.PositiveSmallIntegerField(default=0)),
                        ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                        ("email_claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("email_sent_at", models.DateTimeField(blank=True, null=True)),
                        ("email_error", models.TextField(blank=True)),
                        (
                            "partnership",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="partnerships.partnership",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reporting_notification",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["user", "read_at"], name="reporting_n_user_id_e02e51_idx"
                            ),
                            models.Index(
                                fields=["email_status", "next_attempt_at"],
                                name="reporting_n_email_s_3b3173_idx",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DigestSubscription",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "frequency",
                            models.CharField(
                                choices=[
                                    ("weekly", "Weekly"),
                                    ("monthly", "Monthly"),
                                    ("none", "No digest"),
                                ],
                                default="weekly",
                                max_length=10,
                            ),
                        ),
                        ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "partnership",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                to="partnerships.partnership",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="digest_subscriptions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reporting_digestsubscription",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("partnership", "user"), name="one_digest_choice"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DigestSend",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("period_key", models.CharField(max_length=10)),
                        ("since", models.DateTimeField()),
                        ("until", models.DateTimeField()),
                        ("items", models.PositiveIntegerField(default=0)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "partnership",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                to="partnerships.partnership",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reporting_digestsend",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("partnership", "user", "period_key"),
                                name="digest_once_per_period",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CalendarFeed",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("token_hash", models.CharField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="calendar_feeds",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reporting_calendarfeed",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
        ),
    ]
