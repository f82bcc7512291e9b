"""Importing existing household rosters (困难职工台账) from Excel.

An upload validated row by row into a preview, and a commit that validates again and writes
every row or none. The template to fill in and the upload given back with every bad cell
marked are written by reports/import_workbooks.py.

The column headers and the values of the choice columns are a fixed data format in Chinese
(the model's Chinese labels), whatever language the person uses the site in: a roster is
the same file for everybody. Messages and instructions follow the site language.
"""

import datetime
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from simple_history.utils import bulk_create_with_history

from hardship import access
from hardship.idnumber import gender_of, normalise_id_number, validate_id_number
from hardship.models import Unit
from households import services as household_services
from households.models import HardshipCause, Household, IncomeItem
from households.reviews import next_review_due
from reports.import_format import (
    BY_HEADER,
    BY_KEY,
    CHOICE_CLASSES,
    COLUMNS,
    DATA_SHEET,
    EXAMPLE_ID,
    EXAMPLE_NAME,
    HELP_SHEET,
    INCOME_SOURCE,
    MAX_BYTES,
    MAX_ROWS,
    Column,
    ImportRejected,
    ImportRow,
    Preview,
    RowError,
    describe,
    labels,
)

# Beyond the format's own limits (import_format): what a file may expand to in memory.
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
BATCH_SIZE = 1000
CHANGE_REASON = "台账导入"  # stored data (history), not interface text
INCOME_NOTE = "职工本人月收入（台账导入）"
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
SEPARATORS = re.compile(r"[、,，;；/\s]+")
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
PHONE = re.compile(r"^\+?[0-9][0-9-]*$")
MAX_AMOUNT = Decimal("9999999999.99")  # the model's 12 digits with 2 decimals

# --------------------------------------------------------------------------- reading


class _Bad(Exception):
    """A cell's value is not acceptable; the argument is the message."""


def _plain(value) -> str:
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


def header_name(value) -> str:
    """'*身份证号（18位）' and '身份证号' name the same column."""
    name = _plain(value).strip("*＊ ")
    return re.split(r"[（(]", name, maxsplit=1)[0].strip()


def open_workbook(fileobj):
    """Check the upload by size and content, then open it read-only. Raise
    ValidationError with a message a person can act on."""
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    if size == 0:
        raise ValidationError(_("文件是空的。"), code="empty")
    if size > MAX_BYTES:
        raise ValidationError(
            _("文件过大（%(size)s），上限为 %(limit)s。请拆分后分批导入。")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_BYTES)},
            code="too_large",
        )
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(OLE_MAGIC):
        raise ValidationError(
            _("这是旧版 Excel（.xls）文件。请在 Excel 中“另存为”.xlsx 格式后再上传。"),
            code="xls",
        )
    not_xlsx = ValidationError(
        _("无法读取该文件：只接受 Excel 工作簿（.xlsx），请使用系统提供的模板。"),
        code="not_xlsx",
    )
    if not head.startswith(XLSX_MAGIC):
        raise not_xlsx
    try:
        with zipfile.ZipFile(fileobj) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_xlsx from None
    finally:
        fileobj.seek(0)
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise ValidationError(_("文件解压后过大，请拆分后分批导入。"), code="too_large")
    try:
        return load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a malformed workbook
        raise not_xlsx from None


def data_sheet(wb):
    if DATA_SHEET in wb.sheetnames:
        return wb[DATA_SHEET]
    for ws in wb.worksheets:
        if ws.title != HELP_SHEET:
            return ws
    raise ValidationError(_("工作簿中没有数据工作表。"), code="no_sheet")


def _find_header(rows) -> tuple[int, dict[int, Column], list]:
    """The header row's number, the column of each known header, and the rows read while
    looking (to be processed after it)."""
    seen = []
    for number, values in rows:
        seen.append((number, values))
        names = [header_name(v) for v in values]
        if sum(name in BY_HEADER for name in names) >= 3:
            mapping, duplicates = {}, []
            for index, name in enumerate(names):
                column = BY_HEADER.get(name)
                if column is None:
                    continue
                if column in mapping.values():
                    duplicates.append(name)
                    continue
                mapping[index] = column
            if duplicates:
                raise ValidationError(
                    _("表头中这些列出现了不止一次：%(names)s。") % {"names": "、".join(duplicates)},
                    code="header",
                )
            missing = [c.header for c in COLUMNS if c.required and c not in mapping.values()]
            if missing:
                raise ValidationError(
                    _("表头缺少必填列：%(names)s。请使用系统提供的模板，不要修改列名。")
                    % {"names": "、".join(missing)},
                    code="header",
                )
            return number, mapping, seen
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    raise ValidationError(
        _("没有找到表头行：第一行应为“%(names)s”等列名。请下载并使用系统提供的模板。")
        % {"names": "、".join(c.header for c in COLUMNS[:4])},
        code="header",
    )


