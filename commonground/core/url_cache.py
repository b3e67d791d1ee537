"""`reverse` remembered per process for the links every page repeats.

A page builds 15 to 30 links with `{% url %}` (the header, the partnership's tabs, one per row),
each a walk of the URL resolver: about 0.1 ms apiece, 1 to 2.5 ms of a page's CPU
(benchmarks/README.md, "Per-request cost"). The URLconf does not change while a server runs,
so the same name and arguments give the same path: `cached_reverse` keeps the last few thousand.
Only plain `int` and `str` arguments are remembered (a model instance or a lazy string could
stand for something else next time); the key holds everything else `reverse` reads (the URLconf
in force, the script prefix, the language, the current app), and a change of ROOT_URLCONF (in
tests) empties it.
"""

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

# SafeString: a template's literal ('partnerships:detail') is one; it is a str with a mark.
_PLAIN = (int, str, SafeString)


def cached_reverse(
    viewname: str,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """What `reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)` gives."""
    kwargs = kwargs or {}
    if (
        type(viewname) in _PLAIN
        and all(type(arg) in _PLAIN for arg in args)
        and all(type(value) in _PLAIN for value in kwargs.values())
        and (current_app is None or type(current_app) in _PLAIN)
    ):
        return _reverse(
            viewname,
            tuple(args),
            tuple(sorted(kwargs.items())),
            current_app,
            get_urlconf(),
            get_script_prefix(),
            get_language(),
        )
    return reverse(viewname, args=list(args), kwargs=dict(kwargs), current_app=current_app)


@functools.lru_cache(maxsize=4096)
def _reverse(
    viewname: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
    urlconf: Any,
    prefix: str,
    language: str | None,
) -> str:
    # prefix and language are read by reverse itself; they are in the key, not passed on.
    return reverse(
        viewname, urlconf=urlconf, args=list(args), kwargs=dict(kwargs), current_app=current_app
    )


@receiver(setting_changed)
def _forget_on_urlconf_change(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
