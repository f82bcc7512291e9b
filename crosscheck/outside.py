"""Outside lists: the fields each kind of list has, finding them in a file's columns (by the
mapping remembered for the source, else by the usual headers), checking every row, and the
import itself — every row or none, with a report of each bad row.

The header names and values read here are the data formats of civil affairs and HR files,
in Chinese whatever language the site is used in."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crosscheck.matching import build_lines
from crosscheck.models import AccessLog, ColumnMapping, OutsideList, OutsideRow
from hardship import access
from hardship.formtools import ascii_amount
from hardship.idnumber import normalise_id_number, validate_id_number
from hardship.validators import check_text_length, text_limit

Kind = OutsideList.Kind


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    required: bool
    headers: tuple[str, ...]  # the headers this field is found under when nothing is remembered


FIELDS = {
    Kind.CIVIL: (
        Field(
            "id_number",
            gettext_lazy("身份证号"),
            True,
            ("身份证号", "身份证号码", "公民身份号码", "证件号码"),
        ),
        Field("name", gettext_lazy("姓名"), True, ("姓名", "户主姓名", "保障对象姓名")),
        Field(
            "category", gettext_lazy("救助类别"), True, ("救助类别", "保障类别", "类别", "对象类别")
        ),
        Field(
            "starts_on",
            gettext_lazy("起始日期"),
            False,
            ("起始日期", "开始日期", "纳入日期", "批准日期"),
        ),
        Field("ends_on", gettext_lazy("终止日期"), False, ("终止日期", "截止日期", "退出日期")),
    ),
    Kind.HR: (
        Field(
            "id_number",
            gettext_lazy("身份证号"),
            True,
            ("身份证号", "身份证号码", "公民身份号码", "证件号码"),
        ),
        Field("name", gettext_lazy("姓名"), False, ("姓名", "员工姓名")),
        Field(
            "employment",
            gettext_lazy("就业状态"),
            True,
            ("就业状态", "在职状态", "人员状态", "用工状态"),
        ),
        Field(
            "monthly_wage",
            gettext_lazy("月工资"),
            False,
            ("月工资", "月工资（元）", "月应发工资", "工资"),
        ),
        Field(
            "insurance", gettext_lazy("社保状态"), False, ("社保状态", "参保状态", "社会保险状态")
        ),
    ),
}

CATEGORY_WORDS = {
    OutsideRow.Category.DIBAO: ("低保", "低保户", "城市低保", "农村低保", "最低生活保障"),
    OutsideRow.Category.TEKUN: ("特困", "特困供养", "特困人员", "特困供养人员"),
    OutsideRow.Category.NEAR_DIBAO: ("低保边缘", "低保边缘户", "边缘户", "低保边缘家庭"),
}
EMPLOYMENT_WORDS = {
    OutsideRow.Employment.EMPLOYED: ("在职", "在岗", "在册"),
    OutsideRow.Employment.LEFT: ("离职", "辞职", "解除劳动合同", "终止劳动合同", "失业"),
    OutsideRow.Employment.RETIRED: ("退休", "离退休", "离休"),
}
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        if self.column:
            return _("第%(row)d行“%(column)s”：%(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("第%(row)d行：%(message)s") % {"row": self.row, "message": self.message}


class ImportRefused(ValidationError):
    """Nothing was imported; `row_errors` lists every bad row."""

    def __init__(self, message, row_errors=()):
        super().__init__(message, code="rows")
        self.row_errors = list(row_errors)


class MappingNeeded(ValidationError):
    """Required fields were not found in the file's columns: a person chooses them."""

    def __init__(self, missing, header):
        names = "、".join(str(f.label) for f in missing)
        super().__init__(
            _("文件中找不到以下字段对应的列：%(names)s。请在下方选择对应的列，再重新选择文件上传。")
            % {"names": names},
            code="mapping",
        )
        self.missing = missing
        self.header = header


def _plain_header(name: str) -> str:
    return re.split(r"[（(]", name.strip("*＊ "), maxsplit=1)[0].strip()


def remembered_mapping(kind: str, source: str) -> dict:
    row = ColumnMapping.objects.filter(kind=kind, source=source.strip()).first()
    return dict(row.mapping) if row else {}


def resolve_mapping(kind: str, header: list[str], chosen: dict, remembered: dict) -> dict:
    """field key → column index. A column chosen on the form wins, then the column the
    source's last import used, then a usual header."""
    plain = [_plain_header(h) for h in header]
    columns = {}
    for field in FIELDS[kind]:
        for wanted in (chosen.get(field.key), remembered.get(field.key)):
            if wanted and wanted in header:
                columns[field.key] = header.index(wanted)
                break
        else:
            for index, name in enumerate(plain):
                if name in field.headers:
                    columns[field.key] = index
                    break
    missing = [f for f in FIELDS[kind] if f.required and f.key not in columns]
    if missing:
        raise MappingNeeded(missing, header)
    return columns


# --------------------------------------------------------------------------- cells


class _Bad(Exception):
    pass


