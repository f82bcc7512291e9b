"""A batch's bank file written in the bank's template (CSV or xlsx, its encoding, its
amount format) and the bank's return file read back in the same template's return shape.

The file is the bank's format, not the site's: its headers are whatever the template says,
whatever language the person uses the site in.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from bank.models import BatchTemplate, TemplateColumn
from hardship import validators

CENT = Decimal("0.01")
MAX_RETURN_BYTES = 5 * 1024 * 1024
MAX_RETURN_ROWS = 20000
XLSX_MAGIC = b"PK\x03\x04"
# Text a spreadsheet would read as a formula is written as text (and names never start so).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def amount_text(template: BatchTemplate, amount: Decimal) -> str:
    if template.amount_format == BatchTemplate.AmountFormat.FEN:
        return str(int((amount * 100).quantize(Decimal("1"))))
    return f"{amount.quantize(CENT):.2f}"


def parse_amount(template: BatchTemplate, value) -> Decimal:
    """An amount cell of a return file, in the template's amount format."""
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("金额“%(v)s”不是数字。") % {"v": text}) from None
    if template.amount_format == BatchTemplate.AmountFormat.FEN:
        if amount != amount.to_integral_value():
            raise ValidationError(_("金额“%(v)s”应为以分为单位的整数。") % {"v": text})
        amount = amount / 100
    if amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError(_("金额“%(v)s”应为正数，最多两位小数。") % {"v": text})
    return amount.quantize(CENT)


def _values(batch, line, sequence: int) -> dict:
    entry = line.entry
    return {
        TemplateColumn.Field.SEQUENCE: str(sequence),
        TemplateColumn.Field.ACCOUNT: line.account,
        TemplateColumn.Field.NAME: entry.payee_name,
        TemplateColumn.Field.AMOUNT: amount_text(batch.template, line.amount),
        TemplateColumn.Field.ID_NUMBER: entry.payee_id_number,
        TemplateColumn.Field.PURPOSE: batch.purpose,
        TemplateColumn.Field.REFERENCE: entry.voucher,
        TemplateColumn.Field.BATCH: batch.number,
    }


def file_rows(batch, lines) -> list[list[str]]:
    """Every row of the bank file as text: the header lines, the column headers, the lines."""
    template = batch.template
    columns = list(template.columns.all())
    total = sum((line.amount for line in lines), Decimal("0"))
    fields = {
        "batch": batch.number,
        "unit": batch.fund.unit.name,
        "account": batch.fund.account_number,
        "account_name": batch.fund.account_name,
        "count": str(len(lines)),
        "total": amount_text(template, total),
        "date": timezone.localdate().strftime("%Y%m%d"),
    }
    rows = []
    for text in template.header_lines.splitlines():
        if text.strip():
            rows.append([_fill(cell.strip(), fields) for cell in text.split("|")])
    if template.column_headers:
        rows.append([column.header for column in columns])
    for sequence, line in enumerate(lines, start=1):
        values = _values(batch, line, sequence)
        rows.append([values[column.field] for column in columns])
    return rows


def _fill(text: str, fields: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: fields.get(m.group(1), m.group(0)), text)


def write(batch, lines) -> bytes:
    """The bank file's bytes. A name the template's encoding cannot hold (a rare character
    outside GBK, say) stops the export with the row named, rather than reaching the bank
    as a question mark."""
    rows = file_rows(batch, lines)
    template = batch.template
    if template.file_format == BatchTemplate.Format.XLSX:
        return _xlsx(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    text = buffer.getvalue()
    try:
        return text.encode(template.encoding)
    except UnicodeEncodeError as error:
        bad = text[error.start : error.end]
        row = text[: error.start].count("\r\n") + 1
        raise ValidationError(
            _("第 %(row)d 行的“%(c)s”无法用 %(enc)s 编码写入银行文件，请与银行确认后改用其他模板。")
            % {"row": row, "c": bad, "enc": template.get_encoding_display()}
        ) from None


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for values in rows:
        sheet.append(values)
    for row in sheet.iter_rows():
        for cell in row:
            # Every cell is text (a card number must not become 6.22E+18); never a formula.
            cell.number_format = "@"
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- return files


@dataclass
class ReturnRow:
    number: int  # the row's number in the file, as a spreadsheet shows it
    account: str = ""
    amount: Decimal | None = None
    paid: bool = False
    status: str = ""
    reason: str = ""
    errors: list = field(default_factory=list)


def _table(template: BatchTemplate, content: bytes) -> list[list[str]]:
    if template.file_format == BatchTemplate.Format.XLSX:
        if not content.startswith(XLSX_MAGIC):
            raise ValidationError(_("回盘文件应为 Excel（xlsx）文件，上传的文件不是。"))
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a damaged zip
            raise ValidationError(_("Excel 文件已损坏，无法读取。")) from None
        sheet = book.worksheets[0]
        table = [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True, max_row=MAX_RETURN_ROWS + 20)
        ]
        book.close()
        return table
    if content.startswith(XLSX_MAGIC):
        raise ValidationError(_("该模板的回盘文件应为 CSV 文本文件，上传的是 Excel 文件。"))
    try:
        text = content.decode(template.encoding)
    except UnicodeDecodeError:
        raise ValidationError(
            _("文件不是 %(enc)s 编码，无法读取；请上传银行给出的原始回盘文件。")
            % {"enc": template.get_encoding_display()}
        ) from None
    return [
        [cell.strip() for cell in row] for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))
    ]


