"""Reads for accounts and the organisation registry."""

import difflib
import hashlib

from django.db.models import Q, QuerySet
from django.utils import timezone

from commonground.accounts.models import ApiToken, Organisation, User, normalise_name
from commonground.core.row_reader import RowReader

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
    found = _TOKEN.read([hash_token(raw)])  # at most one: token_hash is unique
    if found is None:
        return None
    token, user = found
    assert isinstance(token, ApiToken) and isinstance(user, User)
    token.user = user
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user


# Every API call with a token reads it first. Through the ORM (select_related, filter, the
# model's ordering) that was 1.5 ms of the 2.5 ms /api/v1/me took in the server process, the
# statement itself 0.2 ms in PostgreSQL (benchmarks/README.md, "Per-request cost").
_TOKEN = RowReader(
    [(ApiToken, "t"), (User, "u")],
    lambda n: (
        f"FROM {n.table(ApiToken)} t "
        f"INNER JOIN {n.table(User)} u "
        f"ON u.{n.column(User, 'id')} = t.{n.column(ApiToken, 'user')} "
        f"WHERE t.{n.column(ApiToken, 'token_hash')} = %s "
        f"AND t.{n.column(ApiToken, 'revoked_at')} IS NULL AND u.{n.column(User, 'is_active')}"
    ),
)


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
