"""The workbooks people take away (annual report, roster), written as SpreadsheetML straight
into the zip, one row at a time.

Why not openpyxl here: its per-cell cost (about 7 µs even in write-only mode with lxml) made
a year's ledger of 200,000 rows × 12 columns take 16 s on its own; these few lines write the
same sheet in about 1.5 s with constant memory (docs/benchmarks.md). openpyxl still reads the
imported rosters and writes the import's error workbook, which needs comments and fills.

What the files hold: amounts as numbers with a yuan format, dates as dates, a bold frozen
header row, column widths fitted to the text (a Chinese character counts as two), Chinese
sheet names — and every piece of text as an inline string, so user text can never become a
formula (nothing is ever written as one). Every sheet prints landscape on A4, scaled to the
page width, with its header row repeated on each page and page numbers in the footer.
"""

import datetime
import itertools
import math
import re
import unicodedata
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

YUAN = '#,##0.00"元"'
DATE = "yyyy-mm-dd"
MAX_ROWS = 1_048_576  # Excel opens no more
MAX_TEXT = 32_767  # characters in one cell
# Characters XML 1.0 cannot carry at all (a pasted control character would break the file).
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Column widths are measured on the header and the first rows (the rest stream past unseen),
# in characters of the default font; a wider column is capped and its text overflows.
SAMPLE_ROWS = 500
MAX_WIDTH = 50
PADDING = 2

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'

# Cell styles by their index in STYLES' cellXfs.
PLAIN, DATE_STYLE, MONEY_STYLE, HEADER_STYLE = 0, 1, 2, 3
STYLES = f"""<styleSheet xmlns="{MAIN}">
<numFmts count="2"><numFmt numFmtId="164" formatCode={quoteattr(YUAN)}/><numFmt numFmtId="165" formatCode="{DATE}"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment horizontal="center"/></xf>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


# After the sheet data, in the order the schema wants: landscape A4, one page wide and as
# many pages long as it takes, centred, with grid lines and "page / pages" in the footer.
PRINT_SETUP = (
    '<printOptions horizontalCentered="1" gridLines="1"/>'
    '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
    '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
    "<headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter>"
)


def _sheet_ref(title: str) -> str:
    """A sheet name as a formula reference: quoted, quotes doubled."""
    return "'" + title[:31].replace("'", "''") + "'"


class Money(Decimal):
    """Marks a value to be written with the yuan number format."""


def display_width(value) -> int:
    """How many character widths a value takes in a cell: wide (CJK) characters count two."""
    if value is None or value == "":
        return 0
    if isinstance(value, str):
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)
    if isinstance(value, Money):
        return len(f"{value:,.2f}") + 2  # and "元"
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, Decimal | float):
        return len(f"{value:,.2f}")
    return len(str(value))


def _fitted_widths(floors, headers, sample) -> list[int]:
    columns = max(len(floors), len(headers))  # a wider row is refused when written
    widths = []
    for i in range(columns):
        cells = [headers[i] if i < len(headers) else None]
        cells += [row[i] for row in sample if i < len(row)]
        measured = min(MAX_WIDTH, max(display_width(v) for v in cells) + PADDING)
        widths.append(max(floors[i] if i < len(floors) else 0, measured))
    return widths


def _text(ref: str, value: str, style: int = PLAIN) -> str:
    value = escape(ILLEGAL.sub("", value[:MAX_TEXT]))
    space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t{space}>{value}</t></is></c>'


def _cell(ref: str, value) -> str:
    """One cell's XML; empty text and None write nothing."""
    if isinstance(value, str):
        return _text(ref, value) if value else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Decimal | float) and not math.isfinite(value):
        raise ValueError(f"{value} is not a number a spreadsheet can hold")
    if isinstance(value, Money):
        return f'<c r="{ref}" s="{MONEY_STYLE}"><v>{value:f}</v></c>'
    if isinstance(value, datetime.datetime):
        raise TypeError("write dates, not datetimes: a spreadsheet has no time zones")
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, Decimal):
        return f'<c r="{ref}"><v>{value:f}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    raise TypeError(f"cannot write {type(value).__name__} to a workbook")


