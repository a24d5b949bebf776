"""Reads the geography CSVs shipped in this folder (used by the data migration)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.color import no_style

HERE = Path(__file__).resolve().parent


def rows(name: str) -> Iterator[dict[str, str]]:
    with (HERE / name).open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def as_bool(value: str) -> bool:
    return value.strip().lower() == "true"


def load_geography(apps: Any, connection: Any) -> None:
    """Inserts regions, PCC areas, PDUs and offices with their reference ids.

    ``apps`` is a model registry (the migration's historical one, or the live one
    when tests reload data after a transactional test flushed the database).
    """
    Region = apps.get_model("organisation", "Region")
    PccArea = apps.get_model("organisation", "PccArea")
    Pdu = apps.get_model("organisation", "Pdu")
    Office = apps.get_model("organisation", "Office")
    db = connection.alias
    Region.objects.using(db).bulk_create(
        Region(id=r["region_id"], provider_code=r["provider_code"], name=r["name"])
        for r in rows("regions.csv")
    )
    PccArea.objects.using(db).bulk_create(
        PccArea(id=r["pcc_area_id"], name=r["name"], region_id=r["region_id"]) for r in rows("pcc_areas.csv")
    )
    Pdu.objects.using(db).bulk_create(
        Pdu(id=int(r["pdu_id"]), name=r["name"], region_id=r["region_id"]) for r in rows("pdus.csv")
    )
    Office.objects.using(db).bulk_create(
        Office(
            id=int(r["office_id"]),
            name=r["office_name"],
            address=r["address"],
            postcode=r["postcode"].strip().upper(),
            pdu_id=int(r["pdu_id"]),
            is_delivery_office=as_bool(r["is_delivery_office"]),
            is_reporting_office=as_bool(r["is_reporting_office"]),
        )
        for r in rows("offices.csv")
    )
    if any(field.name == "pcc_area" for field in Pdu._meta.get_fields()):
        link_pdus_to_pcc_areas(apps, connection)
    # Explicit ids were inserted: move PostgreSQL's sequences past them.
    statements = connection.ops.sequence_reset_sql(no_style(), [Pdu, Office])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def link_pdus_to_pcc_areas(apps: Any, connection: Any) -> None:
    """Each PDU's police force (PCC) area, from ``pdu_pcc_areas.csv``: every PDU lies
    within one force area, which is the geography PCC-level contracts are bought for."""
    Pdu = apps.get_model("organisation", "Pdu")
    for r in rows("pdu_pcc_areas.csv"):
        Pdu.objects.using(connection.alias).filter(pk=int(r["pdu_id"])).update(pcc_area_id=r["pcc_area_id"])
