from django.apps import AppConfig


class SentencesConfig(AppConfig):
    """Events (convictions), offences, sentences, requirements and licence conditions."""

    name = "sentences"
