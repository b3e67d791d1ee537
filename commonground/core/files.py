"""Uploaded files nobody refers to any more.

A service writes an upload (evidence, an update's image, a report's attachment, an export) into
storage before the row that names it is committed. When that transaction rolls back, or the
process dies between the two, the file stays with no row pointing at it; Django has no hook on
rollback to remove it. Rather than a cleanup in every service, the worker sweeps once a day:
under the folders the models' FileFields upload to, a file that no row names and that is older
than a day (so an upload whose transaction is still open is never touched) is deleted.
"""

import datetime as dt
import logging
import mimetypes
import re
from collections.abc import Iterator
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.text import get_valid_filename

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile

log = logging.getLogger(__name__)

GRACE = dt.timedelta(days=1)


def _file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field


def _folder(field: models.FileField) -> str:
    """The fixed part of the field's upload_to ("evidence/%Y/%m/" → "evidence")."""
    upload_to = field.upload_to if isinstance(field.upload_to, str) else ""
    return upload_to.split("%", 1)[0].strip("/")


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}")


def sweep_orphan_files(*, now: dt.datetime | None = None, grace: dt.timedelta = GRACE) -> list[str]:
    """Delete stored uploads that no row names and that are older than `grace`; their names."""
    now = now or timezone.now()
    by_storage: dict[int, tuple[Storage, set[str], set[str]]] = {}
    for model, field in _file_fields():
        folder = _folder(field)
        if not folder:
            continue  # a callable or empty upload_to: no folder of its own to sweep
        storage, folders, named = by_storage.setdefault(
            id(field.storage), (field.storage, set(), set())
        )
        folders.add(folder)
        named.update(
            model._default_manager.exclude(**{field.attname: ""})
            .values_list(field.attname, flat=True)
            .iterator()
        )
    deleted: list[str] = []
    for storage, folders, named in by_storage.values():
        for folder in sorted(folders):
            for name in _walk(storage, folder):
                if name in named or now - storage.get_modified_time(name) < grace:
                    continue
                storage.delete(name)
                deleted.append(name)
    if deleted:
        log.info("deleted %d stored files no row names: %s", len(deleted), ", ".join(deleted[:20]))
    return deleted


def download(file: "FieldFile", label: str = "") -> FileResponse:
    """A stored upload as a download: its type and extension are those of the stored file,
    whose extension and content were checked when it was uploaded, never of a free-text label
    or of what the uploading browser claimed. The label gives the file's name, with any
    extensions it pretends to stripped ("invoice.pdf.exe" on a checked .txt file downloads as
    "invoice.txt", text/plain). Never rendered in the site's origin (as_attachment, nosniff)."""
    suffix = PurePath(file.name or "").suffix.lower()
    stem = PurePath(label or PurePath(file.name or "").name).name
    while True:
        bare = re.sub(r"\.[A-Za-z0-9]{1,8}$", "", stem)
        if bare == stem:
            break
        stem = bare
    stem = get_valid_filename(stem.strip()) if stem.strip() else ""
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=f"{stem or 'attachment'}{suffix}",
        content_type=mimetypes.types_map.get(suffix, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
