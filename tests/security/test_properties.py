"""Property-based tests (hypothesis) on the household form and the money forms: whatever is
typed, the answer is never a server error, a refused form writes nothing at all, and an
accepted amount is stored exactly as entered — never negative, never with more than two
decimals (no silent rounding).

Each example starts from a form a person would send, puts an arbitrary value into one
amount field and, often, arbitrary text into a few other fields, so that both refusals and
acceptances are exercised (the statistics: pytest --hypothesis-show-statistics). Each
example runs in a savepoint that is rolled back, so examples do not see each other's
writes; the fixtures are built once per test (hence the function_scoped_fixture check is
suppressed on purpose)."""

import datetime
from decimal import Decimal, InvalidOperation

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from factories import make_id_number
from formdata import household_data, income_row, member_row
from fundkit import ACCOUNT
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from cases.models import Application, Decision
from funds.models import DistributionPlan, Fund, LedgerEntry, PlanLine
from households.models import HardshipCause, Household, IncomeItem, Member

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CENT = Decimal("0.01")
TODAY = str(timezone.localdate())

# What people (and scripts) type into an amount field.
NASTY_AMOUNTS = [
    "",
    " ",
    "0",
    "-0",
    "0.00",
    "0.001",
    "0.005",
    "0.01",
    "-0.01",
    "-1",
    "1",
    " 1.5 ",
    "1.50",
    "1.505",
    "12.345",
    "1e2",
    "1E+2",
    "1e-2",
    "1e400",
    "-1e400",
    "1e-400",
    "NaN",
    "-nan",
    "sNaN",
    "-sNaN",
    "sNaN12",
    "Infinity",
    "-Infinity",
    "inf",
    "1,000",
    "1 000",
    "１２３",
    "٣٫٥",
    "0x10",
    "9" * 10,
    "9" * 12,
    "9" * 13,
    "9" * 30,
    "99999999999.99",
    "999999999999.99",
    ".5",
    "5.",
    "+5",
    "1_000",
    "\x00",
    "1\x00",
    "<b>1</b>",
    "1;--",
    "--1",
    "Ⅻ",
    "2.",
    "3000",
    "3000.01",
]
arbitrary_amounts = st.one_of(
    st.sampled_from(NASTY_AMOUNTS),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(min_value=-10, max_value=5000, places=3).map(str),
    st.floats().map(repr),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.from_regex(r"-?[0-9]{0,15}(\.[0-9]{0,4})?", fullmatch=True),
    st.text(max_size=20),
)
plausible_amounts = st.decimals(min_value=CENT, max_value=Decimal("3000"), places=2).map(str)
# Half plausible, half anything; or two thirds plausible where several must be right at once.
amounts = st.one_of(plausible_amounts, arbitrary_amounts)
mostly_plausible = st.one_of(plausible_amounts, plausible_amounts, arbitrary_amounts)
texts = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["", " ", "\x00", "张伟", "<script>alert(1)</script>", "=1+1", "a" * 300]),
)
dates = st.one_of(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)).map(str),
    st.sampled_from(["", "2026-02-30", "0000-00-00", "9999-99-99", "today", "\x00"]),
    st.text(max_size=12),
)
anything = st.one_of(texts, arbitrary_amounts, dates)


def garbled(fields):
    """Usually nothing; otherwise arbitrary values for up to three of `fields`."""
    return st.one_of(
        st.just({}),
        st.just({}),
        st.dictionaries(st.sampled_from(fields), anything, min_size=1, max_size=3),
    )


def as_number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def assert_money(value: Decimal, *, entered: str | None = None, positive=True):
    assert value is not None
    assert value > 0 if positive else value >= 0, value
    assert value == value.quantize(CENT), value
    if entered is not None:
        assert value == as_number(entered), (value, entered)


def post(client, url, data):
    client.raise_request_exception = False  # a server error must show as a 500
    response = client.post(url, data)
    assert response.status_code < 500, (response.status_code, data)
    return response


def counts(*models):
    return tuple(model.objects.count() for model in models)


# The household form -------------------------------------------------------------------

