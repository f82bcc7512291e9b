"""The loan pages as each person meets them: scope (another union's loan is a 404), the
auditor reads and never writes (403), bad input re-renders with a clear message and saves
nothing, and the figures reach the portfolio, the household page and the statistics."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from loankit import GUARANTOR_ID, apply, lend, repay, today

from loans import services
from loans.models import Loan
from reports import annual

pytestmark = pytest.mark.django_db


def _apply_form(**overrides):
    data = {
        "purpose": "开办早餐店",
        "amount": "８０００",  # full-width digits, as an input method types them
        "term_months": "12",
        "schedule": "monthly",
        "guarantor_name": "王担保",
        "guarantor_id_number": GUARANTOR_ID,
        "guarantor_phone": "138 0013 8000",
        "guarantor_relation": "同事",
    }
    data.update(overrides)
    return data


def test_caseworker_can_apply_from_the_household_page(client, caseworker_g1a, household_g1a):
    client.force_login(caseworker_g1a)
    page = client.get(household_g1a.get_absolute_url())
    assert reverse("loan_apply", args=[household_g1a.pk]) in page.content.decode()
    response = client.post(reverse("loan_apply", args=[household_g1a.pk]), _apply_form())
    loan = Loan.objects.get()
    assert response.status_code == 302 and response["Location"] == loan.get_absolute_url()
    assert loan.amount == Decimal("8000") and loan.guarantor_phone == "13800138000"
    assert loan.number in client.get(household_g1a.get_absolute_url()).content.decode()


def test_bad_input_is_named_and_nothing_is_saved(client, caseworker_g1a, household_g1a):
    client.force_login(caseworker_g1a)
    url = reverse("loan_apply", args=[household_g1a.pk])
    response = client.post(url, _apply_form(amount="40000"))
    assert response.status_code == 200
    assert "超过每笔上限 30,000.00 元" in response.content.decode()
    response = client.post(url, _apply_form(guarantor_id_number="110101199003074515"))
    assert response.status_code == 200 and "校验位错误" in response.content.decode()
    assert not Loan.objects.exists()


def test_another_unions_caseworker_gets_404(client, caseworker_g2a, current):
    client.force_login(caseworker_g2a)
    assert client.get(current.get_absolute_url()).status_code == 404
    assert client.post(reverse("loan_repay", args=[current.pk])).status_code == 404
    assert client.get(reverse("loan_apply", args=[current.household_id])).status_code == 404
    assert current.number not in client.get(reverse("loan_list")).content.decode()


def test_the_auditor_reads_and_is_refused_every_write(client, auditor_fed, current, finance_c1):
    client.force_login(auditor_fed)
    page = client.get(current.get_absolute_url()).content.decode()
    assert current.number in page and reverse("loan_repay", args=[current.pk]) not in page
    for name in ("loan_repay", "loan_motion_create", "loan_act", "loan_disburse"):
        response = client.post(reverse(name, args=[current.pk]), {"amount": "100"})
        assert response.status_code == 403, name
    assert not current.repayments.exists()


def test_the_three_levels_decide_on_the_loan_page(
    client, caseworker_g1a, chair_g1a, reviewer_c1, committee_c1, household_g1a
):
    loan = apply(caseworker_g1a, household_g1a)
    for actor, state in (
        (chair_g1a, "grassroots_approved"),
        (reviewer_c1, "company_verified"),
        (committee_c1, "approved"),
    ):
        client.force_login(actor)
        loan.refresh_from_db()
        assert (
            reverse("loan_act", args=[loan.pk])
            in client.get(loan.get_absolute_url()).content.decode()
        )
        client.post(
            reverse("loan_act", args=[loan.pk]), {"action": "approve", "expected_state": loan.state}
        )
        loan.refresh_from_db()
        assert loan.state == state


def test_finance_lends_and_records_repayments_on_pages(client, finance_c1, approved, fund):
    client.force_login(finance_c1)
    response = client.post(
        reverse("loan_disburse", args=[approved.pk]),
        {"fund": fund.pk, "method": "cash", "voucher": "JC-0001", "lent_on": today().isoformat()},
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.state == Loan.State.CURRENT
    url = reverse("loan_repay", args=[approved.pk])
    form = {
        "amount": "1000",
        "method": "cash",
        "voucher": "HK-0001",
        "paid_on": today().isoformat(),
        "expected_outstanding": "6000.00",
    }
    assert client.post(url, form).status_code == 302
    again = client.post(url, {**form, "voucher": "HK-0002"})
    assert again.status_code == 200 and "避免重复登记" in again.content.decode()
    too_much = client.post(url, {**form, "amount": "5000.01", "expected_outstanding": "5000.00"})
    assert "超过未还金额 5,000.00 元" in too_much.content.decode()
    assert services.owed_now(approved) == Decimal("5000")


def test_the_portfolio_and_the_reminder_list_show_days_late(client, chair_g1a, current, finance_c1):
    repay(finance_c1, current, "1000")
    late = (today() - current.installments.get(number=2).due_on).days
    client.force_login(chair_g1a)
    portfolio = client.get(reverse("loan_list")).content.decode()
    assert current.number in portfolio and f"逾期 {late} 天" in portfolio
    assert "31至90天" in portfolio and "不良率" in portfolio
    reminders = client.get(reverse("loan_overdue")).content.decode()
    assert current.number in reminders and "王担保" in reminders
    assert reverse("loan_list") in client.get(reverse("dashboard")).content.decode()


def test_the_committee_decides_a_write_off_on_the_loan_page(
    client, caseworker_g1a, committee_c1, current
):
    motion = services.motion_propose(
        actor=caseworker_g1a, loan=current, kind="write_off", reason="借款人去世，无遗产"
    )
    client.force_login(committee_c1)
    page = client.get(current.get_absolute_url()).content.decode()
    assert reverse("loan_motion_act", args=[motion.pk]) in page
    client.post(
        reverse("loan_motion_act", args=[motion.pk]),
        {"action": "approve", "expected_state": "submitted"},
    )
    current.refresh_from_db()
    assert current.state == Loan.State.WRITTEN_OFF


def test_the_statistics_page_and_the_annual_report_carry_the_loan_figures(
    client, committee_c1, finance_c1, approved, fund, org
):
    lend(finance_c1, approved, fund)  # today: in this year's figures whatever the date
    client.force_login(committee_c1)
    statistics = client.get(reverse("statistics")).content.decode()
    assert "发放借款金额（元）" in statistics and "6,000.00" in statistics
    indicators = dict(client.get(reverse("statistics")).context["indicators"])
    assert indicators["借款不良率"] == "0.0%"  # lent today: nothing late, nothing written off
    query = {"year": today().year, "unit": org.c1.pk}
    page = client.get(reverse("annual_report"), query).content.decode()
    assert "借出小额借款" in page and "未还余额（元）" in page
    workbook = client.get(reverse("annual_report_xlsx"), query)
    content = b"".join(workbook.streaming_content)
    sheets = zipfile.ZipFile(io.BytesIO(content)).read("xl/workbook.xml").decode()
    assert "小额借款" in sheets
    report = annual.annual_report(today().year, org.c1)
    assert report.loans.granted_amount == Decimal("6000") == report.loans_out
    # The fund's receipt is a year old: the year opens with it and closes without the loan.
    assert (report.opening, report.closing) == (Decimal("50000"), Decimal("44000"))


def test_the_audit_trail_lists_loans_without_the_guarantors_number(client, auditor_fed, current):
    client.force_login(auditor_fed)
    page = client.get(reverse("audit_trail"), {"kind": "loan"}).content.decode()
    assert current.number in page
    assert GUARANTOR_ID not in page
