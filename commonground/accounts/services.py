"""Writes for accounts, API tokens and the organisation registry. Each records an audit event."""

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import ApiToken, Organisation, User, normalise_name
from commonground.accounts.selectors import hash_token, organisations_similar_to
from commonground.core.audit import diff, record_event
from commonground.core.codelists import organisation_types
from commonground.core.concurrency import bump_version
from commonground.core.errors import Conflict, InvalidInput

ORGANISATION_FIELDS = ("name", "org_type", "country", "website", "identifier")


def _clean_organisation(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned = {key: (data.get(key) or "").strip() for key in ORGANISATION_FIELDS}
    for key, value in cleaned.items():
        if "\x00" in value:
            # PostgreSQL refuses NUL in text: a clear 400, not a 500 from the database.
            errors[key] = [_("Remove the null character (U+0000).")]
    if not cleaned["name"]:
        errors["name"] = [_("Give the organisation's name.")]
    elif len(cleaned["name"]) > 200:
        errors["name"] = [_("Keep the name to 200 characters.")]
    if cleaned["org_type"] not in {code for code, _ in organisation_types()}:
        errors["org_type"] = [_("Choose a sector from the IATI organisation types.")]
    cleaned["country"] = cleaned["country"].upper()
    if cleaned["country"] and not (len(cleaned["country"]) == 2 and cleaned["country"].isalpha()):
        errors["country"] = [_("Use the two-letter ISO country code, for example NL or KE.")]
    if cleaned["website"]:
        try:
            URLValidator(schemes=["http", "https"])(cleaned["website"])
        except ValidationError:
            errors["website"] = [_("Give a full web address starting with https://.")]
    if len(cleaned["identifier"]) > 100:
        errors["identifier"] = [_("Keep the identifier to 100 characters.")]
    if errors:
        raise InvalidInput(_("Some organisation details need correcting."), fields=errors)
    return cleaned


def _check_identifier_free(identifier: str, exclude_id: int | None = None) -> None:
    if not identifier:
        return
    taken = Organisation.objects.filter(identifier=identifier)
    if exclude_id is not None:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        message = _("%(organisation)s already has the identifier %(identifier)s.") % {
            "organisation": taken.first(),
            "identifier": identifier,
        }
        raise Conflict(message, fields={"identifier": [message]}, code="duplicate_identifier")


@transaction.atomic
def organisation_create(
    *, actor: User, data: dict[str, Any], confirm_new: bool = False
) -> Organisation:
    """Add an organisation to the registry; refuse a near-duplicate name unless confirmed."""
    cleaned = _clean_organisation(data)
    _check_identifier_free(cleaned["identifier"])
    if not confirm_new:
        similar = organisations_similar_to(cleaned["name"])
        if similar:
            names = ", ".join(f"{org.name} (#{org.pk})" for org in similar)
            raise Conflict(
                _(
                    "The registry already has a similar organisation: %(names)s. Use the "
                    "existing one, or confirm that this is a different organisation."
                )
                % {"names": names},
                fields={"name": [_("Similar to %(names)s.") % {"names": names}]},
                code="similar_organisation",
            )
    organisation = Organisation.objects.create(
        **cleaned, normalised_name=normalise_name(cleaned["name"])
    )
    record_event(
        actor=actor,
        action="organisation.create",
        obj=organisation,
        changes={key: [None, value] for key, value in cleaned.items() if value},
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: User, organisation: Organisation, data: dict[str, Any], version: int | None
) -> Organisation:
    """Change an organisation's details (optimistic concurrency on `version`)."""
    merged = {key: data.get(key, getattr(organisation, key)) for key in ORGANISATION_FIELDS}
    cleaned = _clean_organisation(merged)
    _check_identifier_free(cleaned["identifier"], exclude_id=organisation.pk)
    before = {key: getattr(organisation, key) for key in ORGANISATION_FIELDS}
    changes = diff(before, cleaned)
    bump_version(organisation, version, normalised_name=normalise_name(cleaned["name"]), **cleaned)
    if changes:
        record_event(actor=actor, action="organisation.update", obj=organisation, changes=changes)
    return organisation


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Keep the person's interface language (and the language of their e-mails)."""
    from django.conf import settings

    if language not in {code for code, _ in settings.LANGUAGES}:
        message = _("Choose a language.")
        raise InvalidInput(message, fields={"language": [message]})
    if user.language != language:
        before = user.language
        user.language = language
        user.save(update_fields=["language"])
        record_event(
            actor=user, action="user.language", obj=user, changes={"language": [before, language]}
        )
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal API token; the secret is returned once and only its hash is stored."""
    name = name.strip()
    if not name:
        message = _("Name the token.")
        raise InvalidInput(message, fields={"name": [message]})
    if len(name) > 100:
        raise InvalidInput(
            _("Keep the name short."), fields={"name": [_("Keep it to 100 characters.")]}
        )
    secret = f"cg_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:10], token_hash=hash_token(secret)
    )
    record_event(actor=user, action="api_token.create", obj=token, changes={"name": [None, name]})
    return token, secret


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> None:
    """Revoke one of the user's own tokens; it stops working at once."""
    if token.user_id != user.pk:
        raise InvalidInput(_("That is not your token."))
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(
        actor=user,
        action="api_token.revoke",
        obj=token,
        changes={"revoked_at": [None, token.revoked_at]},
    )
