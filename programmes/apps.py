from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    """Accredited programmes: which programme pathway suits a person, and (to come) the
    referral to a programme, its assessment and its delivery.

    This first step is the stateless Programme Needs Identifier calculator
    (``programmes/rules.py``, ``POST /api/v1/calculations/pni``): it stores nothing, so the
    app has no models, services or reads yet. The rest of the context (models, services,
    selectors over referrals and the pages) arrives with the programme referral.
    """

    name = "programmes"
