"""Demo money: funds of every source with receipts, festival distributions over three years,
payment of effective relief, a reversal, and the ended years closed (年度结账).
Driven through the real services so every balance is the sum of its ledger. Called by
`seed_demo`.

The services take back-dated postings only within the policy's window (the current and the
previous month by default); the three years of history are entered under a wider window
that is removed again afterwards, so the demo then runs with the default."""

import datetime
from decimal import Decimal

from django.utils import timezone

from cases import demo as cases_demo
from cases import engine
from cases.models import Application
from funds import campaign_demo, closing, ledger, plans
from funds.models import AidType, DistributionPlan, Fund, LedgerEntry
from hardship.demo import demo_pdf
from hardship.history import acted_by
from hardship.models import PolicyParameter, Unit, User
from households.models import Household

A = AidType
Source = Fund.Source
# (company, source, name, years, aid types, receipt per year)
FUNDS = [
    (
        "SH",
        Source.GROUP,
        "集团公司帮扶资金",
        (2024, 2025, 2026),
        [A.REGULAR, A.EMERGENCY, A.LIVING, A.FESTIVAL],
        "300000",
    ),
    (
        "SH",
        Source.DUES,
        "工会经费送温暖资金",
        (2024, 2025, 2026),
        [A.FESTIVAL, A.IN_KIND],
        "150000",
    ),
    (
        "SH",
        Source.CENTRAL,
        "中央财政专项帮扶资金",
        (2026,),
        [A.EMERGENCY, A.EDUCATION, A.MEDICAL],
        "500000",
    ),
    ("SH", Source.LOCAL, "地方配套帮扶资金", (2026,), [A.EDUCATION, A.MEDICAL, A.LIVING], "200000"),
    ("SH", Source.DONATION, "爱心一日捐", (2026,), [A.EMERGENCY, A.MEDICAL, A.EDUCATION], "221000"),
    (
        "MY",
        Source.GROUP,
        "集团公司帮扶资金",
        (2024, 2025, 2026),
        [A.REGULAR, A.EMERGENCY, A.LIVING, A.FESTIVAL],
        "120000",
    ),
    ("MY", Source.DUES, "工会经费送温暖资金", (2024, 2025, 2026), [A.FESTIVAL, A.IN_KIND], "60000"),
    (
        "MY",
        Source.CENTRAL,
        "中央财政专项帮扶资金",
        (2026,),
        [A.EMERGENCY, A.EDUCATION, A.MEDICAL],
        "300000",
    ),
    ("MY", Source.LOCAL, "劳模专项帮扶资金", (2026,), [A.REGULAR, A.FESTIVAL, A.MEDICAL], "50000"),
]
# Funds that pay only model workers in hardship (困难劳模).
MODEL_WORKER_FUNDS = {"劳模专项帮扶资金"}
SPRING_FESTIVAL = {
    2024: datetime.date(2024, 2, 5),
    2025: datetime.date(2025, 1, 22),
    2026: datetime.date(2026, 2, 10),
}


def seed_policy() -> None:
    PolicyParameter.objects.get_or_create(
        key=PolicyParameter.Key.HOUSEHOLD_YEAR_CAP,
        unit=None,
        valid_from=datetime.date(2020, 1, 1),
        defaults={"value": Decimal("30000"), "note": "每户每年各类帮扶合计上限（示例）"},
    )


def _users():
    return {u.username: u for u in User.objects.all()}


def seed_money(pdf=None, run=None) -> int:
    """Returns the number of ledger rows written (0 when the demo money is already there).
    `pdf(title)` makes the demo documents a cancellation application needs.

    The wider back-dating window stays open, and the ended years stay open, until every app
    above has posted its own history (visit goods, loans): with a `run`, closing the window
    and the years is its wrap-up step; without one (a test of this module alone) it happens
    here."""
    if Fund.objects.exists():
        return 0
    users = _users()
    window = PolicyParameter(
        key=PolicyParameter.Key.BACKDATE_MONTHS,
        value=Decimal("120"),
        valid_from=datetime.date(2020, 1, 1),
        note="演示数据：录入往年台账期间临时放宽",
    )
    window.save()
    _seed_history(users, pdf, run)

    def close_history():
        window.delete()
        _close_ended_years(users)

    if run is None:
        close_history()
    else:
        run.wrap_up.append(close_history)
    return LedgerEntry.objects.count()


