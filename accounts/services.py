"""Sign-in, sign-out and sign-in throttling, each audited.

Throttling counts failures per username-and-address, per address and (with a
much higher limit) per username, in ``accounts.SignInThrottle`` (ADR 12), so
wrong passwords from one place never lock the real user out everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts import throttle
from accounts.models import User, UserRole
from audit import services as audit
from audit.constants import AuditAction
from core import request_context
from core.locking import lock_at_version
from core.roles import Role, default_scope_for_roles, in_table_order


class LockedOut(Exception):
    """Too many failed sign-ins from here or for this username; try again after ``refused_until``."""

    def __init__(self, refused_until: datetime) -> None:
        super().__init__(f"Sign-in refused until {refused_until.isoformat()}")
        self.refused_until = refused_until


def attempt_sign_in(request: HttpRequest, *, username: str, password: str) -> Any | None:
    """Returns the signed-in user, None for bad credentials; raises LockedOut.

    A refused attempt never checks the password, so guessing gains nothing while
    refused. The password check runs outside any transaction (it is slow by design).
    """
    username = username.strip()[:150]
    address = request_context.current().ip_address
    now = timezone.now()
    if throttle.refused_until(username, address, now) is not None:
        until = throttle.record_refusal(username, address, now)
        if until is not None:
            raise LockedOut(until)
    user = authenticate(request, username=username, password=password)
    if user is None:
        with transaction.atomic():
            audit.record(AuditAction.SIGN_IN_FAILED, actor=None, actor_username=username)
            throttle.record_failure(username, address, timezone.now())
        return None
    with transaction.atomic():
        login(request, user)
        throttle.record_success(username, address, timezone.now())
        audit.record(AuditAction.SIGN_IN, actor=user)
    return user


def sign_out(request: HttpRequest) -> None:
    if request.user.is_authenticated:
        with transaction.atomic():
            audit.record(AuditAction.SIGN_OUT, actor=request.user)
            logout(request)


def _grant_roles(user: User, roles: Iterable[Role]) -> None:
    """Makes ``user``'s held roles exactly ``roles`` (adding and removing rows only)."""
    wanted = {role.value for role in roles}
    held = set(user.role_grants.values_list("role", flat=True))
    user.role_grants.exclude(role__in=wanted).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in sorted(wanted - held)])
    user.forget_roles()


def _role_values(roles: Iterable[Role | str]) -> list[str]:
    """Roles as the audit trail records them: values, in the table's order."""
    return [role.value for role in in_table_order(roles)]


@transaction.atomic
def create_user(
    *,
    acting_user: Any,
    username: str,
    password: str,
    roles: Iterable[Role | str],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    scope_level: str | None = None,
    staff: Any = None,
    organisation: Any = None,
) -> User:
    """Creates an account holding ``roles``, validated against the password policy.

    Without a chosen scope the account gets the widest usual scope of its roles, so a
    second role never leaves the first without the access its work needs."""
    held = in_table_order(roles)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        scope_level=str(scope_level or default_scope_for_roles(held)),
        staff=staff,
        organisation=organisation,
    )
    user.check_roles(held)
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    _grant_roles(user, held)
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=user,
        changes={
            "username": [None, username],
            "roles": [None, _role_values(held)],
            "scope_level": [None, user.scope_level],
        },
    )
    return user


@transaction.atomic
def change_user_access(
    *,
    acting_user: Any,
    user_id: int,
    roles: Iterable[Role | str],
    scope_level: str,
    is_active: bool,
    expected_version: int,
) -> User:
    """Changes a user's roles, scope or whether they can sign in; audited field by field,
    the roles as the whole set before and after."""
    user = lock_at_version(User, user_id, expected_version)
    new_roles = _role_values(roles)
    before = {"roles": _role_values(user.roles), "scope_level": user.scope_level, "is_active": user.is_active}
    after = {"roles": new_roles, "scope_level": scope_level, "is_active": is_active}
    changes = audit.diff(before, after)
    if user.pk == getattr(acting_user, "pk", None) and changes:
        # Separation of duties: nobody raises their own access; another administrator must.
        raise ValidationError("You cannot change your own roles or scope or deactivate your own account")
    user.check_roles(new_roles)
    user.scope_level, user.is_active = scope_level, is_active
    user.full_clean(exclude=["password"])
    if changes:
        user.bump_version()
        user.save(update_fields=["scope_level", "is_active", "version"])
        if "roles" in changes:
            _grant_roles(user, in_table_order(new_roles))
        audit.record(AuditAction.UPDATE, actor=acting_user, obj=user, changes=changes)
    return user
