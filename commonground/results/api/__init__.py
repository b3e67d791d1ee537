"""JSON API for the results framework, reported results, their review, progress and evaluation
sessions.

Thin: every write goes through the service the pages use; progress is read from the summaries the
services keep current, never recomputed per request. One router, registered in config/api.py,
made of a module per resource.
"""

from ninja import Router

from commonground.results.api import evaluations, indicators, objectives, progress, results

router = Router()
for part in (objectives, indicators, results, progress, evaluations):
    router.add_router("", part.router)

__all__ = ["router"]