def _seed_history(users, pdf, run):
    units = {u.code: u for u in Unit.objects.filter(code__in=["SH", "MY"])}
    funds = {}
    for company, source, name, years, aid_types, receipt in FUNDS:
        finance = users[f"{company.lower()}_finance"]
        for year in years:
            fund = Fund(
                name=name,
                source=source,
                year=year,
                unit=units[company],
                aid_types=list(aid_types),
                model_workers_only=name in MODEL_WORKER_FUNDS,
                **_bank_account(units[company], source, year),
            )
            acted_by(finance, fund)
            fund.save()
            ledger.receipt_record(
                actor=finance,
                fund=fund,
                amount=Decimal(receipt),
                voucher=f"{company}-{year}-{source.upper()}-001",
                posted_on=datetime.date(year, 1, 8),
                note=f"{year}年{Source(source).label}到账",
            )
            funds[company, source, year] = fund
    # 两节送温暖: a Spring Festival distribution every year, per level in the petrochemical
    # company and flat in the coal company.
    for year, day in SPRING_FESTIVAL.items():
        for company, rule in (
            ("SH", DistributionPlan.Rule.PER_LEVEL),
            ("MY", DistributionPlan.Rule.FLAT),
        ):
            _festival(users, units[company], funds[company, Source.DUES, year], year, day, rule)
    # Mid-Autumn rice and oil for the coal company, 2025.
    _festival(
        users,
        units["MY"],
        funds["MY", Source.DUES, 2025],
        2025,
        datetime.date(2025, 10, 1),
        DistributionPlan.Rule.FLAT,
        in_kind=True,
    )
    _pay_effective_relief(users, funds)
    campaign_demo.golden_autumn(users, units["SH"], funds["SH", Source.CENTRAL, 2026])
    _death_before_payment(users, pdf, run)
    # Waiting for the petrochemical committee: rice and oil for New Year's Day (drawn up
    # after the file of the worker who died was cancelled, so he is not on it).
    _festival(
        users,
        units["SH"],
        funds["SH", Source.DUES, 2026],
        2026,
        datetime.date(2026, 12, 28),
        DistributionPlan.Rule.FLAT,
        in_kind=True,
        name="2027年元旦慰问（米、油）",
        stop_at_submitted=True,
    )


# The bank each company keeps its special accounts (专户) at.
BANKS = {"SH": "中国工商银行示范市石化支行", "MY": "中国农业银行示范市矿区支行"}


def _bank_account(unit, source, year) -> dict:
    """A special account (专户) per fund: 19 digits made of the company, source and year."""
    sources = list(Source.values)
    number = f"62{sources.index(source) + 1:02d}{year}{unit.pk:05d}{len(unit.code):06d}"
    return {
        "bank_name": BANKS.get(unit.code, "中国工商银行"),
        "account_name": f"{unit.name}帮扶资金专户",
        "account_number": number[:19],
    }


def _close_ended_years(users):
    """Finance closes every year that has ended, in order, fund by fund."""
    for fund in Fund.objects.select_related("unit").order_by("pk"):
        finance = users[f"{fund.unit.code.lower()}_finance"]
        while (year := closing.year_to_close(fund)) is not None:
            closing.year_close(actor=finance, fund=fund, year=year)


