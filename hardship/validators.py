"""The rules a household file, a roster import row and a payment share: one function each,
so the form, the import and the ledger cannot drift apart. Each `clean_*` returns the value
as stored or raises ValidationError with the message users see."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hardship.idnumber import gender_of, normalise_id_number, validate_id_number

PHONE = re.compile(r"^\+?[0-9][0-9-]*$")


def clean_bank_account(value: str) -> str:
    """A bank card number (银行卡号): spaces and dashes dropped, 12 to 19 ASCII digits; blank
    stays blank (whether one is required is the caller's rule)."""
    account = (value or "").replace(" ", "").replace("-", "")
    if account and not (account.isascii() and account.isdigit() and 12 <= len(account) <= 19):
        raise ValidationError(_("银行卡号应为12至19位数字。"), code="bank_account")
    return account


def clean_phone(value: str, max_length: int = 20) -> str:
    """A phone number: spaces dropped, digits and '-' (a leading '+' allowed)."""
    phone = (value or "").replace(" ", "")
    if phone and (len(phone) > max_length or not PHONE.match(phone)):
        raise ValidationError(
            _("联系电话只能包含数字和“-”，最长%(n)d位。") % {"n": max_length}, code="phone"
        )
    return phone


def clean_id_number(value: str) -> str:
    """An 18-character resident ID number, normalised (see hardship.idnumber)."""
    number = normalise_id_number(value)
    validate_id_number(number)
    return number


def gender_mismatch(id_number: str, gender: str) -> str:
    """The message when `gender` is not the one the ID number's 17th digit says; '' if it is."""
    if gender_of(id_number) == gender:
        return ""
    return _("性别与身份证号不符（身份证号第17位表示%(g)s）。") % {
        "g": _("男") if gender_of(id_number) == "M" else _("女")
    }


def text_limit(model, field_name: str) -> int:
    """The longest text a model's column holds: limits are read from the model, never copied."""
    return model._meta.get_field(field_name).max_length


def check_text_length(value: str, limit: int) -> str:
    if len(value) > limit:
        raise ValidationError(
            _("不能超过%(n)d个字符（现为%(m)d个）。") % {"n": limit, "m": len(value)},
            code="max_length",
        )
    return value
