"""Reads for progress updates, milestones and achievements: the partnership's feed."""

from dataclasses import dataclass
from typing import cast

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.fields import CharField

from commonground.partnerships.models import Partnership
from commonground.reporting.models import Achievement, Milestone, ProgressUpdate, UpdateComment

FEED_PAGE = 20


def updates_of(partnership: Partnership | int) -> QuerySet[ProgressUpdate]:
    return (
        ProgressUpdate.objects.filter(partnership=partnership)
        .select_related("author", "partner__organisation")
        .annotate(
            comment_count=Count("comments"),
            question_count=Count("comments", filter=Q(comments__is_question=True)),
        )
    )


def comments_of(update: ProgressUpdate) -> QuerySet[UpdateComment]:
    return update.comments.select_related("author")


def milestones_of(partnership: Partnership | int) -> QuerySet[Milestone]:
    return Milestone.objects.filter(partnership=partnership).select_related("done_by")


def achievements_of(partnership: Partnership | int) -> QuerySet[Achievement]:
    return Achievement.objects.filter(partnership=partnership)


@dataclass(frozen=True)
class FeedItem:
    kind: str  # "update" or "achievement"
    item: ProgressUpdate | Achievement


def feed_page(
    partnership: Partnership, number: str | int | None = 1, per_page: int = FEED_PAGE
) -> "Page[FeedItem]":
    """One page of the feed: updates and achievements together, newest first.

    The database orders and pages the two kinds as one list (a UNION of their ids and times);
    only the rows of the page are then loaded.
    """
    updates = (
        ProgressUpdate.objects.filter(partnership=partnership)
        .annotate(feed_kind=Value("update", output_field=CharField()), feed_at=F("created_at"))
        .values_list("feed_kind", "feed_at", "pk")
        .order_by()
    )
    achievements = (
        Achievement.objects.filter(partnership=partnership)
        .annotate(
            feed_kind=Value("achievement", output_field=CharField()), feed_at=F("occurred_at")
        )
        .values_list("feed_kind", "feed_at", "pk")
        .order_by()
    )
    both = updates.union(achievements, all=True).order_by("-feed_at", "-feed_kind", "-pk")
    page = Paginator(both, per_page).get_page(number)
    rows = list(page.object_list)
    loaded_updates = updates_of(partnership).in_bulk([pk for k, _, pk in rows if k == "update"])
    loaded_achievements = achievements_of(partnership).in_bulk(
        [pk for k, _, pk in rows if k == "achievement"]
    )
    items = [
        FeedItem(k, loaded_updates[pk] if k == "update" else loaded_achievements[pk])
        for k, _, pk in rows
    ]
    # The paginator counted (kind, time, id) rows; the page shows the rows loaded for them.
    return Page(items, page.number, cast("Paginator[FeedItem]", page.paginator))