def _festival(
    users, unit, fund, year, day, rule, *, in_kind=False, name="", stop_at_submitted=False
):
    """A 两节送温暖 campaign: drawn up, approved, its list publicised, paid on `day`."""
    company = unit.code.lower()
    finance, committee = users[f"{company}_finance"], users[f"{company}_committee"]
    plan = DistributionPlan(
        name=name or (f"{year}年中秋节慰问（米、油）" if in_kind else f"{year}年春节送温暖慰问金"),
        kind=DistributionPlan.Kind.FESTIVALS,
        unit=unit,
        fund=fund,
        aid_type=A.IN_KIND if in_kind else A.FESTIVAL,
        rule=rule,
        flat_amount=Decimal("300") if in_kind else Decimal("600"),
        hardship_amount=Decimal("500"),
        extreme_amount=Decimal("800"),
        method=LedgerEntry.Method.IN_KIND if in_kind else LedgerEntry.Method.BANK,
        goods="大米25公斤、食用油5升" if in_kind else "",
        pay_on=day,
    )
    if rule == DistributionPlan.Rule.FLAT:
        plan.hardship_amount = plan.extreme_amount = None
    else:
        plan.flat_amount = None
    plan = plans.plan_save(actor=finance, plan=plan)
    plans.plan_submit(actor=finance, plan=plan)
    if stop_at_submitted:
        return
    plan = engine.decide(
        chain=plans.PLAN_APPROVAL,
        actor=committee,
        obj=plan,
        action="approve",
        expected_state="submitted",
        comment="经党政班子会研究，同意发放。",
    )
    campaign_demo.notice_ran(plan, day)
    plans.plan_post(actor=finance, plan=plan)


def _pay_effective_relief(users, funds):
    for application in Application.objects.filter(
        state=Application.State.EFFECTIVE, kind__in=ledger.KIND_AID_TYPE
    ).select_related("household__union"):
        company = Unit.objects.get(pk=application.household.union.parent_id).code
        ledger.payment_make(
            actor=users[f"{company.lower()}_finance"],
            fund=funds[company, Source.CENTRAL, 2026],
            application=application,
            amount=application.amount,
            method="bank",
            bank_account=application.household.bank_account,
            voucher=f"{company}-2026-ZF-{application.pk:04d}",
            paid_on=timezone.localdate(),
            note=f"{application.number} {application.get_kind_display()}",
        )


DIED_ON = datetime.date(2026, 2, 3)


def _death_before_payment(users, pdf, run):
    """A worker died a week before the 2026 Spring Festival payment, which reached his card
    anyway: finance reverses it, the caseworker pays the bereavement visit (丧事必访), and
    the file is cancelled through the chain. Nothing is paid to the household afterwards."""
    entry = (
        LedgerEntry.objects.filter(
            kind=LedgerEntry.Kind.PAYMENT,
            posted_on=SPRING_FESTIVAL[2026],
            fund__unit__code="SH",
            household__status=Household.Status.IN_FILE,
            household__worker_account__isnull=True,
            household__applications__isnull=True,
            household__established_on__lt=DIED_ON,
        )
        .select_related("household__union")
        .order_by("pk")
        .first()
    )
    if entry is None:
        return
    household = entry.household
    ledger.entry_reverse(
        actor=users["sh_finance"],
        entry=entry,
        reason=f"职工已于{DIED_ON.year}年{DIED_ON.month}月{DIED_ON.day}日去世，春节慰问金退回；改由工会按丧事必访慰问家属。",
        posted_on=datetime.date(2026, 2, 20),
    )
    if run is not None:
        # The union calls on the family three days after the death (丧事必访): casework's
        # demo step records the visit.
        run.story["bereaved"] = (household, datetime.date(2026, 2, 6))
    story = cases_demo.Story(pdf)
    application = story.file(
        household,
        Application.Kind.CANCEL,
        f"职工本人已于{DIED_ON.year}年{DIED_ON.month}月{DIED_ON.day}日因病去世，申请注销困难职工档案。",
    )
    story.make_effective(story.advance(application, Application.State.IN_NOTICE))


def seed(run) -> None:
    """The money's demo step (hardship.demo.DemoRun): the household year cap, then funds,
    postings and, at the wrap-up, closed years."""
    seed_policy()
    ledger_rows = seed_money(demo_pdf, run)
    if ledger_rows:
        run.report.append(
            f"{ledger_rows} ledger rows posted: receipts, three years of festival payments, "
            "relief, a reversal. Ended years closed once every app has posted its history."
        )
