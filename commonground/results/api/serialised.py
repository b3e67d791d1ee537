"""Read-only API bodies kept serialised in the "fragments" cache, under the results page's key.

The indicators list turns about 700 nested objects per request through ninja's schema
validation, and the progress API compiles two queries and builds 50 rows: most of their cost
per request, for bodies that change only when the partnership's results change
(benchmarks/README.md, "Per-request cost"). So their JSON is built once per state of the
partnership and kept, exactly as the results framework page's body is (`results/fragments.py`,
docs/decisions/0003-results-page-cache.md): the key is read from the database on every request
(`partnership_stamp`: the heads of the partnership's and the global audit chains and the
summaries' computed_at), before anything the body shows. There is no second invalidation
scheme, and nothing to forget on a write.

What is cached is what ninja itself produced: the body is built by the same schema, its
`model_dump` and the API's renderer (the old path; `tests/test_api_serialised.py` compares the
two byte for byte), only not on every request. The endpoints keep their declarations
(`partnership_operation`, the response schema, `@paginate`), so the access check runs first and
docs/openapi.json does not change. Nothing about the caller is in a body: both endpoints need
only Perm.VIEW and show every viewer the same thing.
"""

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from ninja.pagination import LimitOffsetPagination
from ninja.responses import NinjaJSONEncoder

from commonground.results.fragments import CACHE, LAYOUT, partnership_stamp

CONTENT_TYPE = "application/json; charset=utf-8"  # ninja's JSONRenderer, as the API sends it
# Set to False (tests only) to run the old path through ninja: the reference for byte identity.
ENABLED = True
_LIMITS = LimitOffsetPagination()


def dumps(data: Any) -> str:
    """JSON exactly as ninja's JSONRenderer writes it (the API sets no other renderer)."""
    return json.dumps(data, cls=NinjaJSONEncoder)


def api_key(name: str, partnership_id: int, *extra: object) -> str:
    """The cache key of an API body: the results page's stamp, the language (labels are
    translated) and whatever else the body depends on."""
    state = "|".join(
        [partnership_stamp(partnership_id), str(get_language()), LAYOUT, *map(str, extra)]
    )
    digest = hashlib.blake2b(state.encode(), digest_size=16).hexdigest()
    return f"api:{name}:{partnership_id}:{digest}"


def _cached(key: str, build: Callable[[], Any]) -> Any:
    cache = caches[CACHE]
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value)
    return value


def json_response(body: str) -> HttpResponse:
    return HttpResponse(body, content_type=CONTENT_TYPE)


def cached_body(
    name: str, build: Callable[[int], str], *, today: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """For an operation answering one JSON body per partnership: the body from the cache,
    built by `build(partnership_id)` (the old path's body, serialised) when it is not there.
    `today`: the body also depends on the date (expected values), so the date is in the key.
    Put it under `partnership_operation`, over the endpoint it replaces on the read path."""

    def decorator(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(endpoint)
        def operation(request: HttpRequest, **kwargs: Any) -> Any:
            if not ENABLED:
                return endpoint(request, **kwargs)
            partnership_id = kwargs["partnership_id"]
            extra = [timezone.localdate().isoformat()] if today else []
            key = api_key(name, partnership_id, *extra)  # read before the body is built
            return json_response(_cached(key, lambda: build(partnership_id)))

        return operation

    return decorator


def cached_page(
    name: str,
    build: Callable[[int], list[tuple[dict[str, Any], str]]],
    *,
    filters: tuple[str, ...] = (),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """For a list operation paginated with LimitOffsetPagination (keep `@paginate` under this):
    the partnership's whole list, in the queryset's order, each item serialised alone beside
    the values its filters compare, from the cache; filtered by the endpoint's `filters` (query
    parameters compared for equality when given), paged as LimitOffsetPagination pages, and
    joined into ninja's `{"items": [...], "count": n}`."""

    def decorator(paginated: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(paginated)
        def operation(request: HttpRequest, **kwargs: Any) -> Any:
            if not ENABLED:
                return paginated(request, **kwargs)
            seat = kwargs.pop("seat")
            pagination = kwargs.pop("ninja_pagination", None) or _LIMITS.Input()  # type: ignore[call-arg]  # as ninja
            key = api_key(name, seat.partnership_id)  # read before the list is built
            items = _cached(key, lambda: build(seat.partnership_id))
            if set(kwargs) - set(filters):  # a parameter this cache does not know: a bug here
                raise TypeError(f"{name}: unknown parameters {sorted(set(kwargs) - set(filters))}")
            given = {field: kwargs[field] for field in filters if kwargs.get(field) is not None}
            if given:
                items = [item for item in items if all(item[0][f] == v for f, v in given.items())]
            offset = pagination.offset
            limit = min(pagination.limit, _LIMITS.max_limit)
            page = ", ".join(text for _, text in items[offset : offset + limit])
            return json_response(f'{{"items": [{page}], "count": {len(items)}}}')

        return operation

    return decorator
