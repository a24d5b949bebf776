from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import NewUserForm, SignInForm, UserAccessForm
from accounts.models import ROLE_CHOICES
from audit.selectors import history_of
from core.access import public, requires
from core.forms import run_service
from core.outages import allowed_when_read_only
from core.roles import Capability, in_table_order


@public
@allowed_when_read_only
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = SignInForm(request.POST or None)
    status, retry_after = 200, 0
    if request.method == "POST" and form.is_valid():
        try:
            user = services.attempt_sign_in(
                request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except services.LockedOut as refused:
            retry_after = max(1, math.ceil((refused.refused_until - timezone.now()).total_seconds()))
            minutes = math.ceil(retry_after / 60)
            wait = "1 minute" if minutes == 1 else f"{minutes} minutes"
            form.add_error(
                None, f"There have been too many failed attempts to sign in. Wait {wait} and try again."
            )
            status = 429
        else:
            if user is not None:
                return redirect(next_url or settings.LOGIN_REDIRECT_URL)
            form.add_error(None, "Enter a correct username and password")
            status = 401
    elif request.method == "POST":
        status = 400
    response = render(request, "accounts/sign_in.html", {"form": form, "next": next_url}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@public
@allowed_when_read_only
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    services.sign_out(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@requires(Capability.MANAGE_USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    page = Paginator(selectors.search_users(query, role), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "accounts/user_list.html",
        {
            "page_obj": page,
            "query": query,
            "role": role,
            "roles": ROLE_CHOICES,
            "query_string": params.urlencode(),
        },
    )


@requires(Capability.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_new(request: HttpRequest) -> HttpResponse:
    form = NewUserForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            form,
            lambda: services.create_user(
                acting_user=request.user,
                username=data["username"].strip(),
                password=data["password"],
                roles=data["roles"],
                first_name=data["first_name"].strip(),
                last_name=data["last_name"].strip(),
                email=data["email"],
                scope_level=form.scope_for(),
                staff=data["staff_code"],
                organisation=data["organisation"],
            ),
        )
        if created:
            messages.success(request, f"User {created.username} created")
            return redirect("accounts:user", user_id=created.pk)
    return render(request, "accounts/user_new.html", {"form": form}, status=400 if form.errors else 200)


@requires(Capability.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    account = selectors.user_detail(user_id)
    initial = {
        "roles": [role.value for role in in_table_order(account.roles)],
        "scope_level": account.scope_level,
        "is_active": account.is_active,
        "version": account.version,
    }
    form = UserAccessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form,
            lambda: services.change_user_access(
                acting_user=request.user,
                user_id=account.pk,
                roles=form.cleaned_data["roles"],
                scope_level=form.scope_for(),
                is_active=form.cleaned_data["is_active"],
                expected_version=form.cleaned_data["version"],
            ),
        )
        if changed:
            messages.success(request, f"Access for {changed.username} saved")
            return redirect("accounts:user", user_id=account.pk)
    history = history_of("accounts.user", account.pk)[:50]
    return render(
        request,
        "accounts/user_detail.html",
        {"account": account, "form": form, "history": history},
        status=400 if form.errors else 200,
    )
