"""A second factor (TOTP, with one-time recovery codes) for the roles that move money or sign
off, and for anyone who turns it on.

With REQUIRE_2FA on (the default when DEBUG is off), finance officers, committee members,
administrators and every staff account (it opens /admin/) must set up an authenticator before they can use anything else; anyone with a
confirmed authenticator must enter a code after signing in.

These are the pages only: every change to a device goes through hardship.twofactor_services,
which refuses it to a session that has not given the second factor (once there is one to
give) and records it.
"""

from base64 import b32encode
from io import BytesIO
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
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

from hardship import twofactor_services as services
from hardship.twofactor_services import has_authenticator, must_use_second_factor

OPEN_PATHS = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")
PENDING_DEVICE = "_2fa_pending_device"  # the authenticator this session's setup page shows


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


def _to_verify(request, then: str):
    """Send a session that has given only the password to the code page, and back."""
    query = urlencode({"next": then})
    return redirect(f"{reverse('twofactor_verify')}?{query}")


@login_required
def setup(request):
    """Show a fresh authenticator secret as a QR code; confirm it with a first code."""
    passed = request.user.is_verified()
    shown_before = request.session.get(PENDING_DEVICE)
    try:
        device = services.pending_authenticator(
            user=request.user, second_factor_passed=passed, pending_id=shown_before
        )
    except services.SecondFactorRefused as refusal:
        messages.error(request, refusal.args[0])
        return _to_verify(request, reverse("twofactor_setup"))
    request.session[PENDING_DEVICE] = device.pk
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and shown_before != device.pk:
        # The secret this page showed was voided (the page was opened again elsewhere).
        form.is_valid()
        form.add_error(
            "token",
            _("二维码已更新（可能在别处打开了设置页面），请重新扫描下方二维码后输入验证码。"),
        )
    elif request.method == "POST" and form.is_valid():
        try:
            enrolment = services.confirm_authenticator(
                user=request.user,
                device_id=device.pk,
                token=form.cleaned_data["token"],
                second_factor_passed=passed,
            )
        except services.CodeRefused as refusal:
            form.add_error("token", str(refusal))
        except services.SecondFactorRefused as refusal:
            messages.error(request, refusal.args[0])
            return _to_verify(request, reverse("twofactor_setup"))
        else:
            request.session.pop(PENDING_DEVICE, None)
            otp_login(request, enrolment.device)
            return render(request, "registration/twofactor_codes.html", {"codes": enrolment.codes})
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "registration/twofactor_setup.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "secret": secret,
            "required": must_use_second_factor(request.user),
            "replacing": has_authenticator(request.user),
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
    try:
        codes = services.renew_recovery_codes(
            user=request.user, second_factor_passed=request.user.is_verified()
        )
    except services.SecondFactorRefused as refusal:
        messages.error(request, refusal.args[0])
        if has_authenticator(request.user):
            return _to_verify(request, reverse("twofactor_status"))
        return redirect("twofactor_status")
    return render(request, "registration/twofactor_codes.html", {"codes": codes})


@login_required
@require_POST
def disable(request):
    try:
        services.disable(user=request.user, second_factor_passed=request.user.is_verified())
    except services.SecondFactorRefused as refusal:
        messages.error(request, refusal.args[0])
    else:
        messages.success(request, _("两步验证已关闭。"))
    return redirect("twofactor_status")
