"""The programmes context's API, one router per aggregate, mounted under /api/v1."""

from ninja import Router

from programmes.api import catalogue, group_sessions, groups, performance, pni, referrals

router = Router()
router.add_router("", pni.router)
router.add_router("", catalogue.router)
router.add_router("", referrals.router)
router.add_router("", groups.router)
router.add_router("", group_sessions.router)
router.add_router("", performance.router)
