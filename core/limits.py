"""Input limits shared by models, forms and the API (ADR 0015).

Technical limits, not law: they keep one request from filling the database or a
page, and they are the same everywhere so a value the page accepts is a value
the API accepts. Upload allowances for supplier applications are policy values
(``core.policy``) because the framework team may change them.
"""

from __future__ import annotations

NOTES_MAX = 10_000
"""Free text a person writes at length: case notes, reasons, descriptions, reports."""

SHORT_TEXT_MAX = 200
"""One-line text: names, titles, references, places."""

JSON_STRING_MAX = NOTES_MAX
"""No string anywhere in an API body may be longer than the longest note."""

SMALL_INT_MAX = 32_767
"""The largest value every database holds in a ``PositiveSmallIntegerField``."""

INT_MAX = 2_147_483_647
"""The largest value every database holds in a ``PositiveIntegerField``."""

MAX_PAGE = 100_000
"""The highest page number a list answers; beyond it the offset would mean nothing."""

MAX_PAGE_SIZE = 1_000
"""The most items one page may be asked to hold."""

REQUEST_BODY_MAX_BYTES = 1024 * 1024
"""A request body without files (forms, JSON): 1 MB is far beyond any honest form."""

REQUEST_MAX_BYTES = 12 * 1024 * 1024
"""Any request at all, files included; refused with 413 before it is read."""


def contains_nul(text: str) -> bool:
    """PostgreSQL cannot store NUL in text, and no honest input contains one."""
    return "\x00" in text


def is_json_media(content_type: str | None) -> bool:
    """``application/json`` or a ``+json`` type (for example merge-patch), any parameters aside."""
    media = (content_type or "").split(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))
