"""Two-factor sign-in pages (docs/security.md): set up an authenticator app, give a code
after the password, turn it off where no role requires it.

TwoFactorMiddleware decides who is sent here; people.services checks the codes and
writes the audit log.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from people.audit import Origin
from people.selectors import two_factor_device, two_factor_required
from people.services import TwoFactorCheck, two_factor_check, two_factor_remove, two_factor_set_up
from protocol_portal.forms import TwoFactorCodeForm

# The key being set up lives in the session until a code from the app confirms it.
SETUP_KEY_SESSION_KEY = "portal_two_factor_setup_key"
WRONG_CODE = "The code is not correct. Enter the code your authenticator app shows now"


def _next_url(request: HttpRequest, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return default


def _refusal(check: TwoFactorCheck) -> str:
    if check.retry_at is None:
        return WRONG_CODE
    seconds = max(1, round((check.retry_at - timezone.now()).total_seconds()))
    wait = "1 second" if seconds == 1 else f"{seconds} seconds"
    return f"You have entered a wrong code too many times. Wait {wait}, then enter the code your app shows"


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The app's set-up link as a QR code, drawn as inline SVG (no image request, no script)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4,
        dark="#0b0c0c",
        light="#ffffff",
        title="QR code to scan with your authenticator app",
        svgclass="app-qr-code",
        lineclass=None,
    )
    # segno's own markup with a fixed title; the link inside it is drawn, never inserted as text.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


def key_as_text(device: TOTPDevice) -> str:
    """The key as apps ask for it when typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {"device": two_factor_device(user), "required": two_factor_required(user)}
    return render(request, "registration/two_factor.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = two_factor_device(user)
    if current is not None and not user.is_verified():
        # Replacing an app needs a code from the old one first.
        return redirect("two_factor_verify")
    key = request.session.get(SETUP_KEY_SESSION_KEY)
    if key is None:
        key = request.session[SETUP_KEY_SESSION_KEY] = random_hex(20)
    form = TwoFactorCodeForm(
        request.POST if request.method == "POST" else None, submit_label="Turn on two-factor sign-in"
    )
    if form.is_valid():
        device = two_factor_set_up(user=user, key=key, code=form.cleaned_data["code"], origin=Origin.of(request))
        if device is not None:
            del request.session[SETUP_KEY_SESSION_KEY]
            otp_login(request, device)
            request.session.cycle_key()
            messages.success(request, "Two-factor sign-in is on. Next time you sign in, have your app ready.")
            return redirect(_next_url(request, "two_factor"))
        form.add_error("code", WRONG_CODE)
    device = TOTPDevice(user=user, key=key)
    context = {
        "form": form,
        "qr_code": qr_code_svg(device),
        "key_text": key_as_text(device),
        "required": two_factor_required(user),
        "replacing": current is not None,
        "next": _next_url(request, ""),
    }
    return render(request, "registration/two_factor_setup.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = _next_url(request, "home")
    if two_factor_device(user) is None or user.is_verified():
        return redirect(next_url)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        check = two_factor_check(user=user, code=form.cleaned_data["code"], origin=Origin.of(request))
        if check.accepted:
            otp_login(request, two_factor_device(user))
            request.session.cycle_key()
            return redirect(next_url)
        form.add_error("code", _refusal(check))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request, "")})


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_turn_off(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor_device(user) is None:
        return redirect("two_factor")
    if two_factor_required(user):
        raise PermissionDenied("Your role needs two-factor sign-in: it cannot be turned off.")
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None, submit_label="Turn off")
    if form.is_valid():
        origin = Origin.of(request)
        check = two_factor_check(user=user, code=form.cleaned_data["code"], origin=origin, purpose="to turn it off")
        if check.accepted:
            two_factor_remove(user=user, origin=origin)
            messages.success(request, "Two-factor sign-in is off. You will sign in with your password alone.")
            return redirect("two_factor")
        form.add_error("code", _refusal(check))
    return render(request, "registration/two_factor_turn_off.html", {"form": form})
