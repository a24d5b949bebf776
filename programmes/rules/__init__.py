"""Pure rules of the programmes context (no Django, no database).

- ``pni``: the Programme Needs Identifier, re-exported here so ``rules.programme_needs``
  reads as before;
- ``catalogue``: session templates and the required delivery suite;
- ``referral``: what a referral may do next and the "cannot finish in time" flag;
- ``scheduling``: a group's sessions from its template, slots and bank holidays.
"""

from programmes.rules.pni import *  # noqa: F403 (the PNI's names are this package's public API)
from programmes.rules.pni import __all__ as _pni_all

__all__ = list(_pni_all)
