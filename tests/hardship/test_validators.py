"""The rules a household file, a roster import row and a payment share (hardship.validators)."""

import pytest
from django.core.exceptions import ValidationError
from factories import make_id_number

from hardship import validators
from households.models import Household


def test_a_bank_account_keeps_only_its_digits():
    assert validators.clean_bank_account(" 6222 0212-3456 7890 ") == "6222021234567890"
    assert validators.clean_bank_account("") == ""


@pytest.mark.parametrize("account", ["12345678901", "12345678901234567890", "6222０2123456789"])
def test_a_bank_account_of_other_than_12_to_19_ascii_digits_is_refused(account):
    with pytest.raises(ValidationError, match="12至19位数字"):
        validators.clean_bank_account(account)


def test_a_phone_with_letters_or_too_long_is_refused():
    assert validators.clean_phone("0451-8888 1234") == "0451-88881234"
    with pytest.raises(ValidationError):
        validators.clean_phone("call me")
    with pytest.raises(ValidationError):
        validators.clean_phone("1" * 21)


def test_gender_must_match_the_id_number():
    number = make_id_number(sex="F")
    assert validators.gender_mismatch(number, "F") == ""
    assert "女" in validators.gender_mismatch(number, "M")


def test_text_limits_are_read_from_the_model():
    assert validators.text_limit(Household, "worker_name") == 50
    with pytest.raises(ValidationError, match="50"):
        validators.check_text_length("张" * 51, 50)
