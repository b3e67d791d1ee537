"""How apps contribute to notifications without notifications importing them.

An app calls these from its AppConfig.ready(), naming what it contributes:

- `register_kind(*kinds, message=, still_wanted=)`: a kind of message with its own e-mail, or
  a last check before mailing it (a reminder for a report submitted meanwhile is not sent).
- `register_reminder_rule(name, due=, reminders=)`: what has come due at a moment (`due(now)`,
  the rule's own items) and, for each item inside its own transaction, the messages to send
  and to whom (`reminders(item)`, nothing when the item no longer needs one). Each message's
  `key` makes it once: the reminder job may run any number of times.
- `register_calendar_source(name, events=)`: the events a person's calendar feed shows, from
  the seats they hold as they are now (`events(seats)`).
- `register_digest_section(name, build=)`: a part of a partnership's digest for one person and
  window (`build(partnership=, user=, since=, until=)`); a digest is sent when some section has
  something new.

Registering a name again replaces what it named (ready() may run twice in tests). The rules
about what is due, to whom, live in the registering app; this module only keeps the lists.

Languages: everything a person reads is written in *their* language (their profile's, else the
site's), whoever caused it. Notifications calls each contribution under
`translation.override` of the right person's language, so contributions simply use `gettext`
(or lazy strings) and need no language argument: a kind's `message` and `still_wanted` run in
the recipient's; a digest section's `build` (and the rendering of its templates) in the
digest's reader's; a calendar source's `events` in the feed owner's. A reminder rule's
`reminders(item)` returns messages for several people: give lazy texts
(`format_lazy(gettext_lazy(...), ...)`), or plain ones and it is asked once more per other
language among the recipients (see services.reminders).
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.core.mail import EmailMultiAlternatives

    from commonground.accounts.models import User
    from commonground.notifications.models import Notification
    from commonground.partnerships.models import Seat


# Kinds of message ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What a kind of message adds to plain delivery: its own e-mail (`message`), or a check
    made just before sending that it is still wanted (`still_wanted`)."""

    message: "Callable[[Notification], EmailMultiAlternatives | None] | None" = None
    still_wanted: "Callable[[Notification], bool] | None" = None


KINDS: dict[str, Kind] = {}


def register_kind(
    *kinds: str,
    message: "Callable[[Notification], EmailMultiAlternatives | None] | None" = None,
    still_wanted: "Callable[[Notification], bool] | None" = None,
) -> None:
    """An app contributes a kind of message. A kind nobody registered is mailed as a plain
    notification."""
    for kind in kinds:
        KINDS[kind] = Kind(message=message, still_wanted=still_wanted)


def kind_of(name: str) -> Kind:
    return KINDS.get(name, Kind())


# Reminder rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """One message a reminder rule wants sent: to whom, what, and its idempotency key.
    `subject` and `body` may be lazy: they are read in the recipient's language."""

    user: "User"
    kind: str
    key: str
    subject: str | Promise
    body: str | Promise
    link: str = ""
    partnership_id: int | None = None


@dataclass(frozen=True)
class ReminderRule:
    name: str
    due: Callable[[dt.datetime], Iterable[Any]]
    reminders: Callable[[Any], Iterable[Reminder]]


REMINDER_RULES: dict[str, ReminderRule] = {}


def register_reminder_rule(
    name: str,
    *,
    due: Callable[[dt.datetime], Iterable[Any]],
    reminders: Callable[[Any], Iterable[Reminder]],
) -> None:
    """An app contributes a reminder rule: `due(now)` lists what has come due (read outside
    any transaction); `reminders(item)`, called in a transaction per item, may lock and re-read
    it and returns the messages to send (none if it is no longer owed)."""
    REMINDER_RULES[name] = ReminderRule(name=name, due=due, reminders=reminders)


# Calendar sources ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    """A whole-day event in a person's calendar feed; `uid` is stable across refreshes."""

    uid: str
    day: dt.date
    summary: str | Promise
    url: str
    description: str | Promise


CALENDAR_SOURCES: dict[str, Callable[["Sequence[Seat]"], Iterable[CalendarEvent]]] = {}


def register_calendar_source(
    name: str, *, events: Callable[["Sequence[Seat]"], Iterable[CalendarEvent]]
) -> None:
    """An app contributes events to personal calendar feeds: `events(seats)` gets the person's
    seats (with their partnerships) and returns what those seats may see."""
    CALENDAR_SOURCES[name] = events


# Digest sections ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestSection:
    """A part of one digest. `new_items` counts what happened in the window (a digest whose
    sections have none is not sent); `counts` are (number, singular, plural) for the summary
    line; the e-mail shows `template`.txt and `template`.html rendered with `context`. Words
    may be lazy: they are read, and the templates rendered, in the reader's language."""

    new_items: int
    counts: tuple[tuple[int, str | Promise, str | Promise], ...]
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


DIGEST_SECTIONS: dict[str, Callable[..., DigestSection]] = {}


def register_digest_section(name: str, *, build: Callable[..., DigestSection]) -> None:
    """An app contributes a part of every partnership digest:
    `build(partnership=, user=, since=, until=)` returns its DigestSection for the window."""
    DIGEST_SECTIONS[name] = build