def read_return(template: BatchTemplate, content: bytes) -> list[ReturnRow]:
    """The rows of a return file, each checked on its own (account, amount, status, reason);
    a file of the wrong shape, encoding or size is refused as a whole."""
    if not content:
        raise ValidationError(_("文件是空的。"))
    if len(content) > MAX_RETURN_BYTES:
        raise ValidationError(
            _("文件过大（%(size)s），上限为 %(limit)s。")
            % {"size": filesizeformat(len(content)), "limit": filesizeformat(MAX_RETURN_BYTES)}
        )
    table = _table(template, content)
    header_at = template.return_header_row - 1
    if len(table) <= header_at:
        raise ValidationError(_("文件中没有第 %(n)d 行的列标题。") % {"n": header_at + 1})
    headers = table[header_at]
    wanted = {
        "account": template.return_account,
        "amount": template.return_amount,
        "status": template.return_status,
        "reason": template.return_reason,
    }
    missing = [h for h in wanted.values() if h not in headers]
    if missing:
        raise ValidationError(
            _("第 %(n)d 行缺少列：%(cols)s。请确认选择的批次和模板与银行回盘文件一致。")
            % {"n": header_at + 1, "cols": "、".join(missing)}
        )
    index = {key: headers.index(header) for key, header in wanted.items()}
    paid_values = template.paid_values()
    rows = []
    for number, cells in enumerate(table[header_at + 1 :], start=header_at + 2):
        if not any(cells):
            continue
        if len(rows) >= MAX_RETURN_ROWS:
            raise ValidationError(_("文件超过 %(n)d 行。") % {"n": MAX_RETURN_ROWS})
        cells = cells + [""] * (len(headers) - len(cells))
        row = ReturnRow(number=number)
        row.status = cells[index["status"]]
        row.reason = cells[index["reason"]]
        row.paid = row.status in paid_values
        try:
            row.account = validators.clean_bank_account(cells[index["account"]])
            if not row.account:
                raise ValidationError(_("账号为空。"))
        except ValidationError as error:
            row.errors.extend(error.messages)
        try:
            row.amount = parse_amount(template, cells[index["amount"]])
        except ValidationError as error:
            row.errors.extend(error.messages)
        if not row.status:
            row.errors.append(_("状态为空。"))
        elif not row.paid and not row.reason:
            row.errors.append(_("失败的行须有银行给出的失败原因。"))
        rows.append(row)
    if not rows:
        raise ValidationError(_("文件中没有数据行。"))
    return rows


def return_file_for(batch, results: dict) -> bytes:
    """A return file in the template's return shape, as the bank would send it: every line
    of the batch, paid unless `results` names its line id with a failure reason (the demo's
    bank answers with it)."""
    template = batch.template
    rows = [[""] * 4 for _ in range(template.return_header_row - 1)]
    rows.append(
        [
            template.return_account,
            template.return_amount,
            template.return_status,
            template.return_reason,
        ]
    )
    paid = sorted(template.paid_values())[0] if template.paid_values() else "成功"
    for line in batch.lines.order_by("pk"):
        reason = results.get(line.pk, "")
        rows.append(
            [line.account, amount_text(template, line.amount), "失败" if reason else paid, reason]
        )
    if template.file_format == BatchTemplate.Format.XLSX:
        return _xlsx(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(template.encoding)
