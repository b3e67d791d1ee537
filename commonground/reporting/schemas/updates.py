"""Schemas of the updates API: progress updates, comments, milestones and achievements.

Names are unique across the API (ninja keys components by class name); people are the results
API's PersonRef. They give the shape only; the services check values, so a refusal names its
field the same way on the pages and here.
"""

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from commonground.results.schemas import PersonRef


class UpdateIn(Schema):
    title: str
    body: str = Field(description="Markdown; stored with its sanitised HTML")
    achievements: str = Field("", description="Achievements to highlight (plain text)")
    challenges: str = Field("", description="Challenges to highlight (plain text)")
    visibility: str = Field("internal", description="internal (partners only) or public")


class UpdatePatch(Schema):
    """Only the fields sent change; the rest keep their current values."""

    title: str | None = None
    body: str | None = None
    achievements: str | None = None
    challenges: str | None = None
    visibility: str | None = None
    image_alt: str | None = Field(None, description="The image's alt text (needed with an image)")


class UpdateOut(Schema):
    id: int
    title: str
    body: str = Field(description="Markdown as written")
    body_html: str = Field(description="The body as sanitised HTML")
    achievements: str
    challenges: str
    visibility: str
    author: PersonRef
    partner_id: int | None
    image_url: str | None = Field(description="The image (signed-in partners only), if any")
    image_alt: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int

    @staticmethod
    def resolve_image_url(obj: Any) -> str | None:
        if not obj.image:
            return None
        return reverse("reporting:update_image", args=[obj.partnership_id, obj.pk])


class UpdateCommentIn(Schema):
    body: str
    is_question: bool = Field(False, description="A question for the update's author")


class UpdateCommentOut(Schema):
    id: int
    update_id: int
    author: PersonRef
    body: str
    is_question: bool
    created_at: dt.datetime


class MilestoneIn(Schema):
    title: str
    description: str = ""
    due_date: dt.date | None = None


class MilestonePatch(Schema):
    """Only the fields sent change."""

    title: str | None = None
    description: str | None = None
    due_date: dt.date | None = None


class MilestoneOut(Schema):
    id: int
    title: str
    description: str
    due_date: dt.date | None
    done_at: dt.datetime | None
    done_by: PersonRef | None
    version: int


class AchievementOut(Schema):
    id: int
    kind: str = Field(description="milestone_done or target_reached")
    title: str
    detail: str
    indicator_id: int | None
    milestone_id: int | None
    occurred_at: dt.datetime
