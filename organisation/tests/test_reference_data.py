from __future__ import annotations

import pytest

from organisation.models import UK_POSTCODE, Office, PccArea, Pdu, Region

pytestmark = pytest.mark.django_db


def test_the_real_geography_is_loaded() -> None:
    assert Region.objects.count() == 12
    assert Pdu.objects.count() == 108
    assert Office.objects.count() == 320
    assert PccArea.objects.count() == 42


def test_region_codes_match_ndelius() -> None:
    assert Region.objects.get(pk="J").provider_code == "N07"
    assert Region.objects.get(pk="D").name == "Wales"


@pytest.mark.parametrize(("region", "pdus"), [("J", 18), ("K", 5), ("L", 9), ("D", 6), ("A", 7)])
def test_pdus_per_region(region: str, pdus: int) -> None:
    assert Pdu.objects.filter(region_id=region).count() == pdus


def test_every_office_has_a_valid_postcode_and_a_pdu() -> None:
    for office in Office.objects.select_related("pdu"):
        UK_POSTCODE(office.postcode)
        assert office.pdu_id


def test_new_pdus_do_not_collide_with_loaded_ids() -> None:
    pdu = Pdu.objects.create(name="Brand new PDU", region_id="F")
    assert pdu.pk > 108


def test_every_pdu_lies_in_one_pcc_area_of_its_own_region() -> None:
    pdus = Pdu.objects.select_related("pcc_area")
    assert pdus.count() == 108
    assert all(p.pcc_area is not None and p.pcc_area.region_id == p.region_id for p in pdus)
    assert Pdu.objects.get(name="Nottingham City").pcc_area_id == "nottinghamshire"
    assert pdus.values("pcc_area").distinct().count() == 42  # every PCC area has a PDU
