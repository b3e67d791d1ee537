"""Schemas of the communication plan API."""

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from commonground.reporting.selectors.plan import row_for


class PlanEntryIn(Schema):
    audience: str = Field(description="partners, stakeholders, public or council")
    audience_detail: str = Field("", description="Which group (needed for stakeholders)")
    content: str = Field(description="What they get")
    channel: str = Field(description="digest, meeting, public_page, printed_report or social_media")
    frequency: str = Field(description="weekly, monthly, quarterly, semiannual or annual")
    owner_id: int = Field(description="The partner (of this partnership) who owns it")
    starts_on: dt.date | None = Field(None, description="Planned from (default: today)")


class PlanEntryPatch(Schema):
    """Only the fields sent change."""

    audience: str | None = None
    audience_detail: str | None = None
    content: str | None = None
    channel: str | None = None
    frequency: str | None = None
    owner_id: int | None = None
    starts_on: dt.date | None = None


class PlanDoneIn(Schema):
    note: str = ""


class PlanEntryOut(Schema):
    id: int
    audience: str
    audience_detail: str
    content: str
    channel: str
    frequency: str
    owner_id: int
    starts_on: dt.date
    last_done_at: dt.datetime | None
    next_due: dt.date = Field(description="One frequency after the last done (or the start)")
    state: str = Field(description="overdue, due_soon (within 14 days) or planned")
    version: int

    @staticmethod
    def resolve_next_due(obj: Any) -> dt.date:
        return row_for(obj, timezone.localdate()).next_due

    @staticmethod
    def resolve_state(obj: Any) -> str:
        return row_for(obj, timezone.localdate()).state


class PlanDoneOut(Schema):
    id: int
    entry_id: int
    done_at: dt.datetime
    source: str
    note: str
