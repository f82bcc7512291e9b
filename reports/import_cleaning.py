"""Checking one row of an imported roster: each cell cleaned to the model's value, or a
message saying what is wrong with it, in the site language. The rules a household file
shares (ID number and gender, phone, bank account, text limits) come from hardship.validators,
as in the household form; what is left here is reading spreadsheet cells."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from hardship import validators
from hardship.formtools import ascii_amount
from hardship.models import Unit
from households.models import Household
from reports.import_format import BY_KEY, COLUMNS, ImportRow, RowError

SEPARATORS = re.compile(r"[、,，;；/\s]+")
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
MAX_AMOUNT = Decimal("9999999999.99")  # the model's 12 digits with 2 decimals


class _Bad(Exception):
    """A cell's value is not acceptable; the argument is the message."""


def plain(value) -> str:
    """A cell as text: numbers without a trailing '.0', surrounding spaces removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").replace("\xa0", " ").strip()


def _text(field_name):
    limit = validators.text_limit(Household, field_name)

    def clean(raw, ctx):
        return validators.check_text_length(plain(raw), limit)

    return clean


def _choice(key):
    def clean(raw, ctx):
        value = plain(raw).replace(" ", "")
        labels = ctx.labels[key]
        if value not in labels:
            raise _Bad(
                _("“%(value)s”不是可选值。可选：%(allowed)s。")
                % {"value": value, "allowed": "、".join(labels)}
            )
        return labels[value]

    return clean


def _clean_causes(raw, ctx):
    labels = ctx.labels["causes"]
    words = [w for w in SEPARATORS.split(plain(raw)) if w]
    unknown = [w for w in words if w not in labels]
    if unknown:
        raise _Bad(
            _("“%(value)s”不是可选的致困原因。可选：%(allowed)s；多个原因用“、”分隔。")
            % {"value": "、".join(unknown), "allowed": "、".join(labels)}
        )
    if not words:
        raise _Bad(_("此项为必填项，不能为空。"))
    return tuple(dict.fromkeys(labels[w] for w in words))


def _clean_id_number(raw, ctx):
    if isinstance(raw, (int, float)):
        raise _Bad(
            _("身份证号被 Excel 存成了数字，后几位可能已丢失。请把该列设为文本格式后重新填写。")
        )
    return validators.clean_id_number(plain(raw))


def _clean_union(raw, ctx):
    code = plain(raw)
    unit = ctx.units.get(code)
    if unit is None:
        raise _Bad(_("基层工会编码“%(code)s”不存在。") % {"code": code})
    if unit.kind != Unit.Kind.GRASSROOTS:
        raise _Bad(
            _("“%(code)s”（%(name)s）不是基层工会，请填写职工所在基层工会的编码。")
            % {"code": code, "name": unit.name}
        )
    if unit.pk not in ctx.editable:
        raise _Bad(_("您无权在基层工会“%(code)s”建档。") % {"code": code})
    return unit


def _clean_phone(raw, ctx):
    return validators.clean_phone(plain(raw), validators.text_limit(Household, "phone"))


def _clean_date(raw, ctx):
    if isinstance(raw, datetime.datetime):
        value = raw.date()
    elif isinstance(raw, datetime.date):
        value = raw
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        digits = plain(raw)
        try:
            if len(digits) == 8:  # 20240301
                value = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
            elif 1 <= raw < 2958466:  # an Excel date serial shown as a number
                value = from_excel(raw).date()
            else:
                raise ValueError
        except (ValueError, TypeError, OverflowError):
            raise _Bad(
                _("“%(value)s”不是有效日期，请按 2024-03-01 的格式填写。") % {"value": digits}
            ) from None
    else:
        value_text = plain(raw)
        match = DATE_TEXT.match(value_text)
        if not match and re.fullmatch(r"\d{8}", value_text):
            match = re.match(r"(\d{4})(\d{2})(\d{2})", value_text)
        try:
            if not match:
                raise ValueError
            value = datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise _Bad(
                _("“%(value)s”不是有效日期，请按 2024-03-01 的格式填写。") % {"value": value_text}
            ) from None
    if value > ctx.today:
        raise _Bad(_("建档日期 %(date)s 晚于今天。") % {"date": value.isoformat()})
    if value.year < 1950:
        raise _Bad(_("建档日期 %(date)s 过早，请核对。") % {"date": value.isoformat()})
    return value


def _clean_bank_account(raw, ctx):
    if isinstance(raw, (int, float)) and len(plain(raw)) > 15:
        raise _Bad(
            _("银行卡号被 Excel 存成了数字，后几位可能已丢失。请把该列设为文本格式后重新填写。")
        )
    return validators.clean_bank_account(plain(raw))


def _clean_amount(raw, ctx):
    if raw is None or plain(raw) == "":
        return None
    if isinstance(raw, bool):
        raise _Bad(_("“%(value)s”不是有效金额。") % {"value": plain(raw)})
    source = str(raw) if isinstance(raw, (int, float)) else plain(raw)
    cleaned = source.replace(",", "").replace("，", "").removesuffix("元").strip()
    try:
        cleaned = ascii_amount(cleaned)  # the money inputs' digit rule (hardship.formtools)
    except ValidationError as error:
        raise _Bad(error.messages[0]) from None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise _Bad(_("“%(value)s”不是有效金额。") % {"value": source}) from None
    if not amount.is_finite():
        raise _Bad(_("“%(value)s”不是有效金额。") % {"value": source})
    if amount < 0:
        raise _Bad(_("金额不能为负数。"))
    if amount != amount.quantize(Decimal("0.01")):
        raise _Bad(_("金额最多保留两位小数。"))
    if amount > MAX_AMOUNT:
        raise _Bad(_("金额过大，请核对。"))
    return amount.quantize(Decimal("0.01"))


CLEANERS = {
    "union_code": _clean_union,
    "worker_name": _text("worker_name"),
    "gender": _choice("gender"),
    "id_number": _clean_id_number,
    "phone": _clean_phone,
    "address": _text("address"),
    "employer": _text("employer"),
    "employment_status": _choice("employment_status"),
    "category": _choice("category"),
    "level": _choice("level"),
    "causes": _clean_causes,
    "housing": _choice("housing"),
    "established_on": _clean_date,
    "bank_account": _clean_bank_account,
    "monthly_income": _clean_amount,
    "responsible_person": _text("responsible_person"),
}


@dataclass
class Context:
    units: dict[str, Unit]
    editable: set[int]
    labels: dict[str, dict[str, str]]
    today: datetime.date
    first_row_of: dict[str, int] = field(default_factory=dict)


def is_blank(values) -> bool:
    return all(plain(v) == "" for v in values)


def clean_row(number, values, mapping, ctx) -> tuple[ImportRow | None, list[RowError]]:
    raw = {column.key: None for column in COLUMNS}
    for index, column in mapping.items():
        if index < len(values):
            raw[column.key] = values[index]
    cleaned, errors = {}, []
    for column in COLUMNS:
        value = raw[column.key]
        if plain(value) == "":
            if column.required:
                errors.append(RowError(number, column.header, _("此项为必填项，不能为空。")))
                continue
        try:
            cleaned[column.key] = CLEANERS[column.key](value, ctx)
        except _Bad as bad:
            errors.append(RowError(number, column.header, str(bad.args[0])))
        except ValidationError as error:  # the rule shared with the household form
            errors.append(RowError(number, column.header, error.messages[0]))

    id_number, gender = cleaned.get("id_number"), cleaned.get("gender")
    mismatch = validators.gender_mismatch(id_number, gender) if id_number and gender else ""
    if mismatch:
        errors.append(RowError(number, BY_KEY["gender"].header, mismatch))
    if id_number:
        first = ctx.first_row_of.setdefault(id_number, number)
        if first != number:
            errors.append(
                RowError(
                    number,
                    BY_KEY["id_number"].header,
                    _("身份证号与第%(row)d行重复。") % {"row": first},
                )
            )
    if errors:
        return None, errors
    cleaned["union"] = cleaned.pop("union_code")
    return ImportRow(row=number, **cleaned), []
