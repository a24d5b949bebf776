from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    """Accredited programmes: which programme pathway suits a person, and (to come) the
    referral to a programme, its assessment and its delivery.

    Today: the stateless Programme Needs Identifier calculator (``programmes/rules.py``,
    ``POST /api/v1/calculations/pni``) and the person's own PNI, kept like the tier: risk
    publishes ``RiskAssessmentRecorded`` and programmes recalculates, stores the history
    (``ProgrammeNeeds``), shows it on the overview and answers it in the API.
    """

    name = "programmes"

    def ready(self) -> None:
        # Imported here, not at the top: the modules read models, which are not loaded
        # when Django imports this AppConfig. Not a cycle: nothing imports back.
        from programmes import case_view, handlers  # noqa: PLC0415

        case_view.register()
        handlers.register()