class Workbook:
    """An xlsx package written to `target` (a path or a binary stream) sheet by sheet.

    Use as a context manager: the package's index parts are written when the block ends
    without an error."""

    def __init__(self, target):
        self._zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
        self._titles: list[str] = []
        self._header_rows: list[int] = []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            self.close()
        else:  # without its index parts the file opens nowhere: no half export passes as whole
            self._zip.close()

    def add_sheet(self, title: str, headers: list[str], rows, widths: list[int], *, preamble=()):
        """A sheet with optional preamble lines, then a bold frozen header row, then the rows.
        `widths` are the least widths of the columns; text wider than them widens the column.
        Rows beyond what Excel opens in one sheet continue on sheets named "title（2）",
        "title（3）", … each under the same header row. Returns the number of rows written
        under the headers."""
        rows = iter(rows)
        sample = list(itertools.islice(rows, SAMPLE_ROWS))
        widths = _fitted_widths(widths, headers, sample)
        rows = itertools.chain(sample, rows)
        written, part = 0, 1
        while True:
            name = title if part == 1 else f"{title[:26]}（{part}）"
            written += self._sheet(name, headers, rows, widths, preamble if part == 1 else ())
            try:
                rows = itertools.chain([next(rows)], rows)
            except StopIteration:
                return written
            part += 1

    def _sheet(self, title, headers, rows, widths, preamble) -> int:
        """One sheet of at most MAX_ROWS rows in all, taken from `rows`."""
        self._titles.append(title)
        header_row = len(preamble) + 1
        self._header_rows.append(header_row)
        letters = [get_column_letter(i) for i in range(1, max(len(headers), len(widths)) + 1)]
        with self._zip.open(f"xl/worksheets/sheet{len(self._titles)}.xml", "w") as part:
            part.write(self._sheet_top(header_row, widths).encode())
            chunk = []
            for number, line in enumerate(preamble, start=1):
                chunk.append(self._row(number, letters, line))
            chunk.append(
                f'<row r="{header_row}">'
                + "".join(
                    _text(f"{letters[i]}{header_row}", h, HEADER_STYLE)
                    for i, h in enumerate(headers)
                )
                + "</row>"
            )
            written = 0
            room = itertools.islice(rows, MAX_ROWS - header_row)
            for number, line in enumerate(room, start=header_row + 1):
                chunk.append(self._row(number, letters, line))
                written += 1
                if len(chunk) >= 1000:
                    part.write("".join(chunk).encode())
                    chunk = []
            chunk.append(f"</sheetData>{PRINT_SETUP}</worksheet>")
            part.write("".join(chunk).encode())
        return written

    @staticmethod
    def _row(number: int, letters: list[str], values) -> str:
        # letters[i] raises on a row wider than the sheet's columns rather than dropping cells.
        cells = "".join(_cell(f"{letters[i]}{number}", value) for i, value in enumerate(values))
        return f'<row r="{number}">{cells}</row>'

    def _sheet_top(self, header_row: int, widths: list[int]) -> str:
        selected = ' tabSelected="1"' if len(self._titles) == 1 else ""
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        return (
            f"{XML_DECLARATION}\n"
            f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
            f'<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<sheetViews><sheetView workbookViewId="0"{selected}>'
            f'<pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" activePane="bottomLeft"'
            f' state="frozen"/><selection pane="bottomLeft" activeCell="A{header_row + 1}"'
            f' sqref="A{header_row + 1}"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>'
            f"{f'<cols>{cols}</cols>' if cols else ''}<sheetData>"
        )

    def _part(self, name: str, xml: str) -> None:
        self._zip.writestr(name, f"{XML_DECLARATION}\n{xml}")

    def close(self):
        """Write the parts that index the sheets: the workbook, its relations, the styles and
        the package's content types."""
        if self._zip.fp is None:
            return
        numbers = range(1, len(self._titles) + 1)
        sheets = "".join(
            f'<sheet name={quoteattr(title[:31])} sheetId="{i}" r:id="rId{i}"/>'
            for i, title in zip(numbers, self._titles, strict=True)
        )
        # The header row printed on top of every page (Excel's "print titles").
        titles = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i - 1}">'
            f"{escape(_sheet_ref(title))}!${row}:${row}</definedName>"
            for i, title, row in zip(numbers, self._titles, self._header_rows, strict=True)
        )
        self._part(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView activeTab="0"/>'
            f"</bookViews><sheets>{sheets}</sheets>"
            f"{f'<definedNames>{titles}</definedNames>' if titles else ''}</workbook>",
        )
        relations = "".join(
            f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in numbers
        )
        self._part(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE_RELS}">{relations}<Relationship '
            f'Id="rId{len(numbers) + 1}" Type="{RELS}/styles" Target="styles.xml"/></Relationships>',
        )
        self._part("xl/styles.xml", STYLES)
        self._part(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CONTENT}.worksheet+xml"/>'
            for i in numbers
        )
        self._part(
            "[Content_Types].xml",
            f'<Types xmlns="{TYPES}">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CONTENT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{CONTENT}.styles+xml"/>'
            f"{overrides}</Types>",
        )
        self._zip.close()
