"""Making a batch (from a posted plan or from chosen payments) and sending it: who may, what
a batch may hold, and that the ledger rows stay as they were."""

import pytest
from bankkit import lines_of, plan_batch
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from fundkit import make_fund, pay, receive, reverse_entry

from bank import services
from bank.models import BatchLine, PaymentBatch
from funds.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_a_batch_from_a_posted_plan_holds_each_bank_payment_once(finance_c1, posted_plan, icbc):
    entries = list(LedgerEntry.objects.filter(plan_line__plan=posted_plan).order_by("pk"))
    hashes = [e.row_hash for e in entries]
    batch = plan_batch(finance_c1, posted_plan, icbc, sent=False)
    lines = lines_of(batch)
    assert [line.entry for line in lines] == entries
    assert [line.account for line in lines] == [e.bank_account for e in entries]
    assert {line.state for line in lines} == {BatchLine.State.PREPARED}
    assert batch.state == PaymentBatch.State.PREPARED and batch.plan == posted_plan
    # The ledger rows are what they were: the state lives on the batch line.
    assert [
        e.row_hash
        for e in LedgerEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("pk")
    ] == hashes
    with pytest.raises(ValidationError, match="没有待代发"):
        services.batch_from_plan(actor=finance_c1, plan=posted_plan, template=icbc)


def test_a_plan_not_yet_posted_makes_no_batch(finance_c1, approved_plan_c1, icbc):
    with pytest.raises(ValidationError, match="尚未执行发放"):
        services.batch_from_plan(actor=finance_c1, plan=approved_plan_c1, template=icbc)


@pytest.fixture
def approved_plan_c1(org, finance_c1, committee_c1, fund_c1, g1b_households):
    from fundkit import approve, new_plan, submit

    return approve(submit(new_plan(finance_c1, fund_c1, org.g1b)), committee_c1)


def test_reversed_payments_are_left_out(finance_c1, posted_plan, icbc):
    first = LedgerEntry.objects.filter(plan_line__plan=posted_plan).order_by("pk").first()
    reverse_entry(finance_c1, first)
    batch = plan_batch(finance_c1, posted_plan, icbc, sent=False)
    assert first.pk not in [line.entry_id for line in lines_of(batch)]
    assert batch.lines.count() == 3


def test_a_fund_without_its_special_account_makes_no_batch(org, finance_c1, posted_plan, icbc):
    type(posted_plan.fund).objects.filter(pk=posted_plan.fund_id).update(account_number="")
    with pytest.raises(ValidationError, match="尚未登记专户账号"):
        services.batch_from_plan(actor=finance_c1, plan=posted_plan, template=icbc)


def test_chosen_payments_must_come_from_one_fund(
    org, finance_c1, fund_c1, effective, household, icbc
):
    other = make_fund(org.c1, name="另一专户")
    receive(finance_c1, other, "5000")
    one = pay(finance_c1, fund_c1, effective("800"), "800")
    two = pay(finance_c1, other, effective("700"), "700")
    with pytest.raises(ValidationError, match="只能从一个资金账户付款"):
        services.batch_from_payments(actor=finance_c1, entries=[one, two], template=icbc)
    batch = services.batch_from_payments(
        actor=finance_c1, entries=[one], template=icbc, purpose="临时救助"
    )
    assert batch.lines.get().amount == one.magnitude
    with pytest.raises(ValidationError, match="已在批次中"):
        services.batch_from_payments(actor=finance_c1, entries=[one], template=icbc)


def test_cash_and_reversed_payments_are_not_batched(
    finance_c1, fund_c1, effective, household, icbc
):
    cash = pay(finance_c1, fund_c1, effective("300"), "300", method="cash")
    reversed_one = pay(finance_c1, fund_c1, effective("400"), "400")
    reverse_entry(finance_c1, reversed_one)
    for entry in (cash, reversed_one):
        with pytest.raises(ValidationError, match="已冲销、已在批次中或不是银行卡发放"):
            services.batch_from_payments(actor=finance_c1, entries=[entry], template=icbc)


def test_sending_moves_the_batch_and_its_lines_once(finance_c1, posted_plan, icbc):
    batch = plan_batch(finance_c1, posted_plan, icbc)
    assert batch.state == PaymentBatch.State.SENT and batch.sent_by == finance_c1
    assert {line.state for line in lines_of(batch)} == {BatchLine.State.SENT}
    with pytest.raises(ValidationError, match="已经送银行"):
        services.batch_mark_sent(actor=finance_c1, batch=batch)


@pytest.mark.parametrize("who", ["auditor_fed", "committee_c1", "reviewer_c1"])
def test_only_finance_makes_or_sends_a_batch(request, who, finance_c1, posted_plan, icbc):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.batch_from_plan(actor=actor, plan=posted_plan, template=icbc)
    batch = plan_batch(finance_c1, posted_plan, icbc, sent=False)
    with pytest.raises(PermissionDenied):
        services.batch_mark_sent(actor=actor, batch=batch)


def test_the_auditor_reads_the_batch_and_is_refused_every_write(
    client, auditor_fed, finance_c1, posted_plan, icbc
):
    batch = plan_batch(finance_c1, posted_plan, icbc, sent=False)
    client.force_login(auditor_fed)
    page = client.get(reverse("bank_batch_detail", args=[batch.pk]))
    assert page.status_code == 200
    assert "下载银行代发文件" not in page.content.decode()
    for name in ("bank_batch_sent", "bank_return_import", "bank_voucher_upload"):
        assert client.post(reverse(name, args=[batch.pk])).status_code == 403
    assert client.get(reverse("bank_batch_file", args=[batch.pk])).status_code == 403
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.State.PREPARED


def test_another_companys_finance_gets_a_404(client, finance_c2, finance_c1, posted_plan, icbc):
    batch = plan_batch(finance_c1, posted_plan, icbc, sent=False)
    client.force_login(finance_c2)
    for name in ("bank_batch_detail", "bank_batch_file", "bank_roster_pdf"):
        assert client.get(reverse(name, args=[batch.pk])).status_code == 404
    assert client.post(reverse("bank_batch_sent", args=[batch.pk])).status_code == 404


def test_finance_makes_a_batch_from_a_plan_on_the_page(client, finance_c1, posted_plan, icbc):
    client.force_login(finance_c1)
    page = client.get(reverse("bank_batch_create"))
    assert posted_plan.name in page.content.decode()
    response = client.post(
        reverse("bank_batch_create"),
        {"source": "plan", "plan-plan": posted_plan.pk, "plan-template": icbc.pk},
    )
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    assert batch.lines.count() == 4
    client.post(reverse("bank_batch_sent", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.State.SENT
