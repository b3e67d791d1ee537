"""JSON API of the reporting capability: notifications."""

from ninja import Router

router = Router(tags=["reporting"])
