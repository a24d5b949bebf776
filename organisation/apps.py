from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    """Geography (regions, PDUs, offices, PCC areas), teams, staff and external organisations."""

    name = "organisation"
