"""A user may hold several roles: one row per role held (issue 10, point 11)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="UserRole",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("PRACTITIONER", "Probation practitioner"),
                            ("SENIOR_PROBATION_OFFICER", "Senior probation officer"),
                            ("UNPAID_WORK", "Unpaid Work team member"),
                            ("TREATMENT_MANAGER", "Treatment manager"),
                            ("FACILITATOR", "Programme facilitator"),
                            ("PROGRAMME_COORDINATOR", "Programme coordinator"),
                            ("COMMISSIONER", "Commissioner"),
                            ("PROVIDER", "Provider user"),
                            ("COMMERCIAL", "Commercial and contract management"),
                            ("REGIONAL_DIRECTOR", "Regional Probation Director"),
                            ("NATIONAL_ANALYST", "National analyst"),
                            ("ADMINISTRATOR", "Administrator"),
                        ],
                        db_index=True,
                        max_length=32,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="role_grants",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["user", "role"],
                "constraints": [models.UniqueConstraint(fields=("user", "role"), name="user_role_held_once")],
            },
        ),
    ]
