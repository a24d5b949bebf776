"""User accounts.

A user is either a member of Probation Service staff (linked to a ``Staff``
record, which gives their team, PDU and region) or a person from an external
organisation (a provider, PCC, local authority or police force). Their role
decides what they may do (``core.roles``); their scope level decides how
much geography their case access covers (``core.scoping``).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

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
    capabilities_for,
)

ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]
SCOPE_CHOICES = [(level.value, SCOPE_LABELS[level]) for level in ScopeLevel]


class User(AbstractUser, VersionedModel):
    role = models.CharField(max_length=32, choices=ROLE_CHOICES)
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

    def clean(self) -> None:
        super().clean()
        if self.role in STAFF_ROLES and self.staff_id is None:
            raise ValidationError({"staff": "Choose the staff record for this user"})
        if self.role in EXTERNAL_ROLES and self.organisation_id is None:
            raise ValidationError({"organisation": "Choose the user's organisation"})

    def has_capability(self, capability: Capability) -> bool:
        return self.is_active and capability in capabilities_for(self.role)

    @property
    def role_enum(self) -> Role | None:
        try:
            return Role(self.role)
        except ValueError:
            return None


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
