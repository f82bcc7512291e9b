"""Files people take away: the annual report as Excel and PDF, the roster, notice lists and
approval forms. Each writer takes what a selector already scoped to the user."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from funds.models import AidType, LedgerEntry
from hardship.idnumber import mask_account
from reports import annual, charts
from reports.annual import AnnualReport
from reports.excel import Money, Workbook


def _labels(choices) -> dict[str, str]:
    """Choice labels translated once per export, not once per row (get_FOO_display
    translates on every call: seconds over a province's roster)."""
    return {value: str(label) for value, label in choices.choices}


def _row_headers():
    return [
        _("项目"),
        _("发放金额（元）"),
        _("冲销（元）"),
        _("净发放（元）"),
        _("户数"),
        _("人次"),
    ]


def _rows(rows):
    return [
        [r.label, Money(r.paid), Money(r.reversed), Money(r.net), r.households, r.person_times]
        for r in rows
    ]


def annual_xlsx(report: AnnualReport, target, *, progress=None) -> int:
    """Write the workbook to `target` (a path or a binary stream). Returns ledger rows written."""
    title = _("%(unit)s %(year)d 年度帮扶资金使用情况") % {
        "unit": report.unit.name,
        "year": report.year,
    }
    stamp = _("生成时间：%(at)s；数据截至台账第 %(id)s 条") % {
        "at": report.generated_at.strftime("%Y-%m-%d %H:%M"),
        "id": report.last_entry_id or 0,
    }
    with Workbook(target) as wb:
        wb.add_sheet(
            _("汇总"),
            [_("项目"), _("金额/数量")],
            _summary(report),
            [28, 20],
            preamble=[[title], [stamp]],
        )
        for sheet, rows, width in (
            (_("慰问金与物资"), report.condolence, 20),
            (_("按基层工会"), report.by_union, 28),
            (_("按帮扶类型"), report.by_aid_type, 20),
            (_("按致困原因"), report.by_cause, 20),
            (_("困难劳模"), report.model_workers, 20),
        ):
            wb.add_sheet(sheet, _row_headers(), _rows(rows), [width, 16, 14, 16, 10, 10])
        wb.add_sheet(
            _("物资明细"),
            [_("物资名称"), _("数量"), _("计量单位"), _("价值（元）"), _("人次")],
            [[g.goods, g.quantity, g.unit, Money(g.value), g.person_times] for g in report.goods],
            [28, 12, 10, 16, 10],
        )
        if report.front_door is not None:
            wb.add_sheet(
                _("来访接待与法律援助"),
                [_("项目"), _("数量/金额")],
                front_door_rows(report.front_door),
                [30, 16],
            )
        wb.add_sheet(
            _("资金专户"),
            [_("资金账户"), _("年度"), _("资金来源"), _("开户银行"), _("账户名称"), _("专户账号")],
            [
                [
                    f.name,
                    f.year,
                    f.get_source_display(),
                    f.bank_name,
                    f.account_name,
                    f.account_number,
                ]
                for f in report.funds
            ],
            [24, 8, 16, 24, 28, 22],
        )
        wb.add_sheet(
            _("小额借款"),
            [_("项目"), _("金额/数量")],
            [
                [label, Money(value) if money else float(value)]
                for label, value, money in report.loans.rows()
            ],
            [28, 20],
        )
        wb.add_sheet(
            _("就业帮扶"),
            [_("项目"), _("数值")],
            [[label, _cell(value, kind)] for label, value, kind in report.employment],
            [28, 16],
        )
        return wb.add_sheet(
            _("资金台账"),
            [
                _("记账日期"),
                _("凭证号"),
                _("类型"),
                _("资金账户"),
                _("帮扶类型"),
                _("基层工会"),
                _("收款人"),
                _("银行卡号"),
                _("发放方式"),
                _("摘要"),
                _("冲销凭证"),
                _("金额（元）"),
            ],
            _ledger(report, progress),
            [],  # fitted to the text (excel.py)
        )


def _cell(value, kind):
    """An employment figure as a workbook cell: money in yuan format, a percent as a number."""
    if value is None:
        return "—"
    if kind == "money":
        return Money(value)
    if kind == "percent":
        return float(value)
    return value


def _summary(report: AnnualReport) -> list:
    return [
        [_("年初余额"), Money(report.opening)],
        *[
            [_("到账：%(source)s") % {"source": label}, Money(amount)]
            for label, amount in report.receipts_by_source
        ],
        [_("到账合计"), Money(report.receipts_total)],
        [_("到账冲销"), Money(report.receipt_reversals)],
        [_("发放合计"), Money(report.payments_total)],
        [_("发放冲销"), Money(report.payment_reversals)],
        [_("净发放"), Money(report.net_paid)],
        [_("借出小额借款"), Money(report.loans_out)],
        [_("收回小额借款"), Money(report.loan_repayments)],
        [_("帮扶户数"), report.households_helped],
        [_("帮扶人次"), report.person_times],
        [_("户均帮扶金额"), Money(report.average_per_household)],
        [_("年末余额"), Money(report.closing)],
        [_("资金使用率（%）"), float(report.utilisation)],
    ]


def _rate(value) -> float | str:
    return float(value) if value is not None else "—"


def front_door_rows(figures) -> list:
    """The front door's figures as rows of the workbook's sheet."""
    return [
        [_("来电来访来信登记"), figures.total],
        *[[_("渠道：%(c)s") % {"c": label}, n] for label, n in figures.by_channel],
        *[[_("类别：%(t)s") % {"t": label}, n] for label, n in figures.by_topic],
        [_("办结"), figures.closed],
        [_("按期办结"), figures.closed_on_time],
        [_("按期办结率（%）"), _rate(figures.on_time_rate)],
        [_("回访联系上"), figures.reached],
        [_("满意（含基本满意）"), figures.satisfied],
        [_("满意率（%）"), _rate(figures.satisfaction_rate)],
        [_("法律援助受理"), figures.legal_opened],
        [_("法律援助结案"), figures.legal_concluded],
        *[[_("结案：%(o)s") % {"o": label}, n] for label, n in figures.legal_by_outcome],
        [_("挽回金额（元）"), Money(figures.amount_recovered)],
        [_("申诉"), figures.appeals],
        [_("申诉：办理中"), figures.appeals_pending],
        [_("申诉：成立"), figures.appeals_upheld],
        [_("申诉：维持原决定"), figures.appeals_dismissed],
    ]


def _ledger(report: AnnualReport, progress):
    kinds, aid_types = _labels(LedgerEntry.Kind), _labels(AidType)
    methods = _labels(LedgerEntry.Method)
    for count, (
        posted_on,
        voucher,
        kind,
        fund,
        aid_type,
        union,
        payee,
        account,
        method,
        note,
        reverses,
        amount,
    ) in enumerate(annual.ledger_rows(report.year, report.unit), start=1):
        if progress and count % 5000 == 0:
            progress(count)
        yield [
            posted_on,
            voucher,
            kinds[kind],
            fund,
            aid_types.get(aid_type, aid_type),
            union,
            payee,
            mask_account(account),
            methods.get(method, method),
            note,
            reverses,
            Money(amount),
        ]


def pdf_bytes(template: str, context: dict, *, user=None) -> bytes:
    """Render an HTML template to PDF with the shipped CJK font."""
    from weasyprint import HTML

    context = {
        **context,
        "font_dir": settings.REPORT_FONT_DIR.as_uri(),
        "exported_by": user or _("系统"),  # the management command exports without a user
        "exported_at": timezone.localtime(),
    }
    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def annual_pdf(report: AnnualReport, *, user=None) -> bytes:
    return pdf_bytes("reports/annual_pdf.html", annual_context(report), user=user)


def annual_context(report: AnnualReport) -> dict:
    # Each chart is named by its section; the table under it holds the same figures.
    sections = [
        (_("发放（按基层工会）"), report.by_union),
        (_("发放（按帮扶类型）"), report.by_aid_type),
        (_("发放（按主要致困原因）"), report.by_cause),
        (_("其中：困难劳模（按称号级别）"), report.model_workers),
    ]
    return {
        "report": report,
        "sections": [
            (
                title,
                rows,
                charts.bar_chart([(r.label, r.net) for r in rows], title=title, unit=_("元")),
            )
            for title, rows in sections
        ],
    }
