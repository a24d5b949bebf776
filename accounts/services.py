"""Sign-in, sign-out and sign-in throttling, each audited.

Throttling counts failures per username-and-address, per address and (with a
much higher limit) per username, in ``accounts.SignInThrottle`` (ADR 12), so
wrong passwords from one place never lock the real user out everywhere.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts import throttle
from audit import services as audit
from audit.constants import AuditAction
from core import request_context
from core.locking import lock_at_version
from core.roles import DEFAULT_SCOPE, Role


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


@transaction.atomic
def create_user(
    *,
    acting_user: Any,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    scope_level: str | None = None,
    staff: Any = None,
    organisation: Any = None,
) -> Any:
    """Creates an account with a role, validated against the password policy."""

    user_model = get_user_model()
    user = user_model(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        scope_level=(scope_level or DEFAULT_SCOPE[Role(role)]).__str__(),
        staff=staff,
        organisation=organisation,
    )
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=user,
        changes={"username": [None, username], "role": [None, role], "scope_level": [None, user.scope_level]},
    )
    return user


@transaction.atomic
def change_user_access(
    *, acting_user: Any, user_id: int, role: str, scope_level: str, is_active: bool, expected_version: int
) -> Any:
    """Changes a user's role, scope or whether they can sign in; audited field by field."""

    user = lock_at_version(get_user_model(), user_id, expected_version)
    if user.pk == getattr(acting_user, "pk", None) and (
        not is_active or role != user.role or scope_level != user.scope_level
    ):
        # Separation of duties: nobody raises their own access; another administrator must.
        raise ValidationError("You cannot change your own role or scope or deactivate your own account")
    before = {"role": user.role, "scope_level": user.scope_level, "is_active": user.is_active}
    user.role, user.scope_level, user.is_active = role, scope_level, is_active
    user.full_clean(exclude=["password"])
    changes = audit.diff(before, {"role": role, "scope_level": scope_level, "is_active": is_active})
    if changes:
        user.bump_version()
        user.save(update_fields=["role", "scope_level", "is_active", "version"])
        audit.record(AuditAction.UPDATE, actor=acting_user, obj=user, changes=changes)
    return user
