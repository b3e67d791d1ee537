"""JSON API of the reporting capability: plan."""

from ninja import Router

router = Router(tags=["reporting"])
