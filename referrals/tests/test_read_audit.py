"""A provider's and a practitioner's reads of a referral are audited under the person's CRN."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import AuditEvent
from referrals.tests.factories import send

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reader", ["caseworker", "practitioner"])
def test_reading_a_referral_is_audited_page_and_api(
    world: dict[str, Any], client_for: Any, reader: str
) -> None:
    """Proved able to fail: removing the ``record_read`` call from ``referrals.views.referral_detail``
    turns both cases red (no row written)."""
    referral = send(world)
    user = world[reader]
    for url in (f"/referrals/{referral.pk}/", f"/api/v1/referrals/{referral.pk}"):
        before = AuditEvent.objects.count()
        assert client_for(user).get(url).status_code == 200
        assert AuditEvent.objects.count() == before + 1
        row = AuditEvent.objects.filter(actor=user).order_by("-id").first()
        assert row is not None and row.object_id == world["person"].crn
        assert row.changes == {"read": "referral", "record": f"referrals.referral:{referral.pk}"}
