"""Writes of the programmes context, one module per aggregate; each write is atomic,
takes a keyword-only ``acting_user``, guards, changes and audits in one transaction.

``needs`` keeps the person's PNI; the rest are imported by name from their module.
"""

from programmes.services.needs import pni_inputs_for, recalculate_pni

__all__ = ["pni_inputs_for", "recalculate_pni"]
