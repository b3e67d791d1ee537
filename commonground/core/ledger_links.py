"""Where a ledger event's object can be seen: each app registers, for its object types (the
model's `app_label.modelname`, as `record_event` stores them), how to link to one. The ledger
stays in core; it never imports the apps."""

from collections.abc import Callable
from typing import Protocol

from django.urls import NoReverseMatch, reverse


class _Event(Protocol):
    action: str
    object_type: str
    object_id: str
    partnership_id: int | None


# object type -> (partnership id, object id) -> URL
LINKS: dict[str, Callable[[int, str], str]] = {}


def register_object_links(links: dict[str, Callable[[int, str], str]]) -> None:
    LINKS.update(links)


def page(name: str, object_kwarg: str | None = None) -> Callable[[int, str], str]:
    """A link to the URL `name` of the partnership (and of the object, as `object_kwarg`)."""

    def link(partnership_id: int, object_id: str) -> str:
        kwargs: dict[str, object] = {"partnership_id": partnership_id}
        if object_kwarg:
            kwargs[object_kwarg] = int(object_id)
        return reverse(name, kwargs=kwargs)

    return link


def link_of(event: _Event) -> str | None:
    """The page showing the event's object; None for a deleted object or an unknown type."""
    link = LINKS.get(event.object_type)
    if (
        link is None
        or event.partnership_id is None
        or event.action.endswith((".delete", ".remove"))
    ):
        return None
    try:
        return link(event.partnership_id, event.object_id)
    except (NoReverseMatch, ValueError):
        return None
