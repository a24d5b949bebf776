"""Loads the real geography: 12 regions, 108 PDUs, 320 offices, 42 PCC areas."""

from typing import Any

from django.db import migrations

from organisation.reference_data.loader import load_geography


def load(apps: Any, schema_editor: Any) -> None:
    load_geography(apps, schema_editor.connection)


def unload(apps: Any, schema_editor: Any) -> None:
    for name in ("Office", "Pdu", "PccArea", "Region"):
        apps.get_model("organisation", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
