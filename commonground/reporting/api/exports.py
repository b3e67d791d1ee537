"""JSON API of the reporting capability: exports."""

from ninja import Router

router = Router(tags=["reporting"])
