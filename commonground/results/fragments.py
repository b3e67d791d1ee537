"""Rendered pieces of the results pages kept in the cache, keyed by the state they show.

The results framework page renders 13 objectives, 50 indicators and 64 SVG progress bars into
85 KB of HTML: the template, not the database, is most of its time (benchmarks/README.md). So
the page's body is rendered once per state of the partnership and kept in the "fragments"
cache. There is no invalidation to forget: the key is derived, on every request, from the
database (one indexed query, `STAMP_SQL`):

- the head of the partnership's audit chain. Every service write to a partnership records an
  audit event in its own transaction (docs/decisions/0002), so the head moves with every
  change to the framework, targets, results, imports, partners and the partnership itself,
  and admin edits too (AuditedAdmin). The head's hash, not its sequence number: it covers the
  whole history, so a restored or rebuilt database never meets an old key;
- the head of the global chain: organisations (whose names the tree shows) and other writes
  that belong to no partnership;
- the partnership's PartnershipProgress.computed_at: every progress summary written, by an
  approval or by the daily `commonground progress refresh` (which records no event), ends with
  refresh_partnership, which sets it.

The stamp is read before anything the body shows, so a body is never stored under a key newer
than its data. Whatever a role may see is in the key (the three permissions the body shows
controls for); nothing about the person is: the body is rendered without the request (no user,
no CSRF token, no nonce, no messages) from a context holding only the partnership's data.
Details and the choice of cache: docs/decisions/0003-results-page-cache.md.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.db import connection
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from commonground.core.models import AuditEvent
from commonground.results.models import PartnershipProgress

CACHE = "fragments"
# Part of every key: change it when a cached template or what it is given changes, for caches
# that outlive a deployment (the default in-process cache does not).
LAYOUT = "1"


def _stamp_sql() -> str:
    events = connection.ops.quote_name(AuditEvent._meta.db_table)
    summaries = connection.ops.quote_name(PartnershipProgress._meta.db_table)
    # Both audit subqueries walk a unique index backwards ((partnership, seq), and seq where
    # partnership is null) and stop at the first row; the summary is found by primary key.
    return (
        f"SELECT (SELECT hash FROM {events} WHERE partnership_id = %s ORDER BY seq DESC LIMIT 1),"  # noqa: S608 (table names)
        f" (SELECT hash FROM {events} WHERE partnership_id IS NULL ORDER BY seq DESC LIMIT 1),"
        f" (SELECT computed_at FROM {summaries} WHERE partnership_id = %s)"
    )


def partnership_stamp(partnership_id: int) -> str:
    """What changes whenever anything the partnership's results pages show may have changed."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [partnership_id, partnership_id])
        row = cursor.fetchone()
    return "|".join(str(part) for part in row)


def framework_key(
    partnership_id: int, *, can_edit: bool, can_review: bool, can_report: bool
) -> str:
    state = f"{partnership_stamp(partnership_id)}|{get_language()}|{LAYOUT}"
    digest = hashlib.blake2b(state.encode(), digest_size=16).hexdigest()
    role = f"e{int(can_edit)}r{int(can_review)}p{int(can_report)}"
    return f"results:framework:{partnership_id}:{role}:{digest}"


def cached(key: str, render: Callable[[], str]) -> SafeString:
    """The fragment stored under `key`, rendering and storing it first if it is not there."""
    cache = caches[CACHE]
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html)
    return mark_safe(html)  # noqa: S308 (rendered here by the autoescaping templates)
