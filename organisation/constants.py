"""Choices for the organisation context, each value described (our glossary in code)."""

from django.db import models


class Grade(models.TextChoices):
    """Staff grades in the Probation Service."""

    PO = "PO", "Probation officer"
    PQIP = "PQIP", "Professional Qualification in Probation learner (PQiP)"
    PSO = "PSO", "Probation services officer"
    SPO = "SPO", "Senior probation officer"
    TREATMENT_MANAGER = "TREATMENT_MANAGER", "Treatment manager"
    FACILITATOR = "FACILITATOR", "Programme facilitator"
    UPW_SUPERVISOR = "UPW_SUPERVISOR", "Unpaid Work supervisor"
    PLACEMENT_COORDINATOR = "PLACEMENT_COORDINATOR", "Placement coordinator"
    CASE_ADMINISTRATOR = "CASE_ADMINISTRATOR", "Case administrator"
    HEAD_OF_PDU = "HEAD_OF_PDU", "Head of Probation Delivery Unit"
    REGIONAL_DIRECTOR = "REGIONAL_DIRECTOR", "Regional Probation Director"
    ANALYST = "ANALYST", "Performance analyst"
    COMMERCIAL_MANAGER = "COMMERCIAL_MANAGER", "Commercial and contract manager"
    ADMINISTRATOR = "ADMINISTRATOR", "System administrator"


class OrganisationKind(models.TextChoices):
    """Organisations outside the Probation Service whose staff use the platform."""

    PROVIDER = "PROVIDER", "Contracted provider of commissioned services"
    PCC = "PCC", "Police and Crime Commissioner's office"
    LOCAL_AUTHORITY = "LOCAL_AUTHORITY", "Local authority"
    POLICE = "POLICE", "Police force"
    HMPPS_REGION = "HMPPS_REGION", "HMPPS regional commissioning team"


# Standard full-time contracted hours for probation staff (37 hours a week), used to
# validate contracted hours on staff records; part-time is anything below.
FULL_TIME_WEEKLY_HOURS = 37
