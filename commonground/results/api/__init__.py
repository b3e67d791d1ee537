"""JSON API for the results framework, reported results, their review and progress.

Thin: every write goes through the service the pages use; progress is read from the summaries the
services keep current, never recomputed per request. One router, registered in config/api.py,
made of a module per resource.
"""

from ninja import Router

from commonground.results.api import indicators, objectives, progress, results

router = Router()
for part in (objectives, indicators, results, progress):
    router.add_router("", part.router)

__all__ = ["router"]
