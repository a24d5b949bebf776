from typing import Any

from django.db import migrations

from commissioning.reference_data.loader import load_categories


def load(apps: Any, schema_editor: Any) -> None:
    load_categories(apps, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