def numbered_rows(ws):
    yield from enumerate(ws.iter_rows(values_only=True), start=1)


# --------------------------------------------------------------------------- cleaning


def _text(limit):
    def clean(raw, ctx):
        value = _plain(raw)
        if len(value) > limit:
            raise _Bad(_("不能超过%(n)d个字符（现为%(m)d个）。") % {"n": limit, "m": len(value)})
        return value

    return clean


def _choice(key):
    def clean(raw, ctx):
        value = _plain(raw).replace(" ", "")
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
    words = [w for w in SEPARATORS.split(_plain(raw)) if w]
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
    number = normalise_id_number(_plain(raw))
    try:
        validate_id_number(number)
    except ValidationError as error:
        raise _Bad(error.messages[0]) from None
    return number


def _clean_union(raw, ctx):
    code = _plain(raw)
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
    value = _plain(raw).replace(" ", "")
    if value and (len(value) > 20 or not PHONE.match(value)):
        raise _Bad(_("联系电话只能包含数字和“-”，最长20位。"))
    return value


def _clean_date(raw, ctx):
    if isinstance(raw, datetime.datetime):
        value = raw.date()
    elif isinstance(raw, datetime.date):
        value = raw
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        digits = _plain(raw)
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
        value_text = _plain(raw)
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
    if isinstance(raw, (int, float)) and len(_plain(raw)) > 15:
        raise _Bad(
            _("银行卡号被 Excel 存成了数字，后几位可能已丢失。请把该列设为文本格式后重新填写。")
        )
    value = _plain(raw).replace(" ", "").replace("-", "")
    if value and not (value.isdigit() and 12 <= len(value) <= 19):
        raise _Bad(_("银行卡号应为12至19位数字。"))
    return value


def _clean_amount(raw, ctx):
    if raw is None or _plain(raw) == "":
        return None
    if isinstance(raw, bool):
        raise _Bad(_("“%(value)s”不是有效金额。") % {"value": _plain(raw)})
    source = str(raw) if isinstance(raw, (int, float)) else _plain(raw)
    cleaned = source.replace(",", "").replace("，", "").removesuffix("元").strip()
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
    "worker_name": _text(50),
    "gender": _choice("gender"),
    "id_number": _clean_id_number,
    "phone": _clean_phone,
    "address": _text(200),
    "employer": _text(100),
    "employment_status": _choice("employment_status"),
    "category": _choice("category"),
    "level": _choice("level"),
    "causes": _clean_causes,
    "housing": _choice("housing"),
    "established_on": _clean_date,
    "bank_account": _clean_bank_account,
    "monthly_income": _clean_amount,
}


@dataclass
class _Context:
    units: dict[str, Unit]
    editable: set[int]
    labels: dict[str, dict[str, str]]
    today: datetime.date
    first_row_of: dict[str, int] = field(default_factory=dict)


def _is_blank(values) -> bool:
    return all(_plain(v) == "" for v in values)


def _clean_row(number, values, mapping, ctx) -> tuple[ImportRow | None, list[RowError]]:
    raw = {column.key: None for column in COLUMNS}
    for index, column in mapping.items():
        if index < len(values):
            raw[column.key] = values[index]
    cleaned, errors = {}, []
    for column in COLUMNS:
        value = raw[column.key]
        if _plain(value) == "":
            if column.required:
                errors.append(RowError(number, column.header, _("此项为必填项，不能为空。")))
                continue
        try:
            cleaned[column.key] = CLEANERS[column.key](value, ctx)
        except _Bad as bad:
            errors.append(RowError(number, column.header, str(bad.args[0])))

    id_number, gender = cleaned.get("id_number"), cleaned.get("gender")
    if id_number and gender and gender_of(id_number) != gender:
        errors.append(
            RowError(
                number,
                BY_KEY["gender"].header,
                _("性别与身份证号不符（身份证号第17位表示%(g)s）。")
                % {"g": _("男") if gender_of(id_number) == "M" else _("女")},
            )
        )
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


