"""Helpers that build updates, comments, milestones and plan entries in the `world` fixture
through the real services (partnership A unless said otherwise)."""

import base64
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from commonground.accounts.models import User
from commonground.reporting.models import (
    CommunicationEntry,
    Milestone,
    ProgressUpdate,
    UpdateComment,
)
from commonground.reporting.services import milestones, plan, updates
from conftest import World

# The smallest real images of each kind (1 by 1 pixel).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
WEBP_HEAD = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10"


def image(name: str = "beds.png", content: bytes = PNG, content_type: str = "image/png") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_update(
    world: World, author: User | None = None, image_file: Any = None, **data: Any
) -> ProgressUpdate:
    author = author or world.reporter
    return updates.update_create(
        actor=author,
        seat=world.seat(author),
        data={
            "title": "Ten new beds at the night shelter",
            "body": "We opened **ten** beds this week.",
            **data,
        },
        image=image_file,
    )


def make_comment(
    world: World, update: ProgressUpdate, author: User | None = None, **data: Any
) -> UpdateComment:
    author = author or world.viewer
    return updates.update_comment(
        actor=author,
        seat=world.seat(author),
        update=update,
        data={"body": "Which street is it on?", **data},
    )


def make_milestone(world: World, **data: Any) -> Milestone:
    return milestones.milestone_create(
        actor=world.coordinator,
        seat=world.seat(world.coordinator),
        data={"title": "Night shelter opens", "due_date": "2025-06-30", **data},
    )


def mark_done(world: World, milestone: Milestone, user: User | None = None) -> Milestone:
    user = user or world.coordinator
    return milestones.milestone_mark_done(
        actor=user, seat=world.seat(user), milestone=milestone, expected_version=milestone.version
    )


def make_entry(world: World, **data: Any) -> CommunicationEntry:
    return plan.plan_entry_create(
        actor=world.coordinator,
        seat=world.seat(world.coordinator),
        data={
            "audience": "partners",
            "content": "What every partner did this month",
            "channel": "digest",
            "frequency": "monthly",
            "owner_id": world.lead_a.pk,
            "starts_on": "2025-01-01",
            **data,
        },
    )
