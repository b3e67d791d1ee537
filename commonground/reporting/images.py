"""Images attached to progress updates: recognised by their content, not their name.

A file is accepted when its name ends like an image and its first bytes are those of a PNG,
JPEG, GIF or WebP; it is stored under a random name with the extension of what it really is
and served with that type, so a renamed HTML or SVG file never reaches a browser as a page.
"""

import secrets

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from commonground.core.validation import Errors

MAX_IMAGE_BYTES = 5 * 1024 * 1024
EXTENSIONS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".webp": "webp"}
CONTENT_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
STORED_EXTENSION = {"png": "png", "jpeg": "jpg", "gif": "gif", "webp": "webp"}


def sniff(head: bytes) -> str | None:
    """The image type the first bytes announce, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def check(upload: UploadedFile, errors: Errors, field: str = "image") -> str | None:
    """The upload's real image type, or None with the reason added to `errors`."""
    name = (upload.name or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in EXTENSIONS:
        errors.add(field, _("Attach a PNG, JPEG, GIF or WebP image."))
        return None
    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        errors.add(field, _("The image is larger than 5 MB."))
        return None
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        errors.add(field, _("The file is not a PNG, JPEG, GIF or WebP image."))
    return kind


def stored_name(kind: str) -> str:
    return f"{secrets.token_hex(12)}.{STORED_EXTENSION[kind]}"


def content_type(name: str) -> str:
    """The type to serve a stored image with (by the extension we gave it)."""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return CONTENT_TYPES.get(EXTENSIONS.get(suffix, ""), "application/octet-stream")
