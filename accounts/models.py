"""User accounts.

A user is either a member of Probation Service staff (linked to a ``Staff``
record, which gives their team, PDU and region) or a person from an external
organisation (a provider, PCC, local authority or police force). Their roles
(one or more, ``UserRole``) decide what they may do: the union of what each role
grants (``core.roles``). Their one scope level decides how much geography their
case access covers (``core.scoping``), whichever role they are working in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from accounts.constants import ThrottleScope
from core.locking import VersionedModel
from core.roles import (
    EXTERNAL_ROLES,
    ROLE_LABELS,
    SCOPE_LABELS,
    STAFF_ROLES,
    Capability,
    Role,
    ScopeLevel,
    as_roles,
    capabilities_for_roles,
    in_table_order,
    role_set_problem,
)

ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]
SCOPE_CHOICES = [(level.value, SCOPE_LABELS[level]) for level in ScopeLevel]


class User(AbstractUser, VersionedModel):
    scope_level = models.CharField(max_length=10, choices=SCOPE_CHOICES, default=ScopeLevel.NONE.value)
    staff = models.OneToOneField(
        "organisation.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="user",
    )
    organisation = models.ForeignKey(
        "organisation.ExternalOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    class Meta:
        ordering = ["username"]

    @property
    def roles(self) -> frozenset[Role]:
        """The roles this user holds, read once per instance (the signed-in user is loaded
        once per request, so a role change applies from the next request). Uses
        ``prefetch_related("role_grants")`` when a list prefetched them."""
        cached: frozenset[Role] | None = self.__dict__.get("_roles")
        if cached is None:
            cached = as_roles(grant.role for grant in self.role_grants.all()) if self.pk else frozenset()
            self.__dict__["_roles"] = cached
        return cached

    def forget_roles(self) -> None:
        """Drops the cached roles after ``role_grants`` changed."""
        self.__dict__.pop("_roles", None)

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        self.forget_roles()

    @property
    def role_labels(self) -> list[str]:
        return [ROLE_LABELS[role] for role in in_table_order(self.roles)]

    @property
    def roles_display(self) -> str:
        """The roles' labels in table order, for headers and lists."""
        return ", ".join(self.role_labels)

    def check_roles(self, roles: Iterable[Role | str]) -> None:
        """Refuses a set of roles this account cannot hold: none, staff mixed with external,
        a staff role without a staff record or an external role without an organisation."""
        held = as_roles(roles)
        problem = role_set_problem(held)
        if problem:
            raise ValidationError({"roles": problem})
        if held & STAFF_ROLES and self.staff_id is None:
            raise ValidationError({"staff": "Choose the staff record for this user"})
        if held & EXTERNAL_ROLES and self.organisation_id is None:
            raise ValidationError({"organisation": "Choose the user's organisation"})

    def has_capability(self, capability: Capability) -> bool:
        return self.is_active and capability in capabilities_for_roles(self.roles)


def holding(*roles: Role | str) -> Q:
    """Users holding any of these roles, as a filter (a subquery, so a user holding two
    of them still appears once)."""
    return Q(pk__in=UserRole.objects.filter(role__in=roles).values("user_id"))


class UserRole(models.Model):
    """One role one user holds.

    A table rather than a list in a column: "who holds this role" is an indexed query
    on SQLite and PostgreSQL alike (JSON containment is not available on SQLite), and
    the unique constraint means a role cannot be held twice. What each role allows
    stays in ``core.roles``; this table only says who holds which.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=ROLE_CHOICES, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_held_once")]
        ordering = ["user", "role"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.role}"


class SignInThrottle(models.Model):
    """Consecutive failed sign-ins for one scope, and until when attempts are refused (ADR 12).

    A table of its own rather than a count of audit rows, so throttling needs no
    extra server and repeated refusals cost an update, not an audit row each.
    Rows are forgotten (deleted) once ``forget_after`` has passed.
    """

    scope = models.CharField(max_length=10, choices=ThrottleScope.choices)
    # The username (case-folded), the address, or "username|address" for a pair.
    key = models.CharField(max_length=200)
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField()
    last_failure_at = models.DateTimeField()
    refused_until = models.DateTimeField(null=True, blank=True)
    # Attempts refused in the current burst; summarised in one audit row when it ends.
    refused_attempts = models.PositiveIntegerField(default=0)
    burst_started_at = models.DateTimeField(null=True, blank=True)
    forget_after = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="sign_in_throttle_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}: {self.failures} failures"
