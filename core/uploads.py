"""Uploaded files: the type is read from the bytes, never from what the sender declares.

A browser (or an attacker) declares whatever Content-Type and file name it likes; a
file called ``accounts.pdf`` declared ``application/pdf`` can be an HTML page that
runs script when an assessor opens it. So the stored type comes from the file's own
signature (``filetype``), only documents and images an assessor needs are accepted,
markup (HTML, SVG, XML) is refused even when it passes as text, and the stored name
is rebuilt from a sanitised stem and the detected type's extension.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import filetype  # type: ignore[import-untyped]
from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename

FILENAME_MAX = 100
"""Longest stored file name, extension included."""


@dataclass(frozen=True)
class Kind:
    mime: str
    extension: str


ALLOWED: dict[str, Kind] = {
    kind.mime: kind
    for kind in (
        Kind("application/pdf", "pdf"),
        Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        Kind("application/vnd.oasis.opendocument.text", "odt"),
        Kind("application/vnd.oasis.opendocument.spreadsheet", "ods"),
        Kind("image/png", "png"),
        Kind("image/jpeg", "jpg"),
    )
}
PLAIN_TEXT = Kind("text/plain", "txt")
ALLOWED_DESCRIPTION = (
    "a PDF, Word, Excel or OpenDocument file, a PNG or JPEG image, or plain text (CSV included)"
)

# Anything that looks like a tag (``<html``, ``<svg``, ``<img``, ``<!--``, ``<?xml``, ``</``):
# a browser could render it as a page or an image with script in it. Honest text
# ("under <5 hours") has no tags, so plain text with one is refused rather than guessed at.
_MARKUP = re.compile(rb"<[A-Za-z!?/]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _plain_text(data: bytes) -> bool:
    """UTF-8 text with no control characters and no markup: safe to keep as text/plain."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not _CONTROL.search(text) and not _MARKUP.search(data)


def detect(data: bytes) -> Kind | None:
    """The file's real kind from its bytes, or None when it is not one we accept."""
    guessed = filetype.guess(data)
    if guessed is not None:
        return ALLOWED.get(guessed.mime)
    return PLAIN_TEXT if data and _plain_text(data) else None


def safe_filename(name: str, kind: Kind) -> str:
    """A name safe to store and to offer for download: no directories, no odd characters,
    bounded length, and the extension of the detected kind (never the declared one)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    try:
        cleaned = get_valid_filename(stem.strip(". "))
    except SuspiciousFileOperation:  # nothing usable left of the name
        cleaned = "document"
    cleaned = cleaned.strip(".-") or "document"
    room = FILENAME_MAX - len(kind.extension) - 1
    return f"{cleaned[:room]}.{kind.extension}"
