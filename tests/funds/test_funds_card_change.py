"""Money does not go to a bank card whose change a second person has not confirmed, and the
pages that pay show the card's tail and flag a recent change."""

import pytest
from django.urls import reverse
from formdata import household_edit_data
from fundkit import PAY_DAY, pay

from funds import ledger, plans
from funds.models import LedgerEntry
from households import cards

NEW = "6217000099998888777"


def change_card(client, caseworker, household, account=NEW):
    client.force_login(caseworker)
    response = client.post(
        reverse("household_edit", args=[household.pk]),
        household_edit_data(household, bank_account=account),
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.card_pending
    return household


def test_changed_card_blocks_bank_payment_until_second_person_confirms(
    client, finance_c1, fund_c1, effective, household, caseworker_g1a, chair_g1a
):
    application = effective("1000")
    change_card(client, caseworker_g1a, household)
    application.refresh_from_db()

    with pytest.raises(ledger.PaymentRefused) as refusal:
        pay(finance_c1, fund_c1, application, "500", bank_account=NEW)
    assert "双人确认" in " ".join(refusal.value.messages)
    assert not application.payments.exists()

    cards.card_confirm(actor=chair_g1a, household=household)
    application.refresh_from_db()
    entry = pay(finance_c1, fund_c1, application, "500", bank_account=NEW)
    assert entry.bank_account == NEW


def test_pending_card_refusal_is_shown_on_the_payment_page(
    client, finance_c1, fund_c1, effective, household, caseworker_g1a
):
    application = effective("1000")
    change_card(client, caseworker_g1a, household)
    client.force_login(finance_c1)
    url = reverse("payment_create", args=[application.pk])

    page = client.get(url).content.decode()
    assert "****" + NEW[-4:] in page
    assert "变更待确认" in page

    response = client.post(
        url,
        {
            "fund": fund_c1.pk,
            "amount": "500",
            "method": LedgerEntry.Method.BANK,
            "bank_account": NEW,
            "voucher": "FF-CARD-1",
            "paid_on": PAY_DAY.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "银行卡变更双人确认" in response.content.decode()
    assert not application.payments.exists()


def test_a_pending_card_does_not_stop_a_cash_payment(
    client, finance_c1, fund_c1, effective, household, caseworker_g1a
):
    application = effective("1000")
    change_card(client, caseworker_g1a, household)
    application.refresh_from_db()
    entry = pay(finance_c1, fund_c1, application, "300", method=LedgerEntry.Method.CASH)
    assert entry.amount == -300


def test_payment_form_flags_a_card_changed_in_the_last_ninety_days(
    client, finance_c1, fund_c1, effective, household, caseworker_g1a, reviewer_c1
):
    application = effective("1000")
    change_card(client, caseworker_g1a, household)
    cards.card_confirm(actor=reviewer_c1, household=household)
    client.force_login(finance_c1)

    page = client.get(reverse("payment_create", args=[application.pk])).content.decode()

    assert "近90天内变更" in page
    assert "变更待确认" not in page


def test_changed_card_blocks_plan_posting_naming_the_household_and_rule(
    client, finance_c1, approved_plan, household, caseworker_g1a
):
    change_card(client, caseworker_g1a, household)

    with pytest.raises(ledger.PaymentRefused) as refusal:
        plans.plan_post(actor=finance_c1, plan=approved_plan)

    message = " ".join(refusal.value.messages)
    assert household.file_number in message
    assert "双人确认" in message
    assert not LedgerEntry.objects.filter(plan_line__plan=approved_plan).exists()


def test_plan_preview_shows_card_tail_and_flags_the_pending_change(
    client, finance_c1, draft_plan, household, caseworker_g1a
):
    change_card(client, caseworker_g1a, household)
    client.force_login(finance_c1)

    page = client.get(reverse("plan_detail", args=[draft_plan.pk])).content.decode()

    assert "****" + NEW[-4:] in page
    assert "变更待确认" in page


def test_payment_form_shows_finance_only_the_cards_tail_and_pays_to_the_registered_card(
    client, finance_c1, fund_c1, effective, household
):
    """Finance sees card numbers masked: the payment form does not pre-fill the full number;
    left empty, the payment goes to the card registered on the file."""
    application = effective("1000")
    client.force_login(finance_c1)
    url = reverse("payment_create", args=[application.pk])

    page = client.get(url).content.decode()
    assert household.bank_account not in page
    assert "****" + household.bank_account[-4:] in page

    response = client.post(
        url,
        {
            "fund": fund_c1.pk,
            "amount": "500",
            "method": LedgerEntry.Method.BANK,
            "bank_account": "",
            "voucher": "FF-TAIL-1",
            "paid_on": PAY_DAY.isoformat(),
        },
    )
    assert response.status_code == 302
    assert application.payments.get().bank_account == household.bank_account
