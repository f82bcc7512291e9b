"""Money inputs: full-width digits (as Chinese input methods type them) are read as the same
number; any other script's digits are refused with a clear message, never read silently."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases.forms import ApplicationForm
from funds.forms import ReceiptForm
from hardship.formtools import MoneyField
from households.forms import IncomeItemForm


def field():
    return MoneyField(max_digits=14, decimal_places=2)


@pytest.mark.parametrize(
    "typed, value",
    [("１００", "100"), ("１２３４．５０", "1234.50"), ("１00.5", "100.5"), (" 100 ", "100")],
)
def test_fullwidth_digits_accepted_in_money_field(typed, value):
    assert field().clean(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["٣٠٠", "۳۰۰", "३००", "1٠0"])
def test_other_scripts_digits_refused_in_money_field(typed):
    # Python's Decimal reads every one of these as a number without complaint.
    with pytest.raises(ValidationError) as error:
        field().clean(typed)
    assert "0-9" in error.value.messages[0]


def test_nan_and_infinity_are_still_refused():
    for typed in ("NaN", "sNaN", "Infinity"):
        with pytest.raises(ValidationError):
            field().clean(typed)


def test_receipt_form_reads_a_fullwidth_amount():
    form = ReceiptForm(
        {"amount": "３０００", "voucher": "DZ-1", "posted_on": "2026-03-01", "note": "到账"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("3000")


def test_receipt_form_refuses_arabic_indic_digits_with_a_clear_message():
    form = ReceiptForm(
        {"amount": "٣٠٠٠", "voucher": "DZ-1", "posted_on": "2026-03-01", "note": "到账"}
    )
    assert not form.is_valid()
    assert "0-9" in form.errors["amount"][0]


@pytest.mark.django_db
def test_application_and_income_forms_use_the_money_rule():
    application = ApplicationForm({"kind": "emergency", "reason": "住院", "amount": "٥٠٠"})
    assert not application.is_valid()
    assert "0-9" in application.errors["amount"][0]
    income = IncomeItemForm({"source": "pension", "monthly_amount": "８００", "note": ""})
    assert income.is_valid(), income.errors
    assert income.cleaned_data["monthly_amount"] == Decimal("800")
