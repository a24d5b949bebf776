"""Each user's single role becomes their first held role; the old Programmes role
becomes Programme facilitator, the job most Programmes staff did (treatment managers
and coordinators are given their role by an administrator afterwards).

Written with the historical models and literal values: a migration must keep meaning
what it meant when it was written, whatever ``core.roles`` later says.
"""

from typing import Any

from django.db import migrations

OLD_PROGRAMMES = "PROGRAMMES"
FACILITATOR = "FACILITATOR"
PROGRAMME_ROLES = ("TREATMENT_MANAGER", "FACILITATOR", "PROGRAMME_COORDINATOR")
# Reversing keeps one role per user; the first in this order wins (the old table's order).
OLD_ORDER = (
    "PRACTITIONER",
    "SENIOR_PROBATION_OFFICER",
    "UNPAID_WORK",
    "TREATMENT_MANAGER",
    "FACILITATOR",
    "PROGRAMME_COORDINATOR",
    "COMMISSIONER",
    "PROVIDER",
    "COMMERCIAL",
    "REGIONAL_DIRECTOR",
    "NATIONAL_ANALYST",
    "ADMINISTRATOR",
)


def copy_roles(apps: Any, schema_editor: Any) -> None:
    user_model = apps.get_model("accounts", "User")
    user_role = apps.get_model("accounts", "UserRole")
    grants = [
        user_role(user_id=pk, role=FACILITATOR if role == OLD_PROGRAMMES else role)
        for pk, role in user_model.objects.exclude(role="").values_list("pk", "role").iterator()
    ]
    user_role.objects.bulk_create(grants, batch_size=1000)


def restore_role_column(apps: Any, schema_editor: Any) -> None:
    user_model = apps.get_model("accounts", "User")
    user_role = apps.get_model("accounts", "UserRole")
    held: dict[int, list[str]] = {}
    for user_id, role in user_role.objects.values_list("user_id", "role").iterator():
        held.setdefault(user_id, []).append(role)
    for user_id, roles in held.items():
        first = min(roles, key=lambda r: OLD_ORDER.index(r) if r in OLD_ORDER else len(OLD_ORDER))
        user_model.objects.filter(pk=user_id).update(
            role=OLD_PROGRAMMES if first in PROGRAMME_ROLES else first
        )
    user_role.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_roles"),
    ]

    operations = [migrations.RunPython(copy_roles, restore_role_column)]
