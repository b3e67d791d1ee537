"""Writes for progress updates and their comments.

An update's body is Markdown; its sanitised HTML (reporting.markdown) is stored with it at write
time. An update may carry one image, recognised by its content (reporting.images), and then
needs alt text. Coordinators and partners post; the author edits their own update, coordinators
and editors any (MANAGE_REPORTING). Everyone with a seat comments or asks a question, and the
update's author is notified.
"""

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.accounts.models import User
from commonground.core.audit import diff, record_event
from commonground.core.concurrency import bump_version
from commonground.core.validation import Errors, choice, text
from commonground.notifications.services.notify import notify
from commonground.partnerships.access import can
from commonground.partnerships.models import Seat
from commonground.reporting import images, markdown
from commonground.reporting.access import ReportingPerm
from commonground.reporting.models import ProgressUpdate, UpdateComment, Visibility

MAX_BODY = 20_000
MAX_SECTION = 5_000
MAX_COMMENT = 5_000
EDITABLE = ("title", "body", "achievements", "challenges", "visibility", "image_alt")


def may_post(seat: Seat) -> bool:
    return can(seat, ReportingPerm.POST_UPDATES)


def may_edit(seat: Seat, update: ProgressUpdate) -> bool:
    """The author (while they may still post) or a coordinator or editor of its partnership."""
    return (
        seat.partnership_id == update.partnership_id
        and can(seat, ReportingPerm.POST_UPDATES)
        and (update.author_id == seat.user_id or can(seat, ReportingPerm.MANAGE_REPORTING))
    )


def require_edit(seat: Seat, update: ProgressUpdate) -> None:
    """403 unless the seat may change the update (may_edit); update_edit calls it, and the
    edit page before it shows the form."""
    if not may_edit(seat, update):
        raise PermissionDenied(_("Only its author, a coordinator or an editor can change this."))


def one_line(value: str) -> str:
    """Text for an e-mail subject or a title: no line breaks, runs of spaces collapsed."""
    return re.sub(r"\s+", " ", value).strip()


def _clean(
    data: dict[str, Any], errors: Errors, *, image: UploadedFile | None, has_image: bool
) -> dict[str, Any]:
    clean: dict[str, Any] = {
        "title": one_line(
            text(data, "title", errors, required=True, max_length=200, label=_("a title"))
        ),
        "body": text(data, "body", errors, required=True, max_length=MAX_BODY, label=_("the text")),
        "achievements": text(data, "achievements", errors, max_length=MAX_SECTION),
        "challenges": text(data, "challenges", errors, max_length=MAX_SECTION),
        "visibility": choice(
            data.get("visibility"), "visibility", errors, Visibility, Visibility.INTERNAL
        ),
        "image_alt": one_line(text(data, "image_alt", errors, max_length=250)),
    }
    kind = images.check(image, errors) if image is not None else None
    if image is None and not has_image:
        clean["image_alt"] = ""  # alt text describes an image; without one it means nothing
    elif not clean["image_alt"]:
        errors.add(
            "image_alt", _("Describe the image for people who cannot see it (its alt text).")
        )
    clean["image_kind"] = kind
    return clean


def _save_image(update: ProgressUpdate, upload: UploadedFile, kind: str) -> None:
    update.image.save(images.stored_name(kind), upload, save=False)
    ProgressUpdate.objects.filter(pk=update.pk).update(image=update.image.name)


def _drop_file_on_commit(name: str) -> None:
    if name:
        storage = ProgressUpdate._meta.get_field("image").storage
        transaction.on_commit(lambda: storage.delete(name))


def _snapshot(update: ProgressUpdate) -> dict[str, Any]:
    return {**{field: getattr(update, field) for field in EDITABLE}, "image": update.image.name}


