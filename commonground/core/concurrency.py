"""Optimistic concurrency: every editable row carries a `version` that each update increments."""

from django.db import models
from django.utils.translation import gettext as _

from commonground.core.errors import StaleVersion, VersionRequired


def etag_for(version: int) -> str:
    return f'"v{version}"'


def parse_if_match(header: str | None) -> int:
    """The version a client based its change on, from an If-Match header (428 when missing)."""
    if not header:
        raise VersionRequired(_("Send If-Match with the ETag you read before changing this."))
    value = header.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if not value.startswith("v") or not value[1:].isdigit():
        raise StaleVersion(_("If-Match does not name a version of this object."))
    return int(value[1:])


def bump_version(instance: models.Model, expected: int | None, **changes: object) -> None:
    """Save `changes` only if the row is still at `expected`; raise StaleVersion otherwise.

    The compare-and-set happens in one UPDATE, so two writers holding the same version cannot
    both succeed, whatever the database's isolation level.
    """
    model = type(instance)
    current = instance.version  # type: ignore[attr-defined]
    if expected is not None and expected != current:
        raise StaleVersion(
            _("Someone else changed this since you opened it. Reload to see their change.")
        )
    updated = model._default_manager.filter(pk=instance.pk, version=current).update(
        version=current + 1, **changes
    )
    if updated != 1:
        raise StaleVersion(
            _("Someone else changed this since you opened it. Reload to see their change.")
        )
    instance.version = current + 1  # type: ignore[attr-defined]
    for key, value in changes.items():
        setattr(instance, key, value)
