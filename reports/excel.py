"""Excel workbooks in openpyxl's write-only mode: constant memory for large ledgers,
amounts as numbers with a yuan format, frozen header rows, Chinese sheet names, and user
text that can never become a formula."""

import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

YUAN = '#,##0.00"元"'
DATE = "yyyy-mm-dd"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")


class Money(Decimal):
    """Marks a value to be written with the yuan number format."""


def text(ws, value) -> WriteOnlyCell:
    """A cell that stays text: openpyxl would store '=…' (and '+', '-', '@') as a formula."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
    return cell


def _cell(ws, value):
    if isinstance(value, Money):
        cell = WriteOnlyCell(ws, value=Decimal(value))
        cell.number_format = YUAN
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE
        return cell
    if isinstance(value, str):
        return text(ws, value)
    return WriteOnlyCell(ws, value=value)


def add_sheet(
    wb: Workbook, title: str, headers: list[str], rows, widths: list[int], *, preamble=()
):
    """A sheet with optional preamble lines, then a bold frozen header row, then the rows."""
    ws = wb.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    # In write-only mode the sheet view is written with the first row: freeze before appending.
    header_row = len(preamble) + 1
    ws.freeze_panes = f"A{header_row + 1}"
    for line in preamble:
        ws.append([_cell(ws, value) for value in line])
    cells = []
    for title_text in headers:
        cell = text(ws, title_text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        ws.append([_cell(ws, value) for value in row])
    return ws


def new_workbook() -> Workbook:
    return Workbook(write_only=True)
