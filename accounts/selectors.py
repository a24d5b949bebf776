"""Reads of user accounts, for administrators."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User, holding


def search_users(query: str = "", role: str = "") -> QuerySet[User]:
    """Accounts matching ``query``; with ``role``, only those holding that role (among others)."""
    users = User.objects.select_related("staff__pdu", "staff__team", "organisation").prefetch_related(
        "role_grants"
    )
    query = query.strip()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(staff__staff_code__iexact=query)
        )
    if role:
        users = users.filter(holding(role))
    return users.order_by("username")


def user_detail(user_id: int) -> User:
    return get_object_or_404(
        User.objects.select_related("staff__pdu__region", "staff__team", "organisation").prefetch_related(
            "role_grants"
        ),
        pk=user_id,
    )
