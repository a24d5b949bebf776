"""The programmes API: referrals."""

from ninja import Router

router = Router(tags=["Programmes"])