def _word(value, words, label):
    compact = value.replace(" ", "")
    for code, spellings in words.items():
        if compact in spellings:
            return code
    allowed = "、".join(spellings[0] for spellings in words.values())
    raise _Bad(
        _("“%(value)s”不是可识别的%(label)s，可填：%(allowed)s。")
        % {"value": value, "label": label, "allowed": allowed}
    )


def _date(value):
    if not value:
        return None
    match = DATE_TEXT.match(value) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", value)
    try:
        if not match:
            raise ValueError
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise _Bad(
            _("“%(value)s”不是有效日期，请按 2024-03-01 的格式填写。") % {"value": value}
        ) from None


def _wage(value):
    if not value:
        return None
    cleaned = value.replace(",", "").replace("，", "").removesuffix("元").strip()
    try:
        amount = Decimal(ascii_amount(cleaned))
    except ValidationError as error:
        raise _Bad(error.messages[0]) from None
    except InvalidOperation:
        raise _Bad(_("“%(value)s”不是有效金额。") % {"value": value}) from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("9999999999.99"):
        raise _Bad(_("“%(value)s”不是有效金额。") % {"value": value})
    if amount != amount.quantize(Decimal("0.01")):
        raise _Bad(_("金额最多保留两位小数。"))
    return amount.quantize(Decimal("0.01"))


def _id_number(value):
    try:
        validate_id_number(value)
    except ValidationError as error:
        raise _Bad(error.messages[0]) from None
    return normalise_id_number(value)


CLEANERS = {
    "id_number": _id_number,
    "name": lambda v: check_text_length(v, text_limit(OutsideRow, "name")),
    "category": lambda v: _word(v, CATEGORY_WORDS, _("救助类别")),
    "starts_on": _date,
    "ends_on": _date,
    "employment": lambda v: _word(v, EMPLOYMENT_WORDS, _("就业状态")),
    "monthly_wage": _wage,
    "insurance": lambda v: check_text_length(v, text_limit(OutsideRow, "insurance")),
}


def clean_rows(kind, header, rows, columns) -> tuple[list[OutsideRow], list[RowError]]:
    cleaned, errors, seen = [], [], {}
    for number, values in rows:
        data, row_errors = {"row_number": number}, []
        for field in FIELDS[kind]:
            if field.key not in columns:
                continue
            raw = values[columns[field.key]]
            if not raw:
                if field.required:
                    row_errors.append(RowError(number, str(field.label), _("必填，不能为空。")))
                continue
            try:
                data[field.key] = CLEANERS[field.key](raw)
            except (_Bad, ValidationError) as error:
                message = error.messages[0] if isinstance(error, ValidationError) else str(error)
                row_errors.append(RowError(number, str(field.label), message))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            row_errors.append(RowError(number, "", _("终止日期早于起始日期。")))
        number_seen = data.get("id_number")
        if number_seen and number_seen in seen:
            row_errors.append(
                RowError(
                    number,
                    str(FIELDS[kind][0].label),
                    _("与第%(row)d行的身份证号重复。") % {"row": seen[number_seen]},
                )
            )
        elif number_seen:
            seen[number_seen] = number
        if row_errors:
            errors.extend(row_errors)
        else:
            cleaned.append(OutsideRow(**data))
    return cleaned, errors


# --------------------------------------------------------------------------- the import


def may_import(user, unit) -> bool:
    return access.covers(user, access.CROSSCHECK_IMPORTERS, unit.path)


def outside_list_import(
    *, actor, kind, source, list_date, unit, file_name, header, rows, chosen_mapping=None
) -> OutsideList:
    """Import a read file as an outside list of `unit`, with its match report. Every row is
    checked first; one bad row and nothing is written (ImportRefused lists them all). The
    column mapping used is remembered for the source."""
    if not may_import(actor, unit):
        raise PermissionDenied(_("只有该单位的公司工会复核（帮扶中心）可以导入外部名单。"))
    source = source.strip()
    if not source:
        raise ValidationError({"source": _("请填写数据来源。")})
    columns = resolve_mapping(kind, header, chosen_mapping or {}, remembered_mapping(kind, source))
    cleaned, errors = clean_rows(kind, header, rows, columns)
    if errors:
        raise ImportRefused(
            _("文件有 %(n)d 处错误，未导入任何数据。请改正后重新上传。") % {"n": len(errors)},
            errors,
        )
    with transaction.atomic():
        outside_list = OutsideList.objects.create(
            kind=kind,
            source=source,
            list_date=list_date,
            unit=unit,
            file_name=file_name[:200],
            row_count=len(cleaned),
            imported_by=actor,
        )
        for row in cleaned:
            row.outside_list = outside_list
        OutsideRow.objects.bulk_create(cleaned)
        build_lines(outside_list)
        ColumnMapping.objects.update_or_create(
            kind=kind,
            source=source,
            defaults={
                "mapping": {key: header[index] for key, index in columns.items()},
                "updated_by": actor,
            },
        )
        AccessLog.objects.create(
            user=actor, action=AccessLog.Action.IMPORT, outside_list=outside_list
        )
    return outside_list
