"""Every change to a user's second factor goes through here, and each one is recorded as a
SecondFactorEvent (who did what to whose, and when), which the audit trail shows.

The rule that matters: once a user has a confirmed authenticator, a session that has only
given the password cannot set up, replace or turn off an authenticator, nor make new
recovery codes. Otherwise a stolen password would be enough to take over the second factor.
A user without one may still set one up (first enrolment). `second_factor_passed` is the
session's answer (request.user.is_verified()); views pass it, they never write devices.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hardship import access
from hardship.history import acted_by
from hardship.models import Role, SecondFactorEvent, User

REQUIRED_ROLES = frozenset({Role.FINANCE, Role.COMMITTEE, Role.ADMINISTRATOR})
RECOVERY_CODES = 10


class SecondFactorRefused(PermissionDenied):
    """The change is not allowed; the message says why, in the user's words."""


class CodeRefused(ValueError):
    """The code was wrong, or too many wrong codes came in a row."""


@dataclass
class Enrolment:
    device: TOTPDevice
    codes: list[str]


def must_use_second_factor(user) -> bool:
    """The money and sign-off roles, and every account that can open the administration
    site (is_staff, e.g. a superuser without the administrator role): it manages users,
    roles and second-factor resets."""
    if not settings.REQUIRE_2FA:
        return False
    return bool(user.is_staff or user.is_superuser or access.roles_of(user) & REQUIRED_ROLES)


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _require_second_factor_passed(user, second_factor_passed: bool) -> None:
    if has_authenticator(user) and not second_factor_passed:
        raise SecondFactorRefused(_("请先输入验证码完成两步验证，才能更改两步验证设置。"))


def _lock(user) -> None:
    """Changes to one user's second factor happen one at a time."""
    User.objects.select_for_update().filter(pk=user.pk).first()


def _record(*, user, actor, action) -> SecondFactorEvent:
    event = SecondFactorEvent(user=user, actor=actor, action=action)
    acted_by(actor, event)  # the trail names the actor, also outside a request
    event.save()
    return event


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def pending_authenticator(*, user, second_factor_passed: bool, pending_id=None) -> TOTPDevice:
    """The not yet confirmed authenticator whose secret the setup page shows: the one this
    session was shown before (`pending_id`), or a new one, which voids any other pending
    one. So a secret seen by someone else (with the password, before the first set-up) is
    never the one the owner scans. Showing a secret is refused like the change itself."""
    _require_second_factor_passed(user, second_factor_passed)
    pending = TOTPDevice.objects.filter(user=user, confirmed=False)
    device = pending.filter(pk=pending_id).first() if pending_id else None
    if device is None:
        pending.delete()
        device = TOTPDevice.objects.create(user=user, name=_("手机验证器"), confirmed=False)
    return device


def confirm_authenticator(*, user, device_id: int, token: str, second_factor_passed: bool):
    """Confirm the pending authenticator with a first code from it: it replaces any earlier
    one, and the recovery codes are made anew. Returns the device and the codes."""
    _require_second_factor_passed(user, second_factor_passed)
    device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        raise CodeRefused(_("该验证器已失效，请刷新页面重新扫描二维码。"))
    allowed, _why = device.verify_is_allowed()
    if not allowed:
        raise CodeRefused(_("尝试过于频繁，请稍等片刻再输入。"))
    # Outside the transaction below: a wrong code must count towards the throttle.
    if not device.verify_token(token.strip()):
        raise CodeRefused(_("验证码不正确，请核对手机时间后重试。"))
    with transaction.atomic():
        _lock(user)
        # Checked again under the lock: another session may have confirmed one meanwhile.
        _require_second_factor_passed(user, second_factor_passed)
        replaced, _deleted = (
            TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        action = (
            SecondFactorEvent.Action.REPLACED if replaced else SecondFactorEvent.Action.ENROLLED
        )
        _record(user=user, actor=user, action=action)
    return Enrolment(device=device, codes=codes)


def renew_recovery_codes(*, user, second_factor_passed: bool) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    with transaction.atomic():
        _lock(user)
        if not has_authenticator(user):
            raise SecondFactorRefused(_("尚未启用两步验证，没有恢复码。"))
        _require_second_factor_passed(user, second_factor_passed)
        codes = _new_recovery_codes(user)
        _record(user=user, actor=user, action=SecondFactorEvent.Action.RECOVERY_CODES)
    return codes


def disable(*, user, second_factor_passed: bool) -> None:
    """Turn the second factor off (only for roles that need not use one)."""
    if must_use_second_factor(user):
        raise SecondFactorRefused(_("您的角色必须使用两步验证，不能关闭。"))
    with transaction.atomic():
        _lock(user)
        if not has_authenticator(user):
            raise SecondFactorRefused(_("尚未启用两步验证。"))
        _require_second_factor_passed(user, second_factor_passed)
        _remove_devices(user)
        _record(user=user, actor=user, action=SecondFactorEvent.Action.DISABLED)


def admin_reset(*, actor, user) -> None:
    """An administrator removes a user's authenticator and recovery codes (a lost phone):
    the user sets up a new one at the next sign-in. Nobody resets their own: they use a
    recovery code instead, or ask another administrator."""
    if not (actor.is_active and actor.is_staff and actor.has_perm("hardship.change_user")):
        raise SecondFactorRefused(_("只有系统管理员可以重置他人的两步验证。"))
    if actor.pk == user.pk:
        raise SecondFactorRefused(
            _("不能重置自己的两步验证：请用恢复码登录后重新设置，或请另一位管理员重置。")
        )
    with transaction.atomic():
        _lock(user)
        _remove_devices(user)
        _record(user=user, actor=actor, action=SecondFactorEvent.Action.ADMIN_RESET)


def _remove_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