def _check_database(rows: list[ImportRow], user) -> list[RowError]:
    """Rows whose worker already has a live file (in file, or a draft on its way)."""
    live = (Household.Status.DRAFT, Household.Status.IN_FILE)
    visible = access.households_visible_to(user)
    by_id = {row.id_number: row for row in rows}
    numbers = list(by_id)
    errors = []
    for start in range(0, len(numbers), 500):
        chunk = numbers[start : start + 500]
        clashes = Household.objects.filter(id_number__in=chunk, status__in=live).order_by("pk")
        shown = set(visible.filter(pk__in=clashes.values("pk")).values_list("pk", flat=True))
        for household in clashes.only("pk", "id_number", "status", "file_number"):
            row = by_id[household.id_number]
            if household.pk in shown:
                message = _("该职工已有档案 %(number)s（%(status)s），不能重复建档。") % {
                    "number": household.file_number,
                    "status": household.get_status_display(),
                }
            else:
                message = _("该身份证号已是另一户在档或待建档的困难职工。")
            errors.append(RowError(row.row, BY_KEY["id_number"].header, message))
    return errors


def parse_and_validate(fileobj, user, *, progress=None) -> Preview:
    """Read the upload and check every row. File-level problems (not an xlsx, no header,
    too many rows) raise ValidationError; row problems are collected in the preview."""
    wb = open_workbook(fileobj)
    try:
        ws = data_sheet(wb)
        rows = numbered_rows(ws)
        header_row, mapping, _before = _find_header(rows)
        ctx = _Context(
            units={u.code: u for u in Unit.objects.only("pk", "code", "name", "kind", "path")},
            editable=set(access.editable_units(user).values_list("pk", flat=True)),
            labels={key: labels(choices) for key, choices in CHOICE_CLASSES.items()},
            today=timezone.localdate(),
        )
        preview = Preview(header_row=header_row, sheet_title=ws.title)
        id_index = next(i for i, c in mapping.items() if c.key == "id_number")
        name_index = next(i for i, c in mapping.items() if c.key == "worker_name")
        for number, values in rows:
            if _is_blank(values):
                continue
            if (
                len(values) > max(id_index, name_index)
                and _plain(values[id_index]) == EXAMPLE_ID
                and _plain(values[name_index]) == EXAMPLE_NAME
            ):
                preview.skipped_example = True
                continue
            preview.total += 1
            if preview.total > MAX_ROWS:
                raise ValidationError(
                    _("文件超过每次 %(max)d 行的上限，请拆分后分批导入。") % {"max": MAX_ROWS},
                    code="too_many_rows",
                )
            row, errors = _clean_row(number, values, mapping, ctx)
            if row is not None:
                preview.rows.append(row)
            preview.errors.extend(errors)
            if progress and preview.total % 1000 == 0:
                progress(preview.total)
    finally:
        wb.close()
    if preview.total == 0:
        raise ValidationError(_("文件中没有数据行。"), code="empty")
    clashes = _check_database(preview.rows, user)
    if clashes:
        bad = {e.row for e in clashes}
        preview.rows = [r for r in preview.rows if r.row not in bad]
        preview.errors.extend(clashes)
    preview.errors.sort(key=lambda e: (e.row, _column_order(e.column)))
    return preview


def _column_order(header: str) -> int:
    column = BY_HEADER.get(header)
    return COLUMNS.index(column) if column else len(COLUMNS)


# --------------------------------------------------------------------------- commit


