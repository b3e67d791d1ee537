"""The words of an import's problems, put together when they are read rather than when the
file is checked: a large file is checked by the worker, in no one's language, and its problems
are kept on the job for the uploader to read in theirs (services.import_jobs keeps them in every
language). A problem's message is a lazy string; str() renders it in the active language.
"""

from collections.abc import Mapping

from django.utils.functional import Promise, lazy


def _render(message: str | Promise, params: Mapping[str, object]) -> str:
    return str(message) % {key: str(value) for key, value in params.items()}


_lazy_render = lazy(_render, str)


def words(template: str | Promise, /, **params: object) -> str:
    """`template` (a gettext_lazy text with %(name)s placeholders) filled with `params` (which
    may be lazy too), rendered in the language active when it is read. Typed as str: it is one
    wherever it is used."""
    return _lazy_render(template, params)
