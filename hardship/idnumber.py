"""Resident ID numbers (GB 11643-1999): validation with precise messages, and masking."""

import datetime
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent


def check_character(first17: str) -> str:
    """The 18th character for the first 17 digits (ISO 7064 MOD 11-2, X for 10)."""
    # stdnum expects the whole number and ignores its last character.
    return ric.calc_check_digit(first17 + "0")


def region_known(code: str) -> bool:
    """Whether the 6-digit code is, or was at any time, an administrative division.

    stdnum's own birth-place check also asks that the code existed in the birth year, which
    rejects real numbers of older people: codes were assigned when IDs were issued (from
    1984), not at birth."""
    return any(props for _part, props in numdb.get("cn/loc").info(code))


def normalise_id_number(value: str) -> str:
    """The one form in which an ID number is stored and compared: full-width characters
    folded to ASCII (NFKC), every space removed, the check character upper-case. Without
    it "…002x" and "…002X" are two people to every comparison."""
    folded = unicodedata.normalize("NFKC", value or "")
    return "".join(folded.split()).upper()


def is_ascii_digits(value: str) -> bool:
    """Only 0-9: str.isdigit() also accepts other scripts' digits (Arabic-Indic ٣, …)."""
    return value.isascii() and value.isdigit()


def validate_id_number(value: str) -> None:
    """Raise ValidationError naming exactly what is wrong with an 18-digit ID number."""
    number = normalise_id_number(value)
    if len(number) != 18:
        raise ValidationError(
            _("身份证号应为18位，当前为%(n)d位。") % {"n": len(number)}, code="length"
        )
    if not is_ascii_digits(number[:17]) or not (is_ascii_digits(number[17]) or number[17] == "X"):
        raise ValidationError(_("身份证号前17位应为数字，最后一位为数字或X。"), code="characters")
    try:
        birth = birth_date_of(number)
    except ValueError:
        raise ValidationError(
            _("身份证号中的出生日期 %(d)s 不是有效日期。") % {"d": number[6:14]},
            code="birth_date",
        ) from None
    if birth > datetime.date.today() or birth.year < 1900:
        raise ValidationError(
            _("身份证号中的出生日期 %(d)s 不在合理范围内。") % {"d": birth.isoformat()},
            code="birth_date",
        )
    expected = check_character(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("身份证号校验位错误：第18位应为 %(expected)s，填写的是 %(given)s。")
            % {"expected": expected, "given": number[17]},
            code="checksum",
        )
    if not region_known(number[:6]):
        raise ValidationError(
            _("身份证号前6位 %(code)s 不是有效的行政区划代码。") % {"code": number[:6]},
            code="region",
        )


class IdNumberFormField(forms.CharField):
    """A form field whose cleaned value is already the normalised number."""

    def to_python(self, value):
        return normalise_id_number(super().to_python(value))


class IdNumberField(models.CharField):
    """A resident ID number column. Whatever path writes it (forms, services, the admin
    site, imports, `save()` from a shell) stores the normalised number, and a lookup such
    as `filter(id_number=…)` or `id_number__in=…` compares normalised values."""

    default_validators = [validate_id_number]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_id_number(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normalise_id_number(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = normalise_id_number(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": IdNumberFormField, **kwargs})


def same_id_number(a: str, b: str) -> bool:
    """Whether two ID numbers name the same person (both present, compared normalised)."""
    a, b = normalise_id_number(a), normalise_id_number(b)
    return bool(a) and a == b


def birth_date_of(number: str) -> datetime.date:
    """The birth date written in an ID number (digits 7–14); ValueError when it is no date.
    The one place a birth date is read from a number."""
    try:
        return ric.get_birth_date(normalise_id_number(number))
    except InvalidComponent:
        raise ValueError(number) from None


def gender_of(number: str) -> str:
    """'M' or 'F' from the sequence digit (odd male, even female)."""
    return "M" if int(normalise_id_number(number)[16]) % 2 else "F"


def mask_id_number(value: str) -> str:
    """Keep the first 3 and last 4 characters (GB/T 35273 style display masking)."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


# A phone number keeps the same 3 + 4 characters (all masked when that would show it all).
mask_phone = mask_id_number


def mask_account(value: str) -> str:
    """A bank account shows only its last four digits."""
    if not value:
        return ""
    return f"****{value[-4:]}" if len(value) > 4 else "*" * len(value)


def mask_name(value: str) -> str:
    """张*明 for public notices: the first and last character stay (张* for two)."""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return f"{value[0]}*"
    return f"{value[0]}{'*' * (len(value) - 2)}{value[-1]}"
