"""Domain errors that services raise and both pages and the API translate.

``StaleRecord`` -> 409 "someone else changed this"; ``TransitionNotAllowed`` ->
409 "not allowed in this state". Field problems use Django's ``ValidationError``
so forms and the API can name the field.
"""


class StaleRecord(Exception):
    """The record changed since the user loaded it (optimistic concurrency)."""

    def __init__(
        self,
        message: str = "Someone else changed this record while you were editing it. Check the latest version and try again.",
    ) -> None:
        super().__init__(message)


class TransitionNotAllowed(Exception):
    """The requested change is not allowed from the record's current state."""
