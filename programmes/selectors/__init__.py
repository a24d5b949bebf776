"""Scoped reads of the programmes context, one module per aggregate. Every read of case
data resolves the person through ``people.selectors`` (404 out of scope, restricted cases
hidden from excluded staff)."""

from programmes.selectors.needs import latest_programme_needs_of, programme_needs_history_of

__all__ = ["latest_programme_needs_of", "programme_needs_history_of"]