HOUSEHOLD_ROWS = (Household, Member, IncomeItem, HardshipCause)
HOUSEHOLD_AMOUNTS = ["housing_area", "savings", "vehicles", "income", "member_income"]
HOUSEHOLD_TEXT = [
    "worker_name",
    "id_number",
    "phone",
    "address",
    "employer",
    "contact_phone",
    "notes",
    "luxury_goods",
    "member_name",
    "member_birth_date",
    "member_id_number",
    "income_note",
    "union",
    "category",
]


def household_post(union, values: dict) -> dict:
    """The create form as a caseworker fills it in (one member, one income), with `values`
    put into the named fields."""
    member = {"name": "张小明", "birth_date": "2008-09-01", "id_number": "", "monthly_income": "0"}
    income = {"monthly_amount": "800.00", "note": ""}
    fields = {"id_number": make_id_number(seq=301)}
    for key, value in values.items():
        if key == "member_income":
            member["monthly_income"] = value
        elif key.startswith("member_"):
            member[key.removeprefix("member_")] = value
        elif key == "income":
            income["monthly_amount"] = value
        elif key == "income_note":
            income["note"] = value
        elif key != "union":
            fields[key] = value
    data = household_data(
        union=union, members=[member_row(**member)], incomes=[income_row(**income)], **fields
    )
    if "union" in values:
        data["union"] = values["union"]
    return data


@EXAMPLES
@given(
    field=st.sampled_from(HOUSEHOLD_AMOUNTS),
    value=st.one_of(amounts, st.integers(-5, 70000).map(str)),
    other=garbled(HOUSEHOLD_TEXT + HOUSEHOLD_AMOUNTS),
)
# Found here: a signalling NaN in a formset's amount was a server error (has_changed()).
@example(field="member_income", value="sNaN", other={})
@example(field="income", value="-sNaN1", other={})
def test_the_household_form_never_fails_nor_half_saves(
    client, org, caseworker_g1a, field, value, other
):
    client.force_login(caseworker_g1a)
    values = {field: value, **other}
    data = household_post(org.g1a, values)
    with transaction.atomic():
        before = counts(*HOUSEHOLD_ROWS)
        response = post(client, reverse("household_create"), data)
        if response.status_code != 302:
            event("refused")
            assert response.status_code == 200
            assert counts(*HOUSEHOLD_ROWS) == before
        else:
            event("accepted")
            household = Household.objects.latest("pk")
            assert counts(*HOUSEHOLD_ROWS) == tuple(n + 1 for n in before)
            assert_money(household.savings, entered=data["savings"], positive=False)
            if household.housing_area is not None:
                assert_money(household.housing_area, entered=data["housing_area"], positive=False)
            assert household.vehicles == as_number(data["vehicles"]) >= 0
            assert_money(
                household.income_items.get().monthly_amount,
                entered=data["incomes-0-monthly_amount"],
                positive=False,
            )
            assert_money(
                household.members.get().monthly_income,
                entered=data["members-0-monthly_income"],
                positive=False,
            )
        transaction.set_rollback(True)


# The money forms ----------------------------------------------------------------------


@EXAMPLES
@given(amount=amounts, other=garbled(["voucher", "note", "posted_on"]))
# Found here: a receipt that would take the balance past its column (14 digits) overflowed.
@example(amount="999999999999.99", other={})
def test_a_receipt_is_recorded_whole_or_not_at_all(client, world, amount, other):
    client.force_login(world.users["finance_c1"])
    fund = world.fund
    data = {"amount": amount, "voucher": "DZ-PROPERTY", "note": "集团公司拨付", "posted_on": TODAY}
    data.update(other)
    with transaction.atomic():
        before = LedgerEntry.objects.count()
        balance = Fund.objects.get(pk=fund.pk).balance
        response = post(client, reverse("receipt_add", args=[fund.pk]), data)
        assert response.status_code == 302  # back to the fund, with a message either way
        after = Fund.objects.get(pk=fund.pk).balance
        if LedgerEntry.objects.count() == before:
            event("refused")
            assert after == balance
        else:
            event("accepted")
            assert LedgerEntry.objects.count() == before + 1
            entry = LedgerEntry.objects.latest("pk")
            assert entry.kind == LedgerEntry.Kind.RECEIPT
            assert_money(entry.amount, entered=amount)
            assert after == balance + entry.amount
        transaction.set_rollback(True)