class _Progress:
    """Validation moves the bar through its first half; the writing happens in one
    transaction, whose progress nobody outside could see before it commits anyway."""

    def __init__(self, progress):
        self.progress = progress

    def validated(self, rows):
        if self.progress:
            self.progress(rows // 2)

    def finished(self, rows):
        if self.progress:
            self.progress(rows)


def upload_dir() -> Path:
    return Path(settings.EXPORT_DIR) / "imports"


def _checked_path(path) -> Path:
    """Only files the upload view stored are ever opened."""
    path = Path(path).resolve()
    if path.parent != upload_dir().resolve() or path.suffix != ".xlsx":
        raise PermissionDenied
    return path


def commit_file(path, user, progress=None) -> int:
    """Validate the stored upload again (never trust the preview) and, only if every row
    is good, write all of them in one transaction. Returns the number of households
    written. Raises ImportRejected, writing nothing, if any row has an error."""
    if not access.can_create_households(user):
        raise PermissionDenied
    path = _checked_path(path)
    bar = _Progress(progress)
    with path.open("rb") as fileobj:
        preview = parse_and_validate(fileobj, user, progress=bar.validated)
    if preview.errors:
        first = [describe(e) for e in preview.errors[:10]]
        if len(preview.errors) > 10:
            first.append(_("……共 %(n)d 处错误，未导入任何数据。") % {"n": len(preview.errors)})
        else:
            first.append(_("未导入任何数据。"))
        raise ImportRejected(first)
    written = write_rows(preview.rows, user)
    bar.finished(preview.total)
    path.unlink(missing_ok=True)  # the roster holds ID numbers: keep no copy once imported
    return written


def write_rows(rows: list[ImportRow], user) -> int:
    """All households, their causes and income items in one transaction, history
    recorded with the acting user and the reason 台账导入. Objects are built and written a
    batch at a time, so memory stays flat however long the roster."""
    groups = defaultdict(list)
    for row in rows:
        groups[row.union.pk].append(row)
    written = 0
    try:
        with transaction.atomic():
            numbered = []
            # Lock unions in a fixed order so two imports cannot wait on each other.
            for union_pk in sorted(groups):
                union_rows = groups[union_pk]
                numbers = household_services.reserve_file_numbers(
                    union_rows[0].union, len(union_rows)
                )
                numbered.extend(zip(union_rows, numbers, strict=True))
            due = {}  # (union, established on) → annual review due date, as filing sets it
            for start in range(0, len(numbered), BATCH_SIZE):
                batch = numbered[start : start + BATCH_SIZE]
                households = []
                for row, file_number in batch:
                    household = _household(row, file_number, user)
                    key = (row.union.pk, row.established_on)
                    if key not in due:
                        due[key] = next_review_due(household, row.established_on)
                    household.review_due_on = due[key]
                    households.append(household)
                _bulk(households, Household, user)
                causes, incomes = [], []
                for (row, _number), household in zip(batch, households, strict=True):
                    causes.extend(
                        _as(user, HardshipCause(household=household, cause=cause))
                        for cause in row.causes
                    )
                    if row.monthly_income is not None:
                        incomes.append(_income(row, household, user))
                _bulk(causes, HardshipCause, user)
                _bulk(incomes, IncomeItem, user)
                written += len(households)
    except IntegrityError as error:
        if "household_one_file_per_worker" in str(error) or "id_number" in str(error):
            raise ImportRejected(
                [
                    _(
                        "有职工在导入过程中已被他人建档（该身份证号已是另一户在档困难职工），未导入任何数据。请重新上传校验。"
                    )
                ]
            ) from error
        raise
    return written


def _bulk(objs, model, user) -> None:
    if objs:
        bulk_create_with_history(
            objs,
            model,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=CHANGE_REASON,
        )


def _income(row: ImportRow, household: Household, user) -> IncomeItem:
    return _as(
        user,
        IncomeItem(
            household=household,
            source=INCOME_SOURCE.get(row.employment_status, IncomeItem.Source.OTHER),
            monthly_amount=row.monthly_income,
            note=INCOME_NOTE,
        ),
    )


def _as(user, obj):
    obj._history_user = user
    obj._change_reason = CHANGE_REASON
    return obj


def _household(row: ImportRow, file_number: str, user) -> Household:
    return _as(
        user,
        Household(
            file_number=file_number,
            union=row.union,
            worker_name=row.worker_name,
            gender=row.gender,
            id_number=row.id_number,
            phone=row.phone,
            address=row.address,
            employer=row.employer,
            employment_status=row.employment_status,
            bank_account=row.bank_account,
            category=row.category,
            level=row.level,
            housing=row.housing,
            status=Household.Status.IN_FILE,
            established_on=row.established_on,
            created_by=user,
        ),
    )
