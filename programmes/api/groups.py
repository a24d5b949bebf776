"""The programmes API: groups."""

from ninja import Router

router = Router(tags=["Programmes"])