@transaction.atomic
def update_create(
    *, actor: User, seat: Seat, data: dict[str, Any], image: UploadedFile | None = None
) -> ProgressUpdate:
    """Post a progress update for the seat's partnership, on behalf of the seat's partner."""
    if not may_post(seat):
        raise PermissionDenied(_("Your role cannot post updates."))
    errors = Errors()
    clean = _clean(data, errors, image=image, has_image=False)
    errors.raise_if_any(_("Some details of the update need correcting."))
    kind = clean.pop("image_kind")
    update = ProgressUpdate.objects.create(
        partnership_id=seat.partnership_id,
        author=actor,
        partner_id=seat.partner_id,
        body_html=markdown.render(clean["body"]),
        **clean,
    )
    if image is not None and kind is not None:
        _save_image(update, image, kind)
    record_event(
        actor=actor,
        action="update.create",
        obj=update,
        partnership_id=update.partnership_id,
        changes=diff({}, _snapshot(update)),
    )
    return update


@transaction.atomic
def update_edit(
    *,
    actor: User,
    seat: Seat,
    update: ProgressUpdate,
    data: dict[str, Any],
    expected_version: int | None,
    image: UploadedFile | None = None,
    remove_image: bool = False,
) -> ProgressUpdate:
    """Change an update (its author, or a coordinator or editor), refusing a stale version.
    A new image replaces the old one; `remove_image` takes it off."""
    require_edit(seat, update)
    errors = Errors()
    keeps_image = bool(update.image) and not remove_image
    clean = _clean(data, errors, image=image, has_image=keeps_image)
    errors.raise_if_any(_("Some details of the update need correcting."))
    kind = clean.pop("image_kind")
    before = _snapshot(update)
    old_image = update.image.name or ""
    changes: dict[str, Any] = {
        **clean,
        "body_html": markdown.render(clean["body"]),
        "updated_at": timezone.now(),
    }
    if remove_image and image is None:
        changes["image"] = ""
    bump_version(update, expected_version, **changes)
    if image is not None and kind is not None:
        _save_image(update, image, kind)
    if old_image and update.image.name != old_image:
        _drop_file_on_commit(old_image)
    record_event(
        actor=actor,
        action="update.edit",
        obj=update,
        partnership_id=update.partnership_id,
        changes=diff(before, _snapshot(update)),
    )
    return update


def _display(user: User) -> str:
    return user.full_name or user.email


# (subject, body) of the message to an update's author, by whether the comment is a question;
# written in the author's language.
COMMENT_WORDING = {
    True: (
        gettext_lazy("{name} asked a question about your update “{title}”"),
        gettext_lazy("{name} asked a question about “{title}”:\n\n{comment}"),
    ),
    False: (
        gettext_lazy("{name} commented on your update “{title}”"),
        gettext_lazy("{name} commented on “{title}”:\n\n{comment}"),
    ),
}


@transaction.atomic
def update_comment(
    *, actor: User, seat: Seat, update: ProgressUpdate, data: dict[str, Any]
) -> UpdateComment:
    """Comment on an update or ask a question about it; its author is notified (in the app and
    by e-mail) unless they wrote the comment themselves."""
    if seat.partnership_id != update.partnership_id or not can(seat, ReportingPerm.COMMENT):
        raise PermissionDenied(_("Your role cannot comment on updates."))
    errors = Errors()
    body = text(
        data, "body", errors, required=True, max_length=MAX_COMMENT, label=_("your comment")
    )
    errors.raise_if_any(_("The comment needs correcting."))
    comment = UpdateComment.objects.create(
        partnership_id=update.partnership_id,
        update=update,
        author=actor,
        body=body,
        is_question=bool(data.get("is_question")),
    )
    record_event(
        actor=actor,
        action="update.question" if comment.is_question else "update.comment",
        obj=update,
        partnership_id=update.partnership_id,
        changes={"comment": [None, comment.body], "is_question": [None, comment.is_question]},
    )
    author = update.author
    if author.pk != actor.pk:
        subject, said = COMMENT_WORDING[comment.is_question]
        words = {"name": _display(actor), "title": one_line(update.title)}
        link = reverse("reporting:update", args=[update.partnership_id, update.pk])
        notify(
            user=author,
            kind="update_question" if comment.is_question else "update_comment",
            key=f"update-comment:{comment.pk}:{author.pk}",
            subject=format_lazy(subject, **words),
            body=format_lazy(said, **words, comment=comment.body),
            link=f"{link}#comment-{comment.pk}",
            partnership_id=update.partnership_id,
        )
    return comment
