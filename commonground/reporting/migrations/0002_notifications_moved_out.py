"""Notification, DigestSubscription, DigestSend and CalendarFeed now belong to the notifications
app (notifications 0001 put them in its state, on the same tables). Reporting forgets them in
state only: the tables and their rows stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="DigestSubscription"),
                migrations.DeleteModel(name="DigestSend"),
                migrations.DeleteModel(name="CalendarFeed"),
            ],
        ),
    ]