@EXAMPLES
@given(
    amount=amounts,
    other=garbled(["fund", "method", "bank_account", "voucher", "paid_on", "goods", "note"]),
)
def test_a_payment_is_made_whole_or_not_at_all(client, world, amount, other):
    client.force_login(world.users["finance_c1"])
    fund, application = world.fund, world.effective
    data = {
        "fund": str(fund.pk),
        "amount": amount,
        "method": "bank",
        "bank_account": ACCOUNT,
        "goods": "",
        "voucher": "FF-PROPERTY",
        "paid_on": TODAY,
        "note": "",
    }
    data.update(other)
    with transaction.atomic():
        before = LedgerEntry.objects.count()
        balance = Fund.objects.get(pk=fund.pk).balance
        response = post(client, reverse("payment_create", args=[application.pk]), data)
        after = Fund.objects.get(pk=fund.pk).balance
        if response.status_code != 302:
            event("refused")
            assert response.status_code == 200
            assert (LedgerEntry.objects.count(), after) == (before, balance)
        else:
            event("accepted")
            assert LedgerEntry.objects.count() == before + 1
            entry = LedgerEntry.objects.latest("pk")
            assert entry.kind == LedgerEntry.Kind.PAYMENT
            assert entry.application_id == application.pk
            assert_money(-entry.amount, entered=amount)  # payments are negative in the ledger
            assert -entry.amount <= application.amount
            assert after == balance + entry.amount >= 0
        transaction.set_rollback(True)


@EXAMPLES
@given(
    rule=st.sampled_from(["flat", "flat", "per_level", "per_level", "", "other"]),
    flat_amount=mostly_plausible,
    hardship_amount=mostly_plausible,
    extreme_amount=mostly_plausible,
    other=garbled(["name", "pay_on", "unit", "fund", "aid_type", "method", "goods"]),
)
def test_a_plan_is_drawn_up_whole_or_not_at_all(
    client, world, rule, flat_amount, hardship_amount, extreme_amount, other
):
    client.force_login(world.users["finance_c1"])
    data = {
        "name": "2026年冬季送温暖",
        "unit": str(world.org.c1.pk),
        "fund": str(world.fund.pk),
        "aid_type": "festival",
        "category": "",
        "level": "",
        "rule": rule,
        "flat_amount": flat_amount,
        "hardship_amount": hardship_amount,
        "extreme_amount": extreme_amount,
        "method": "bank",
        "goods": "",
        "pay_on": TODAY,
    }
    data.update(other)
    with transaction.atomic():
        before = counts(DistributionPlan, PlanLine)
        response = post(client, reverse("plan_create"), data)
        if response.status_code != 302:
            event("refused")
            assert response.status_code == 200
            assert counts(DistributionPlan, PlanLine) == before
        else:
            event("accepted")
            plan = DistributionPlan.objects.latest("pk")
            assert plan.state == DistributionPlan.State.DRAFT
            if plan.rule == DistributionPlan.Rule.FLAT:
                assert_money(plan.flat_amount, entered=flat_amount)
            else:
                assert_money(plan.hardship_amount, entered=hardship_amount)
                assert_money(plan.extreme_amount, entered=extreme_amount)
            for line in plan.lines.all():
                assert_money(line.amount)
        transaction.set_rollback(True)


@EXAMPLES
@given(
    kind=st.sampled_from(["emergency", "emergency", "medical", "medical", "exit", "nonsense"]),
    amount=mostly_plausible,
    self_paid=st.one_of(st.just(""), mostly_plausible),
    other=garbled(["reason"]),
)
def test_an_application_is_filed_whole_or_not_at_all(
    client, caseworker_g1a, household_g1a, kind, amount, self_paid, other
):
    client.force_login(caseworker_g1a)
    data = {"kind": kind, "amount": amount, "self_paid": self_paid, "reason": "生活困难。"}
    data.update(other)
    with transaction.atomic():
        before = counts(Application, Decision)
        response = post(client, reverse("application_create", args=[household_g1a.pk]), data)
        if response.status_code != 302:
            event("refused")
            assert response.status_code == 200
            assert counts(Application, Decision) == before
        else:
            event("accepted")
            assert counts(Application, Decision) == (before[0] + 1, before[1] + 1)
            application = Application.objects.latest("pk")
            if application.amount is not None:
                assert_money(application.amount, entered=amount)
            if application.self_paid is not None:
                assert_money(application.self_paid, entered=self_paid)
        transaction.set_rollback(True)
