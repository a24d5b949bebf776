"""Loads the real geography: 12 regions, 108 PDUs, 320 offices, 42 PCC areas."""

from typing import Any

from django.core.management.color import no_style
from django.db import migrations

from organisation.reference_data.loader import as_bool, rows


def load(apps: Any, schema_editor: Any) -> None:
    Region = apps.get_model("organisation", "Region")
    PccArea = apps.get_model("organisation", "PccArea")
    Pdu = apps.get_model("organisation", "Pdu")
    Office = apps.get_model("organisation", "Office")
    db = schema_editor.connection.alias

    Region.objects.using(db).bulk_create(
        Region(id=r["region_id"], provider_code=r["provider_code"], name=r["name"])
        for r in rows("regions.csv")
    )
    PccArea.objects.using(db).bulk_create(
        PccArea(id=r["pcc_area_id"], name=r["name"], region_id=r["region_id"])
        for r in rows("pcc_areas.csv")
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
    # Explicit ids were inserted: move PostgreSQL's sequences past them.
    connection = schema_editor.connection
    statements = connection.ops.sequence_reset_sql(no_style(), [Pdu, Office])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def unload(apps: Any, schema_editor: Any) -> None:
    for name in ("Office", "Pdu", "PccArea", "Region"):
        apps.get_model("organisation", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
