"""The single role column is gone: ``UserRole`` holds every role a user has.

The column is first given a default so that reversing (which adds it back before
0006 fills it in again) can add a NOT NULL column to a table that already has rows.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_roles_from_the_role_column"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
        migrations.RemoveField(
            model_name="user",
            name="role",
        ),
    ]
