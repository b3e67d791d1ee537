"""JSON API of the reporting capability: updates."""

from ninja import Router

router = Router(tags=["reporting"])
