"""Default-deny declarations for views.

Every Django view says who may use it, with ``@public`` or ``@requires(cap)``.
``DefaultDenyMiddleware`` reads the declaration; an undeclared view is refused.
Object-level scope (which people a user may see) is decided separately, in
``core.scoping``; this module only answers "may this role use this page".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from core.roles import Capability

F = TypeVar("F", bound=Callable[..., Any])
_ATTR = "access_rule"


@dataclass(frozen=True)
class AccessRule:
    public: bool = False
    capability: Capability | None = None

    def allows(self, user: Any) -> bool:
        if self.public:
            return True
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return False
        if self.capability is None:
            return True  # any signed-in user, e.g. their own home page
        return bool(user.has_capability(self.capability))


def public(view: F) -> F:
    """Open to anyone, signed in or not (sign-in page, health check, statements)."""
    setattr(view, _ATTR, AccessRule(public=True))
    return view


def signed_in(view: F) -> F:
    """Any active signed-in user; the view itself must still scope what it shows."""
    setattr(view, _ATTR, AccessRule())
    return view


def requires(capability: Capability) -> Callable[[F], F]:
    """Only users whose role grants ``capability``; others get 404."""

    def decorate(view: F) -> F:
        setattr(view, _ATTR, AccessRule(capability=capability))
        return view

    return decorate


def access_rule_of(view: Callable[..., Any]) -> AccessRule | None:
    rule = getattr(view, _ATTR, None)
    if rule is None:
        view_class = getattr(view, "view_class", None)
        rule = getattr(view_class, _ATTR, None)
    return rule if isinstance(rule, AccessRule) else None
