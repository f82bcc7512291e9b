"""Importing existing household rosters (困难职工台账) from Excel.

An upload read and validated row by row into a preview, and a commit that validates again
and writes every row or none. Beside it: the file's format (import_format.py), the checks of
one row's cells (import_cleaning.py), and the template and the upload given back with every
bad cell marked (import_workbooks.py).

The column headers and the values of the choice columns are a fixed data format in Chinese
(the model's Chinese labels), whatever language the person uses the site in: a roster is
the same file for everybody. Messages and instructions follow the site language.
"""

import io
import re
import zipfile
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from simple_history.utils import bulk_create_with_history

from hardship import access
from hardship.history import acted_by
from hardship.models import Unit
from households import services as household_services
from households.access import households_visible_to
from households.models import HardshipCause, Household, IncomeItem, main_cause_by_default
from households.responsible import match_responsible_names
from households.reviews import next_review_due
from reports import storage
from reports.import_cleaning import Context, clean_row, is_blank, plain
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

# --------------------------------------------------------------------------- reading


def header_name(value) -> str:
    """'*身份证号（18位）' and '身份证号' name the same column."""
    name = plain(value).strip("*＊ ")
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


def _check_database(rows: list[ImportRow], user) -> list[RowError]:
    """Rows whose worker already has a live file (in file, or a draft on its way)."""
    live = (Household.Status.DRAFT, Household.Status.IN_FILE)
    visible = households_visible_to(user)
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
        ctx = Context(
            units={u.code: u for u in Unit.objects.only("pk", "code", "name", "kind", "path")},
            editable=set(access.editable_units(user).values_list("pk", flat=True)),
            labels={key: labels(choices) for key, choices in CHOICE_CLASSES.items()},
            today=timezone.localdate(),
        )
        preview = Preview(header_row=header_row, sheet_title=ws.title)
        id_index = next(i for i, c in mapping.items() if c.key == "id_number")
        name_index = next(i for i, c in mapping.items() if c.key == "worker_name")
        for number, values in rows:
            if is_blank(values):
                continue
            if (
                len(values) > max(id_index, name_index)
                and plain(values[id_index]) == EXAMPLE_ID
                and plain(values[name_index]) == EXAMPLE_NAME
            ):
                preview.skipped_example = True
                continue
            preview.total += 1
            if preview.total > MAX_ROWS:
                raise ValidationError(
                    _("文件超过每次 %(max)d 行的上限，请拆分后分批导入。") % {"max": MAX_ROWS},
                    code="too_many_rows",
                )
            row, errors = clean_row(number, values, mapping, ctx)
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


def _checked_name(upload) -> str:
    """Only files the upload view stored are ever opened."""
    name = storage.stored_name(upload)
    if name is None or not name.startswith(f"{storage.IMPORTS}/"):
        raise PermissionDenied
    return name


def commit_file(upload, user, progress=None) -> int:
    """Validate the stored upload (its name in the export storage) again (never trust the
    preview) and, only if every row is good, write all of them in one transaction. Returns
    the number of households written. Raises ImportRejected, writing nothing, if any row
    has an error."""
    if not access.can_create_households(user):
        raise PermissionDenied
    name = _checked_name(upload)
    bar = _Progress(progress)
    with storage.exports().open(name, "rb") as fileobj:
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
    storage.exports().delete(name)  # the roster holds ID numbers: keep no copy once imported
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
                named = [h.pk for h in households if h.responsible_person]
                if named:
                    match_responsible_names(Household.objects.filter(pk__in=named), actor=user)
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
    return acted_by(user, obj, reason=CHANGE_REASON)


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
            main_cause=main_cause_by_default(row.causes),
            housing=row.housing,
            status=Household.Status.IN_FILE,
            established_on=row.established_on,
            responsible_person=row.responsible_person,
            created_by=user,
        ),
    )
