"""The household page's aid history, with yearly totals net of reversals."""

import datetime
from decimal import Decimal

import pytest
from fundkit import pay, reverse_entry, set_account

from households import selectors

pytestmark = pytest.mark.django_db


def test_caseworker_can_see_aid_with_yearly_totals_net_of_reversals(
    client, caseworker_g1a, finance_c1, fund_c1, effective
):
    application = effective("5000")
    pay(finance_c1, fund_c1, application, "1200", paid_on=datetime.date(2025, 9, 1))
    wrong = pay(finance_c1, fund_c1, application, "2000", paid_on=datetime.date(2026, 3, 1))
    reverse_entry(finance_c1, wrong, reason="金额错误。", on=datetime.date(2026, 3, 2))
    pay(finance_c1, fund_c1, application, "800", paid_on=datetime.date(2026, 3, 3))
    household = application.household

    entries, totals = selectors.aid_history(household)
    assert totals == [(2026, Decimal("800")), (2025, Decimal("1200"))]
    assert [e.posted_on for e in entries] == [
        datetime.date(2026, 3, 3),
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 1),
        datetime.date(2025, 9, 1),
    ]

    client.force_login(caseworker_g1a)
    response = client.get(household.get_absolute_url())
    assert response.context["aid"][1] == totals
    html = response.content.decode()
    aid = html[html.index('id="aid"') : html.index('id="visits"')]
    assert "<td>2026</td>" in aid and "800.00" in aid
    assert "<td>2025</td>" in aid and "1,200.00" in aid
    assert application.number in aid
    assert aid.count("<td>冲销</td>") == 1
    assert "-2,000.00" in aid  # the reversal shown as money taken back


def test_worker_can_see_their_own_aid_history(
    client, worker_g1a, worker_household, finance_c1, fund_c1, effective
):
    set_account(worker_household, "6222000011112222")
    application = effective("600", household=worker_household)
    pay(finance_c1, fund_c1, application, "600", paid_on=datetime.date(2026, 4, 1))
    client.force_login(worker_g1a)
    response = client.get(worker_household.get_absolute_url())
    assert response.status_code == 200
    assert response.context["aid"][1] == [(2026, Decimal("600"))]
