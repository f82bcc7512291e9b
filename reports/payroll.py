"""The signed payment roster (发放花名册) of a distribution plan or a bank batch, as PDF and
xlsx: household, worker, masked ID number, amount, card tail or 现金, and a column for the
recipient's signature. Print-ready on A4 landscape with the header on every page, a total
at the foot of every page and the grand total on the last.

The pages are cut here, a fixed number of rows each (one line per row, names never wrap),
so each page's total is exactly the rows printed on it, in the PDF and in the workbook.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.pagebreak import Break

from bank.models import BatchLine
from funds.models import LedgerEntry
from hardship.idnumber import mask_id_number
from reports.exports import pdf_bytes

ROWS_PER_PAGE = 14
YUAN_FORMAT = "#,##0.00"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class RosterLine:
    number: int
    file_number: str
    worker_name: str
    union: str
    id_number: str  # masked
    amount: Decimal
    card: str


@dataclass
class RosterPage:
    lines: list
    total: Decimal


@dataclass
class Roster:
    title: str
    details: list  # (label, value) printed under the title
    lines: list = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0"))

    def pages(self) -> list[RosterPage]:
        chunks = [
            self.lines[i : i + ROWS_PER_PAGE] for i in range(0, len(self.lines), ROWS_PER_PAGE)
        ] or [[]]
        return [
            RosterPage(chunk, sum((line.amount for line in chunk), Decimal("0")))
            for chunk in chunks
        ]


def _card(method: str, account: str) -> str:
    if method == LedgerEntry.Method.CASH:
        return _("现金")
    if method == LedgerEntry.Method.IN_KIND:
        return _("实物")
    return _("尾号 %(t)s") % {"t": account[-4:]} if account else "—"


def plan_roster(plan) -> Roster:
    """Every household of the plan: the card its payment went to once posted, the card on
    file before."""
    lines = plan.lines.select_related("household__union", "payment").order_by(
        "household__union__path", "household__file_number"
    )
    roster = Roster(
        title=_("%(name)s 发放花名册") % {"name": plan.name},
        details=[
            (_("发放单位"), plan.unit.name),
            (_("资金账户"), plan.fund.name),
            (_("帮扶类型"), plan.get_aid_type_display()),
            (_("发放方式"), plan.get_method_display()),
            (_("发放日期"), plan.pay_on.isoformat()),
        ],
    )
    for number, line in enumerate(lines, start=1):
        household = line.household
        payment = getattr(line, "payment", None)
        account = payment.bank_account if payment else household.bank_account
        roster.lines.append(
            RosterLine(
                number=number,
                file_number=household.file_number,
                worker_name=household.worker_name,
                union=household.union.name,
                id_number=mask_id_number(household.id_number),
                amount=line.amount,
                card=_card(plan.method, account),
            )
        )
    return roster


def batch_roster(batch) -> Roster:
    """Every line of the bank batch; a line the bank returned says so beside its card."""
    lines = batch.lines.select_related("household__union", "entry").order_by("pk")
    roster = Roster(
        title=_("%(purpose)s 发放花名册（代发批次 %(n)s）")
        % {"purpose": batch.purpose, "n": batch.number},
        details=[
            (_("发放单位"), batch.fund.unit.name),
            (_("资金账户"), batch.fund.name),
            (_("专户"), f"{batch.fund.bank_name} {batch.fund.account_number}".strip() or "—"),
            (_("发放方式"), _("银行代发")),
            (_("生成日期"), timezone.localtime(batch.created_at).date().isoformat()),
        ],
    )
    for number, line in enumerate(lines, start=1):
        household = line.household
        card = _card(LedgerEntry.Method.BANK, line.account)
        if line.state == BatchLine.State.FAILED:
            card = _("%(card)s（银行退回）") % {"card": card}
        roster.lines.append(
            RosterLine(
                number=number,
                file_number=household.file_number,
                worker_name=household.worker_name,
                union=household.union.name,
                id_number=mask_id_number(line.entry.payee_id_number or household.id_number),
                amount=line.amount,
                card=card,
            )
        )
    return roster


def roster_pdf(roster: Roster, *, user) -> bytes:
    return pdf_bytes("reports/payroll_pdf.html", {"roster": roster}, user=user)


def _headers() -> list[str]:
    return [
        _("序号"),
        _("档案编号"),
        _("职工姓名"),
        _("基层工会"),
        _("身份证号"),
        _("金额（元）"),
        _("银行卡/现金"),
        _("领款人签字"),
    ]


def roster_xlsx(roster: Roster) -> bytes:
    """The roster as a workbook laid out like the PDF: landscape A4 one page wide, the
    header row repeated, a page break and the page's total after every page of rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("发放花名册")
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    sheet.append([roster.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["；".join(f"{label}：{value}" for label, value in roster.details)])
    headers = _headers()
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font, cell.border = bold, border
        cell.alignment = Alignment(horizontal="center")
    for page in roster.pages():
        for line in page.lines:
            sheet.append(
                [
                    line.number,
                    line.file_number,
                    line.worker_name,
                    line.union,
                    line.id_number,
                    line.amount,
                    line.card,
                    "",
                ]
            )
            sheet.row_dimensions[sheet.max_row].height = 28
        sheet.append(["", "", "", "", _("本页小计"), page.total, "", ""])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        sheet.row_breaks.append(Break(id=sheet.max_row))
    sheet.append(["", "", "", "", _("合计"), roster.total, "", ""])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.border = border
            if isinstance(cell.value, Decimal):
                cell.number_format = YUAN_FORMAT
            elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"  # user text is never a formula
    for letter, width in zip("ABCDEFGH", (6, 16, 12, 20, 22, 14, 16, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "&P / &N"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
