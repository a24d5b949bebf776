"""The programmes API: catalogue."""

from ninja import Router

router = Router(tags=["Programmes"])
