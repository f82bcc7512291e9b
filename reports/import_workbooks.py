"""The workbooks of the roster import that people open in Excel: the template to fill in and
the upload given back with every bad cell marked. openpyxl writes them (they need comments,
fills and drop-down lists); reading and checking the upload is reports/imports.py."""

import datetime
import io
from collections import defaultdict

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reports.excel import DATE
from reports.import_format import (
    BY_HEADER,
    BY_KEY,
    CHOICE_CLASSES,
    COLUMNS,
    DATA_SHEET,
    EXAMPLE_ID,
    EXAMPLE_NAME,
    HELP_SHEET,
    MAX_ROWS,
    TEXT_COLUMNS,
    Preview,
    describe,
    labels,
)
from reports.imports import data_sheet, header_name, numbered_rows, open_workbook

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_FONT = Font(color="9C0006")
REQUIRED_FONT = Font(bold=True, color="A4161A")
TEMPLATE_ROWS = 5000  # rows offered the drop-down lists


# --------------------------------------------------------------------------- template


# openpyxl stores text starting with these as a formula unless told it is text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text(ws, value) -> WriteOnlyCell:
    """A cell that stays text, whatever it starts with."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
    return cell


def template_workbook(units=()) -> bytes:
    """The template to fill in: the data sheet with one example row (skipped on import),
    drop-down lists for the choice columns, and a sheet of instructions. `units` are the
    grassroots unions the person may file in; the instructions list their codes."""
    units = list(units)
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        # Column formats apply to what people type in later: as text, an 18-digit ID or a
        # bank card keeps all its digits.
        if column.key in TEXT_COLUMNS:
            ws.column_dimensions[letter].number_format = "@"
        elif column.key == "established_on":
            ws.column_dimensions[letter].number_format = DATE
    ws.freeze_panes = "A2"

    example = {
        "union_code": units[0].code if units else "G001",
        "worker_name": EXAMPLE_NAME,
        "gender": "男",
        "id_number": EXAMPLE_ID,
        "phone": "13900000000",
        "address": "哈尔滨市南岗区学府路1号",
        "employer": "哈尔滨石化公司",
        "employment_status": "在职",
        "category": "低保边缘户",
        "level": "困难",
        "causes": "因病、因学",
        "housing": "自有住房",
        "established_on": datetime.date(2024, 3, 1),
        "bank_account": "6222020200112233445",
        "monthly_income": 1800,
        "responsible_person": "",
    }
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=2, column=index, value=example[column.key])
        cell.font = Font(italic=True, color="808080")
        if column.key in TEXT_COLUMNS:
            cell.number_format = "@"
        elif column.key == "established_on":
            cell.number_format = DATE
        elif column.key == "monthly_income":
            cell.number_format = "0.00"
    ws.cell(row=2, column=1).comment = Comment(
        _("示例行：导入时自动跳过，可删除或直接覆盖。"), _("系统")
    )

    for key, choices in CHOICE_CLASSES.items():
        if key == "causes":  # several values in one cell: no drop-down list
            continue
        index = COLUMNS.index(BY_KEY[key]) + 1
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(labels(choices)) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("取值不在列表中"),
            error=_("请从下拉列表中选择。"),
        )
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        ws.add_data_validation(validation)

    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.column_dimensions["A"].width = 20
    help_ws.column_dimensions["B"].width = 10
    help_ws.column_dimensions["C"].width = 80
    help_ws.append([_("填写说明")])
    help_ws["A1"].font = Font(bold=True, size=14)
    for line in (
        _("每行填写一户困难职工，第一行为列名，请勿修改列名。红色列名为必填项。"),
        _("档案编号由系统自动生成；导入的档案直接为“在档”状态。"),
        _("身份证号、银行卡号请按文本填写，不要让 Excel 改为科学计数法。"),
        _("全部行校验通过后才会导入；只要有一行有错，就一行也不导入。"),
        _("第2行为示例，导入时自动跳过。每次最多导入 %(max)d 行。") % {"max": MAX_ROWS},
    ):
        help_ws.append([line])
    help_ws.append([])
    help_ws.append([_("列名"), _("是否必填"), _("填写要求")])
    for cell in help_ws[help_ws.max_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for column in COLUMNS:
        help_ws.append(
            [column.header, _("必填") if column.required else _("选填"), _rule(column.key)]
        )
        help_ws.cell(row=help_ws.max_row, column=3).alignment = Alignment(wrap_text=True)
    if units:
        help_ws.append([])
        help_ws.append([_("您可以导入的基层工会")])
        help_ws.cell(row=help_ws.max_row, column=1).font = Font(bold=True)
        help_ws.append([_("基层工会编码"), "", _("名称")])
        for cell in help_ws[help_ws.max_row]:
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        for unit in units:
            _append_text(help_ws, [unit.code, "", unit.name])

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _append_text(ws, values) -> None:
    """Append a row to a normal-mode sheet; text that looks like a formula stays text."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            cell.data_type = "s"


