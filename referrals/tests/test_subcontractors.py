"""Provider staff see referrals by contract: the prime provider's staff, and the staff of
a subcontractor the contract names (as Refer and Monitor does); nobody else's."""

from __future__ import annotations

from typing import Any

import pytest

from commissioning.models import Supplier
from core.roles import Role
from organisation.tests.factories import ExternalOrganisationFactory
from referrals import selectors
from referrals.tests.factories import send

pytestmark = pytest.mark.django_db


def _subcontractor(world: dict[str, Any], make_user: Any) -> Any:
    organisation = ExternalOrganisationFactory(kind="PROVIDER")
    sub = Supplier.objects.create(code="SUBCO", name="Sub Co", organisation=organisation)
    world["contract"].subcontractors.add(sub)
    return make_user(Role.PROVIDER, organisation=organisation)


def test_a_named_subcontractors_staff_see_and_work_the_referral(
    world: dict[str, Any], make_user: Any, client_for: Any
) -> None:
    """Proved able to fail: removing the ``contract__subcontractors`` clause from
    ``referrals_visible_to`` hides the referral from the subcontractor and turns this red."""
    referral = send(world)
    staff = _subcontractor(world, make_user)
    assert list(selectors.referrals_visible_to(staff)) == [referral]
    client = client_for(staff)
    assert client.get(f"/api/v1/referrals/{referral.pk}").status_code == 200
    assert client.get(f"/referrals/{referral.pk}/").status_code == 200
    # The prime may make a subcontractor's member of staff the caseworker.
    response = client_for(world["caseworker"]).post(
        f"/api/v1/referrals/{referral.pk}/caseworker",
        {"caseworker_id": staff.pk, "version": referral.version},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["caseworker_id"] == staff.pk


def test_a_subcontractor_on_another_contract_sees_nothing(
    world: dict[str, Any], make_user: Any, client_for: Any
) -> None:
    referral = send(world)
    organisation = ExternalOrganisationFactory(kind="PROVIDER")
    Supplier.objects.create(code="ELSEWHERE", name="Elsewhere", organisation=organisation)
    outsider = make_user(Role.PROVIDER, organisation=organisation)
    assert not selectors.referrals_visible_to(outsider).exists()
    assert client_for(outsider).get(f"/api/v1/referrals/{referral.pk}").status_code == 404
    # Nor may the prime name them as caseworker: out of scope answers 404, like a read.
    response = client_for(world["caseworker"]).post(
        f"/api/v1/referrals/{referral.pk}/caseworker",
        {"caseworker_id": outsider.pk, "version": referral.version},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_one_referral_is_listed_once_when_several_subcontractors_are_named(
    world: dict[str, Any], make_user: Any
) -> None:
    send(world)
    staff = _subcontractor(world, make_user)
    world["contract"].subcontractors.add(
        Supplier.objects.create(code="SUB2", name="Sub 2", organisation=ExternalOrganisationFactory())
    )
    assert selectors.referrals_visible_to(staff).count() == 1
    assert selectors.referrals_visible_to(world["caseworker"]).count() == 1
