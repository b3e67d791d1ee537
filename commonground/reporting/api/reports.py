"""JSON API of the reporting capability: reports."""

from ninja import Router

router = Router(tags=["reporting"])
