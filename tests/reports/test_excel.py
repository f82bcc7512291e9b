"""The workbook writer on its own: what a spreadsheet program reads back from its files.

The files are read with openpyxl, which parses the package the way Excel does (content
types, relationships, styles by index); the annual report and roster tests cover the
sheets people use."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reports import excel
from reports.excel import YUAN, Money, Workbook


def written(*sheets) -> bytes:
    buffer = io.BytesIO()
    with Workbook(buffer) as wb:
        for title, headers, rows, kwargs in sheets:
            wb.add_sheet(title, headers, rows, [12] * len(headers), **kwargs)
    return buffer.getvalue()


def read(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_cells_keep_their_types_and_formats():
    day = datetime.date(2025, 2, 28)
    data = written(
        (
            "台账",
            ["日期", "金额", "件数", "比率", "说明", "是否"],
            [
                [day, Money("-1200.50"), 3, 8.56, "春节慰问", True],
                [day, Money("0.01"), 0, 0.5, "", False],
            ],
            {},
        )
    )
    ws = read(data)["台账"]
    date, money, count, ratio, note, flag = ws[2]
    assert date.value == datetime.datetime(2025, 2, 28) and date.number_format == "yyyy-mm-dd"
    assert money.value == -1200.5 and money.number_format == YUAN and money.data_type == "n"
    assert count.value == 3 and ratio.value == 8.56
    assert note.value == "春节慰问" and note.data_type == "s"
    assert flag.value is True
    assert ws["E3"].value is None  # empty text writes no cell
    assert Decimal(str(ws["B3"].value)) == Decimal("0.01")


@pytest.mark.parametrize("value", ["=1+1", "+86 138", "-5", "@SUM(A1)", '=HYPERLINK("x")'])
def test_text_that_looks_like_a_formula_stays_text(value):
    ws = read(written(("表", ["说明"], [[value]], {})))["表"]
    assert ws["A2"].data_type == "s" and ws["A2"].value == value


def test_markup_spaces_and_control_characters_survive_as_plain_text():
    ws = read(
        written(("表", ["说明"], [["<b>&amp;</b>"], ["  两端空格  "], ["换\x07行\x00"]], {}))
    )["表"]
    assert ws["A2"].value == "<b>&amp;</b>"
    assert ws["A3"].value == "  两端空格  "
    assert ws["A4"].value == "换行"  # XML cannot carry control characters: they are dropped


def test_each_sheet_has_a_bold_frozen_header_under_its_preamble():
    wb = read(
        written(
            (
                "汇总",
                ["项目", "金额"],
                [["年初余额", Money("1")]],
                {"preamble": [["标题"], ["生成时间"]]},
            ),
            ("明细", ["项目"], [], {}),
        )
    )
    assert wb.sheetnames == ["汇总", "明细"]
    assert wb["汇总"].freeze_panes == "A4" and wb["明细"].freeze_panes == "A2"
    assert wb["汇总"]["A1"].value == "标题" and wb["汇总"]["A3"].font.b
    assert wb["汇总"].column_dimensions["B"].width == 12


def test_the_package_names_every_part_it_holds():
    data = written(("一", ["a"], [[1]], {}), ("二", ["b"], [[2]], {}))
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sorted(names) == sorted(
        [
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/sheet2.xml",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "_rels/.rels",
            "[Content_Types].xml",
        ]
    )


def test_a_row_wider_than_the_sheet_is_refused_not_cut():
    with pytest.raises(IndexError):
        written(("表", ["一"], [[1, 2]], {}))


def test_times_of_day_are_refused():
    """A spreadsheet has no time zone: write the local date instead."""
    with pytest.raises(TypeError):
        written(("表", ["时间"], [[datetime.datetime(2025, 1, 1, 8, 0)]], {}))


def test_rows_beyond_excels_limit_continue_on_sheets_under_the_same_header(monkeypatch):
    """A year's ledger of two million rows does not fit one sheet (Excel opens 1,048,576
    rows): it goes on over continuation sheets, each with the header, and no row is lost."""
    monkeypatch.setattr(excel, "MAX_ROWS", 3)  # the header row and two rows a sheet
    book = read(
        written(("台账", ["序号"], [[n] for n in range(1, 6)], {}), ("汇总", ["一"], [], {}))
    )
    assert book.sheetnames == ["台账", "台账（2）", "台账（3）", "汇总"]
    sheets = [
        [row[0] for row in book[name].iter_rows(values_only=True)] for name in book.sheetnames
    ]
    assert sheets == [["序号", 1, 2], ["序号", 3, 4], ["序号", 5], ["一"]]


def test_a_sheet_that_exactly_fills_excels_limit_has_no_empty_continuation(monkeypatch):
    monkeypatch.setattr(excel, "MAX_ROWS", 3)
    book = read(written(("台账", ["序号"], [[1], [2]], {})))
    assert book.sheetnames == ["台账"]


def test_an_export_that_fails_half_way_leaves_no_workbook_that_opens():
    def rows():
        yield [1]
        raise RuntimeError("the database went away")

    buffer = io.BytesIO()
    with pytest.raises(RuntimeError), Workbook(buffer) as wb:
        wb.add_sheet("表", ["一"], rows(), [10])
    names = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).namelist()
    assert "xl/workbook.xml" not in names and "[Content_Types].xml" not in names
    with pytest.raises(Exception):  # noqa: B017 - whatever the reader calls it, it cannot open
        read(buffer.getvalue())


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN"), Money("Infinity")])
def test_a_value_that_is_not_a_number_is_refused(value):
    with pytest.raises(ValueError, match="not a number"):
        written(("表", ["金额"], [[value]], {}))


def test_every_sheet_prints_landscape_one_page_wide_with_the_header_on_each_page():
    wb = read(
        written(
            (
                "汇总",
                ["项目", "金额"],
                [["年初余额", Money("1")]],
                {"preamble": [["标题"], ["时间"]]},
            ),
            ("O'Brien 明细", ["项目"], [["a"]], {}),
        )
    )
    for ws, header in ((wb["汇总"], 3), (wb["O'Brien 明细"], 1)):
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.print_title_rows == f"${header}:${header}"
        assert ws.freeze_panes == f"A{header + 1}"
        assert ws.print_options.gridLines and ws.print_options.horizontalCentered
        assert ws.oddFooter.center.text == "&P / &N"


def test_columns_are_as_wide_as_their_chinese_text():
    assert excel.display_width("困难职工") == 8
    assert excel.display_width("ABC") == 3
    assert excel.display_width(Money("1174000")) == len("1,174,000.00") + 2
    data = io.BytesIO()
    with Workbook(data) as wb:
        wb.add_sheet(
            "表",
            ["档案编号", "家庭住址"],
            [["DA-001", "黑龙江省鸡西市鸡冠区红星乡红星村"], ["DA-002", "x" * 300]],
            [6],
        )
    ws = read(data.getvalue())["表"]
    assert ws.column_dimensions["A"].width == 10  # the header: 4 characters × 2 + padding
    # The longest text in the first rows, capped: a paragraph does not make a page-wide column.
    assert ws.column_dimensions["B"].width == excel.MAX_WIDTH
    with Workbook(data := io.BytesIO()) as wb:
        wb.add_sheet("表", ["住址"], [["黑龙江省鸡西市鸡冠区红星乡"]], [])
    assert read(data.getvalue())["表"].column_dimensions["A"].width == 13 * 2 + excel.PADDING
