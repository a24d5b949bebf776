"""Sign-in, sign-out and lock-out, each audited.

Lock-out is derived from the audit trail itself: too many failed sign-ins for a
username (or from one address) inside the window, since that username's last
successful sign-in, refuses further attempts until the window passes. Keeping
one source of truth means there is no second counter to drift or reset.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from audit import services as audit
from audit.constants import AuditAction
from audit.models import AuditEvent
from core import request_context


class LockedOut(Exception):
    """Too many failed sign-ins; the user must wait for the lock-out window to pass."""


def is_locked_out(username: str, ip_address: str | None) -> bool:
    since = timezone.now() - settings.SIGN_IN_LOCKOUT_WINDOW
    last_success = (
        AuditEvent.objects.filter(
            action=AuditAction.SIGN_IN, actor_username__iexact=username, occurred_at__gte=since
        )
        .order_by("-id")
        .values_list("occurred_at", flat=True)
        .first()
    )
    failures = AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED,
        actor_username__iexact=username,
        occurred_at__gte=max(since, last_success) if last_success else since,
    ).count()
    if failures >= settings.SIGN_IN_FAILURE_LIMIT:
        return True
    if ip_address:
        ip_failures = AuditEvent.objects.filter(
            action=AuditAction.SIGN_IN_FAILED, ip_address=ip_address, occurred_at__gte=since
        ).count()
        if ip_failures >= settings.SIGN_IN_IP_FAILURE_LIMIT:
            return True
    return False


def attempt_sign_in(request: HttpRequest, *, username: str, password: str) -> Any | None:
    """Returns the signed-in user, None for bad credentials; raises LockedOut."""
    username = username.strip()[:150]
    if is_locked_out(username, request_context.current().ip_address):
        audit.record(AuditAction.SIGN_IN_LOCKED, actor=None, actor_username=username)
        raise LockedOut
    user = authenticate(request, username=username, password=password)
    if user is None:
        audit.record(AuditAction.SIGN_IN_FAILED, actor=None, actor_username=username)
        return None
    with transaction.atomic():
        login(request, user)
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
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    from accounts.roles import DEFAULT_SCOPE, Role

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
    *, acting_user: Any, user_id: int, role: str, scope_level: str, is_active: bool
) -> Any:
    """Changes a user's role, scope or whether they can sign in; audited field by field."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    user = get_user_model().objects.select_for_update().get(pk=user_id)
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
        user.save(update_fields=["role", "scope_level", "is_active"])
        audit.record(AuditAction.UPDATE, actor=acting_user, obj=user, changes=changes)
    return user