def _allowed(key) -> str:
    return "、".join(labels(CHOICE_CLASSES[key]))


def _rule(key: str) -> str:
    rules = {
        "union_code": _("职工所在基层工会的编码（见本页下方），须是您有权建档的基层工会。"),
        "worker_name": _("最多50个字。"),
        "gender": _("男 或 女，须与身份证号第17位一致（奇数为男，偶数为女）。"),
        "id_number": _(
            "18位居民身份证号，最后一位可为X；系统校验出生日期、行政区划和校验位。同一身份证号不能在文件中出现两次，也不能已是系统中在档或待建档的职工。"
        ),
        "phone": _("数字和“-”，最长20位。"),
        "address": _("最多200个字。"),
        "employer": _("最多100个字。"),
        "causes": _("可填多个，用“、”或“,”分隔。可选：%(values)s") % {"values": _allowed("causes")},
        "established_on": _("日期，如 2024-03-01，不能晚于今天。"),
        "bank_account": _("职工本人名下银行卡，12至19位数字。"),
        "monthly_income": _("元，不能为负数，最多两位小数；在职填工资，离退休填养老金。"),
        "responsible_person": _(
            "帮扶责任人姓名。与本工会或上级工会唯一一名帮扶专干或工会干部的姓名相同的，导入后自动对应到该用户；其余留待在“未匹配的帮扶责任人”中指定。"
        ),
    }
    if key in rules:
        return rules[key]
    return _("可选：%(values)s") % {"values": _allowed(key)}


# --------------------------------------------------------------------------- errors file


def errors_workbook(fileobj, preview: Preview) -> bytes:
    """The uploaded sheet written back row for row (row numbers unchanged) with every bad
    cell filled red and its message in a comment, and an "错误" column with the row's
    messages. Written in write-only mode: the upload may be large."""
    cells = preview.errors_by_cell()
    by_row = defaultdict(list)
    for error in preview.errors:
        by_row[error.row].append(describe(error))
    src = open_workbook(fileobj)
    try:
        source = data_sheet(src)
        out = Workbook(write_only=True)
        ws = out.create_sheet(source.title)
        mapping = None
        width = 0
        for number, values in numbered_rows(source):
            if number == preview.header_row:
                names = [header_name(v) for v in values]
                mapping = {i: BY_HEADER.get(name) for i, name in enumerate(names)}
                width = max(len(values), len(COLUMNS))
                for index in range(width):
                    column = BY_HEADER.get(names[index]) if index < len(names) else None
                    ws.column_dimensions[get_column_letter(index + 1)].width = (
                        column.width if column else 14
                    )
                ws.column_dimensions[get_column_letter(width + 1)].width = 60
                ws.freeze_panes = f"A{number + 1}"
            row_cells = []
            for index, value in enumerate(values):
                cell = _copy_cell(ws, value)
                column = mapping.get(index) if mapping and number > preview.header_row else None
                messages = cells.get((number, column.header)) if column else None
                if messages:
                    cell.fill, cell.font = ERROR_FILL, ERROR_FONT
                    comment = Comment("\n".join(messages), _("系统校验"))
                    comment.width, comment.height = 300, 100
                    cell.comment = comment
                row_cells.append(cell)
            if number == preview.header_row:
                row_cells.extend(text(ws, None) for _i in range(width - len(values)))
                header = text(ws, _("错误"))
                header.font, header.fill = HEADER_FONT, HEADER_FILL
                row_cells.append(header)
            elif number in by_row:
                row_cells.extend(text(ws, None) for _i in range(width - len(values)))
                note = text(ws, "\n".join(by_row[number]))
                note.font = ERROR_FONT
                note.alignment = Alignment(wrap_text=True, vertical="top")
                row_cells.append(note)
            ws.append(row_cells)
    finally:
        src.close()
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _copy_cell(ws, value) -> WriteOnlyCell:
    if isinstance(value, (datetime.datetime, datetime.date)):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE
        return cell
    # Strings through text(): a cell that read "=1+1" goes back as text, never a formula.
    return text(ws, value)
