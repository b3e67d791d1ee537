"""Reads for accounts and the organisation registry."""

import difflib
import hashlib

from django.db.models import Q, QuerySet
from django.utils import timezone

from commonground.accounts.models import ApiToken, Organisation, User, normalise_name

SIMILARITY_THRESHOLD = 0.85


def organisation_search(*, query: str = "") -> QuerySet[Organisation]:
    """Registry search by name, identifier or website, for any signed-in user."""
    organisations = Organisation.objects.all()
    query = query.strip()
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query)
            | Q(normalised_name__contains=normalise_name(query))
            | Q(identifier__iexact=query)
            | Q(website__icontains=query)
        )
    return organisations.order_by("name")


def organisations_similar_to(name: str, *, exclude_id: int | None = None) -> list[Organisation]:
    """Organisations whose name nearly matches `name` (case, accents, punctuation, legal
    suffixes and small typos ignored), closest first."""
    wanted = normalise_name(name)
    if not wanted:
        return []
    candidates = Organisation.objects.values_list("id", "normalised_name")
    if exclude_id is not None:
        candidates = candidates.exclude(id=exclude_id)
    scored: list[tuple[float, int]] = []
    for org_id, existing in candidates.iterator(chunk_size=2000):
        if existing == wanted:
            scored.append((1.0, org_id))
            continue
        matcher = difflib.SequenceMatcher(None, wanted, existing)
        if matcher.real_quick_ratio() < SIMILARITY_THRESHOLD:
            continue
        ratio = matcher.ratio()
        if ratio >= SIMILARITY_THRESHOLD:
            scored.append((ratio, org_id))
    scored.sort(reverse=True)
    by_id = Organisation.objects.in_bulk([org_id for _, org_id in scored[:5]])
    return [by_id[org_id] for _, org_id in scored[:5] if org_id in by_id]


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def user_for_api_token(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None; notes when it was last used."""
    if not raw.startswith("cg_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
