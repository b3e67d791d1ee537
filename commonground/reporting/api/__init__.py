"""JSON API for reporting and communication: one router, registered in config/api.py, made of a
module per area."""

from ninja import Router

from commonground.reporting.api import exports, plan, reports, updates

router = Router()
for part in (reports, updates, plan, exports):
    router.add_router("", part.router)

__all__ = ["router"]
