"""A second factor (TOTP, with one-time recovery codes) for the roles that move money or sign
off, and for anyone who turns it on.

With REQUIRE_2FA on (the default when DEBUG is off), finance officers, committee members and
administrators must set up an authenticator before they can use anything else; anyone with a
confirmed authenticator must enter a code after signing in.
"""

import secrets
from base64 import b32encode
from io import BytesIO
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hardship import access
from hardship.models import Role

REQUIRED_ROLES = frozenset({Role.FINANCE, Role.COMMITTEE, Role.ADMINISTRATOR})
RECOVERY_CODES = 10
OPEN_PATHS = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")


def must_use_second_factor(user) -> bool:
    return settings.REQUIRE_2FA and bool(access.roles_of(user) & REQUIRED_ROLES)


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class SecondFactorMiddleware:
    """Until the second factor is given, a signed-in user who needs one reaches only the
    second-factor pages (and can sign out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PATHS)
        ):
            if has_authenticator(user):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('twofactor_verify')}?{query}")
            if must_use_second_factor(user):
                return redirect("twofactor_setup")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return mark_safe(svg[svg.index("<svg") :])


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@login_required
def setup(request):
    """Show a fresh authenticator secret as a QR code; confirm it with a first code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("手机验证器"), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("尝试过于频繁，请稍等片刻再输入。"))
        elif device.verify_token(form.cleaned_data["token"].strip()):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=request.user, confirmed=True).exclude(
                    pk=device.pk
                ).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(request.user)
            otp_login(request, device)
            return render(request, "registration/twofactor_codes.html", {"codes": codes})
        else:
            form.add_error("token", _("验证码不正确，请核对手机时间后重试。"))
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "registration/twofactor_setup.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "secret": secret,
            "required": must_use_second_factor(request.user),
        },
    )


@login_required
def verify(request):
    """Enter a code from the authenticator, or one of the recovery codes."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, _("已使用一个恢复码，还剩 %(n)d 个。") % {"n": left})
            target = request.GET.get("next", "")
            safe = url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            return redirect(target if safe else "dashboard")
        form.add_error("token", _("验证码不正确。多次输错后需稍等片刻再试。"))
    return render(request, "registration/twofactor_verify.html", {"form": form})


@login_required
def status(request):
    return render(
        request,
        "registration/twofactor_status.html",
        {
            "enabled": has_authenticator(request.user),
            "required": must_use_second_factor(request.user),
            "codes_left": StaticToken.objects.filter(device__user=request.user).count(),
        },
    )


@login_required
@require_POST
def new_recovery_codes(request):
    if not has_authenticator(request.user) or not request.user.is_verified():
        return redirect("twofactor_status")
    return render(
        request, "registration/twofactor_codes.html", {"codes": _new_recovery_codes(request.user)}
    )


@login_required
@require_POST
def disable(request):
    if must_use_second_factor(request.user):
        messages.error(request, _("您的角色必须使用两步验证，不能关闭。"))
        return redirect("twofactor_status")
    if request.user.is_verified():
        TOTPDevice.objects.filter(user=request.user).delete()
        StaticDevice.objects.filter(user=request.user).delete()
        messages.success(request, _("两步验证已关闭。"))
    return redirect("twofactor_status")
