"""Goods handed over on a visit (rice, oil, coal) from a fund reach the books: an in-kind
(实物) ledger row with quantity and unit, tied to the visit, the fund's balance lower by the
goods' value; and the annual report counts 慰问金 (festival cash) and 物资 (goods) apart."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from fundkit import make_fund, receive
from openpyxl import load_workbook

from audit.services import verify_integrity
from casework.models import Visit
from funds import ledger, plans, visit_goods
from funds.models import AidType, LedgerEntry
from reports.annual import annual_report
from reports.exports import annual_xlsx

pytestmark = pytest.mark.django_db

VISITED_ON = timezone.localdate() - datetime.timedelta(days=3)


def goods_visit(**overrides):
    data = {
        "visited_on": VISITED_ON.isoformat(),
        "kind": "festival",
        "visitors": "王干事、李主席",
        "notes": "冬季走访，送去取暖用煤和大米。",
        "goods": "大米",
        "goods_quantity": "25",
        "goods_unit": "公斤",
        "goods_value": "150",
    }
    data.update(overrides)
    return data


def post(client, user, household, **overrides):
    client.force_login(user)
    return client.post(reverse("visit_create", args=[household.pk]), goods_visit(**overrides))


@pytest.fixture
def goods_fund(org, finance_c1):
    """A 2026 C1 fund that pays festival cash and goods (物资)."""
    fund = make_fund(
        org.c1, name="工会经费送温暖资金", aid_types=[AidType.FESTIVAL, AidType.IN_KIND]
    )
    receive(finance_c1, fund, "1000")
    fund.refresh_from_db()
    return fund


def test_caseworker_can_give_goods_from_a_fund_on_a_visit_and_they_reach_the_ledger(
    client, caseworker_g1a, household, goods_fund
):
    response = post(client, caseworker_g1a, household, fund=goods_fund.pk)

    assert response.status_code == 302
    visit = Visit.objects.get()
    entry = LedgerEntry.objects.get(visit=visit)
    assert entry.kind == LedgerEntry.Kind.PAYMENT
    assert (entry.method, entry.aid_type) == (LedgerEntry.Method.IN_KIND, AidType.IN_KIND)
    assert (entry.goods, entry.quantity, entry.quantity_unit) == ("大米", Decimal("25"), "公斤")
    assert entry.amount == Decimal("-150")
    assert (entry.household, entry.payee_name) == (household, household.worker_name)
    assert entry.posted_on == VISITED_ON
    goods_fund.refresh_from_db()
    assert goods_fund.balance == Decimal("850")
    # The new fields are in the row's hash; every row still verifies.
    assert verify_integrity().ok
    page = client.get(household.get_absolute_url()).content.decode()
    assert entry.voucher in page and "25公斤" in page


def test_caseworker_cannot_give_goods_from_a_fund_that_does_not_pay_goods(
    caseworker_g1a, household, org, finance_c1
):
    cash_only = make_fund(org.c1, name="慰问金专户", aid_types=[AidType.FESTIVAL])
    receive(finance_c1, cash_only, "1000")
    visit = Visit.objects.create(
        household=household,
        visited_on=VISITED_ON,
        kind="festival",
        visitors="王干事",
        goods="大米",
        goods_quantity=Decimal("25"),
        goods_unit="公斤",
        goods_value=Decimal("150"),
        recorded_by=caseworker_g1a,
    )
    with pytest.raises(ledger.PaymentRefused, match="专款专用"):
        visit_goods.visit_goods_post(actor=caseworker_g1a, fund=cash_only, visit=visit)
    assert not LedgerEntry.objects.filter(visit=visit).exists()


def test_visit_form_offers_only_funds_that_pay_goods(
    client, caseworker_g1a, household, goods_fund, org
):
    make_fund(org.c1, name="慰问金专户", aid_types=[AidType.FESTIVAL])
    client.force_login(caseworker_g1a)
    form = client.get(reverse("visit_create", args=[household.pk])).context["form"]
    assert list(form.fields["fund"].queryset) == [goods_fund]


def test_caseworker_cannot_give_goods_beyond_the_funds_balance_and_nothing_is_saved(
    client, caseworker_g1a, household, goods_fund
):
    response = post(client, caseworker_g1a, household, fund=goods_fund.pk, goods_value="1500")
    assert response.status_code == 200
    assert "保持资金平衡" in str(response.context["form"].errors)
    assert not Visit.objects.exists()
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT).exists()


def test_caseworker_must_say_how_much_of_what_when_goods_come_from_a_fund(
    client, caseworker_g1a, household, goods_fund
):
    response = post(
        client, caseworker_g1a, household, fund=goods_fund.pk, goods_quantity="", goods_unit=""
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "goods_quantity" in errors and "goods_unit" in errors
    assert not Visit.objects.exists()


def test_annual_report_counts_festival_cash_and_goods_apart(
    client, caseworker_g1a, household, goods_fund, finance_c1, committee_c1, org
):
    from fundkit import approve, new_plan, submit

    plan = approve(submit(new_plan(finance_c1, goods_fund, org.c1)), committee_c1)
    plans.plan_post(actor=finance_c1, plan=plan)  # 600 yuan 慰问金 by card
    post(client, caseworker_g1a, household, fund=goods_fund.pk)  # 150 yuan of rice

    report = annual_report(timezone.localdate().year, org.c1)

    rows = {row.label: (row.net, row.person_times) for row in report.condolence}
    assert rows == {"慰问金": (Decimal("600"), 1), "物资（按价值）": (Decimal("150"), 1)}
    [line] = report.goods
    assert (line.goods, line.unit, line.quantity, line.value) == (
        "大米",
        "公斤",
        Decimal("25"),
        Decimal("150"),
    )
    buffer = io.BytesIO()
    annual_xlsx(report, buffer)
    wb = load_workbook(io.BytesIO(buffer.getvalue()))
    labels = [row[0].value for row in wb["慰问金与物资"].iter_rows(min_row=2)]
    assert labels == ["慰问金", "物资（按价值）"]
    assert [c.value for c in wb["物资明细"][2]][:3] == ["大米", 25, "公斤"]


def test_annual_page_and_pdf_show_festival_cash_and_goods_apart(
    client, caseworker_g1a, household, goods_fund, finance_c1, org
):
    import pypdfium2 as pdfium

    from reports.exports import annual_pdf

    post(client, caseworker_g1a, household, fund=goods_fund.pk)
    year = timezone.localdate().year
    client.force_login(finance_c1)
    html = client.get(reverse("annual_report"), {"year": year, "unit": org.c1.pk}).content
    html = html.decode()
    assert "慰问金与物资" in html and "物资（按价值）" in html and "大米" in html
    pdf = pdfium.PdfDocument(annual_pdf(annual_report(year, org.c1)))
    text = "".join(page.get_textpage().get_text_bounded() for page in pdf)
    pdf.close()
    assert "慰问金与物资" in text and "大米" in text


def test_goods_from_a_fund_cannot_be_dated_before_the_back_dating_window(
    client, org, caseworker_g1a, household, goods_fund
):
    """The visit's goods are a ledger row: the same posting-date rule as every other row."""
    from funds.posting import window_start

    too_early = window_start(org.c1, timezone.localdate()) - datetime.timedelta(days=1)
    household.established_on = too_early - datetime.timedelta(days=400)
    household.save()

    response = post(client, caseworker_g1a, household, fund=goods_fund.pk, visited_on=too_early)

    assert response.status_code == 200
    assert "超出可追溯期限" in response.content.decode()
    assert not Visit.objects.exists()
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT).exists()
