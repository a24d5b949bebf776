from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.forms import SignInForm
from core.access import public


@public
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.attempt_sign_in(
                request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except services.LockedOut:
            minutes = int(settings.SIGN_IN_LOCKOUT_WINDOW.total_seconds() // 60)
            form.add_error(
                None,
                f"There have been too many failed attempts to sign in. Wait {minutes} minutes and try again.",
            )
            status = 429
        else:
            if user is not None:
                return redirect(next_url or settings.LOGIN_REDIRECT_URL)
            form.add_error(None, "Enter a correct username and password")
            status = 401
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url}, status=status)


@public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    services.sign_out(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
