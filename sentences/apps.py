from django.apps import AppConfig


class SentencesConfig(AppConfig):
    """Events (convictions), offences, sentences, requirements and licence conditions."""

    name = "sentences"

    def ready(self) -> None:
        # Imported here, not at the top: the module reads models, which are not
        # loaded when Django imports this AppConfig. Not a cycle: nothing imports back.
        from sentences import case_view  # noqa: PLC0415

        case_view.register()
