"""Reading an outside list's file: an Excel workbook (.xlsx) or a CSV file in UTF-8 or GBK,
as a header and numbered rows of text. Wrong shape, encoding or size: a ValidationError a
person can act on. (The roster import's readers live in reports, a layer above this app;
this reader adds CSV and its encodings.)"""

import csv
import datetime
import io
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def cell_text(value) -> str:
    """A cell as text: numbers without a trailing '.0', dates as 2024-03-01, spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").replace("\xa0", " ").strip()


def _decode(data: bytes) -> str:
    """UTF-8 (with or without the byte-order mark Excel writes), else GBK (read as GB18030,
    its superset); anything else is refused rather than guessed."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("无法识别文件的字符编码。请把 CSV 文件另存为 UTF-8 或 GBK 编码后再上传。"),
        code="encoding",
    )


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise ValidationError(_("文件中有无法识别的字符，不是文本格式的 CSV 文件。"), code="binary")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    return [[cell_text(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    not_xlsx = ValidationError(
        _("无法读取该 Excel 文件：只接受 .xlsx 工作簿或 CSV 文件。"), code="not_xlsx"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_xlsx from None
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise ValidationError(_("文件解压后过大，请拆分后分批导入。"), code="too_large")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except Exception:  # openpyxl raises many kinds of errors for a malformed workbook
        raise not_xlsx from None
    return rows


def read_table(upload) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (the first non-empty row) and the data rows with the line number a
    spreadsheet shows. Blank rows are skipped."""
    data = upload.read()
    if not data:
        raise ValidationError(_("文件是空的。"), code="empty")
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("文件过大（%(size)s），上限为 %(limit)s。请拆分后分批导入。")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(MAX_BYTES)},
            code="too_large",
        )
    if data.startswith(OLE_MAGIC):
        raise ValidationError(
            _("这是旧版 Excel（.xls）文件。请在 Excel 中“另存为”.xlsx 或 CSV 格式后再上传。"),
            code="xls",
        )
    rows = _xlsx_rows(data) if data.startswith(XLSX_MAGIC) else _csv_rows(data)
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if any(row)]
    if not numbered:
        raise ValidationError(_("文件中没有任何数据。"), code="empty")
    (_header_line, header), body = numbered[0], numbered[1:]
    if sum(1 for name in header if name) < 2:
        raise ValidationError(
            _("第一行应是列标题（如“身份证号”“姓名”），文件中只找到一列，请检查文件格式。"),
            code="shape",
        )
    if not body:
        raise ValidationError(_("文件中只有标题行，没有数据行。"), code="empty")
    if len(body) > MAX_ROWS:
        raise ValidationError(
            _("文件有 %(n)d 行数据，超过上限 %(limit)d 行，请拆分后分批导入。")
            % {"n": len(body), "limit": MAX_ROWS},
            code="too_many_rows",
        )
    width = len(header)
    return header, [(n, (row + [""] * width)[:width]) for n, row in body]
