"""Resident ID numbers (GB 11643-1999): each kind of mistake gets its own precise message."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from factories import make_id_number
from hypothesis import given, settings
from hypothesis import strategies as st

from hardship.idnumber import (
    birth_date_of,
    check_character,
    gender_of,
    mask_id_number,
    mask_phone,
    normalise_id_number,
    same_id_number,
    validate_id_number,
)


def error_of(value: str) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate_id_number(value)
    return info.value


def test_a_valid_number_is_accepted():
    validate_id_number("230103197503140013")
    assert check_character("23010319750314001") == "3"


def test_a_number_whose_check_character_is_x_is_accepted_in_either_case():
    # The frequently published sample number of GB 11643.
    assert check_character("11010519491231002") == "X"
    validate_id_number("11010519491231002X")
    validate_id_number("11010519491231002x")
    validate_id_number(" 110105 19491231 002X ")


def test_a_number_of_the_wrong_length_is_refused_with_its_length():
    error = error_of("23010319750314001")
    assert error.code == "length"
    assert error.messages == ["身份证号应为18位，当前为17位。"]
    assert error_of("2301031975031400133").messages == ["身份证号应为18位，当前为19位。"]


@pytest.mark.parametrize(
    "value", ["23010319750314A013", "2301031975031400Y3", "23010319750314001Y"]
)
def test_letters_other_than_a_final_x_are_refused(value):
    error = error_of(value)
    assert error.code == "characters"
    assert error.messages == ["身份证号前17位应为数字，最后一位为数字或X。"]


def test_an_impossible_birth_date_is_refused_and_named():
    first17 = "23010319900230001"  # 30 February 1990
    error = error_of(first17 + check_character(first17))
    assert error.code == "birth_date"
    assert error.messages == ["身份证号中的出生日期 19900230 不是有效日期。"]


def test_a_birth_date_in_the_future_is_refused():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    error = error_of(make_id_number(tomorrow))
    assert error.code == "birth_date"
    assert error.messages == [f"身份证号中的出生日期 {tomorrow.isoformat()} 不在合理范围内。"]


def test_a_birth_date_before_1900_is_refused():
    error = error_of(make_id_number(datetime.date(1899, 12, 31)))
    assert error.code == "birth_date"


def test_a_wrong_check_character_names_the_expected_one():
    error = error_of("230103197503140019")
    assert error.code == "checksum"
    assert error.messages == ["身份证号校验位错误：第18位应为 3，填写的是 9。"]


def test_a_wrong_check_character_expecting_x_names_x():
    error = error_of("110105194912310021")
    assert error.messages == ["身份证号校验位错误：第18位应为 X，填写的是 1。"]


def test_an_unknown_region_code_is_refused_and_named():
    error = error_of(make_id_number(region="000000"))
    assert error.code == "region"
    assert error.messages == ["身份证号前6位 000000 不是有效的行政区划代码。"]


def test_birth_date_and_gender_are_read_from_the_number():
    number = make_id_number(datetime.date(1983, 7, 9), sex="F")
    assert birth_date_of(number) == datetime.date(1983, 7, 9)
    assert gender_of(number) == "F"
    assert gender_of(make_id_number(sex="M")) == "M"


@settings(max_examples=60, deadline=None)
@given(
    birth=st.dates(datetime.date(1900, 1, 1), datetime.date(2020, 12, 31)),
    seq=st.integers(0, 499),
    sex=st.sampled_from("MF"),
)
def test_every_generated_number_is_valid_and_carries_its_birth_date_and_gender(birth, seq, sex):
    number = make_id_number(birth, seq=seq, sex=sex)
    validate_id_number(number)
    assert birth_date_of(number) == birth
    assert gender_of(number) == sex


@settings(max_examples=80, deadline=None)
@given(position=st.integers(0, 16), delta=st.integers(1, 9))
def test_any_single_mistyped_digit_is_caught(position, delta):
    number = "230103197503140013"
    digit = str((int(number[position]) + delta) % 10)
    mistyped = number[:position] + digit + number[position + 1 :]
    with pytest.raises(ValidationError):
        validate_id_number(mistyped)


def test_an_id_number_is_masked_to_its_first_three_and_last_four_characters():
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_id_number("1234567") == "*******"
    assert mask_id_number("") == ""


@pytest.mark.parametrize(
    "phone, masked",
    [
        ("13812345678", "138****5678"),
        ("04518654321", "045****4321"),
        ("86543210", "865*3210"),
        # A 7-digit local number: keeping 3 + 4 characters would reveal all of it.
        ("8654321", "*******"),
        ("110", "***"),
        ("", ""),
    ],
)
def test_a_phone_number_is_masked_and_never_shown_in_full(phone, masked):
    assert mask_phone(phone) == masked
    if phone:
        assert mask_phone(phone) != phone


# One stored form -----------------------------------------------------------------------

SAMPLE_X = "11010519491231002X"


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        " 110105 19491231 002X ",
        "１１０１０５１９４９１２３１００２ｘ",  # full-width, as a Chinese input method types it
        "110105\u300019491231002X",  # an ideographic space
    ],
)
def test_every_way_of_typing_a_number_normalises_to_one_form(typed):
    assert normalise_id_number(typed) == SAMPLE_X


def test_other_scripts_digits_are_not_an_id_number():
    # Arabic-Indic ٣ passes str.isdigit() and int(); it must not pass as a resident ID.
    arabic = "23010319750314001" + "٣"
    assert error_of(arabic).code == "characters"
    assert error_of("٢" + "230103197503140013"[1:]).code == "characters"


def test_same_id_number_ignores_case_and_never_matches_blanks():
    assert same_id_number("11010519491231002x", SAMPLE_X)
    assert not same_id_number("", "")
    assert not same_id_number(SAMPLE_X, "230103197503140013")


@pytest.mark.django_db
def test_lowercase_x_is_stored_upper_case_on_users_households_and_members(org):
    from factories import HouseholdFactory, MemberFactory, UserFactory

    from hardship.models import User
    from households.models import Household, Member

    user = UserFactory(id_number="11010519491231002x")
    household = HouseholdFactory(union=org.g1a, id_number="11010519491231002x", gender="F")
    member = MemberFactory(household=household, id_number="11010519491231002x")

    assert User.objects.get(pk=user.pk).id_number == SAMPLE_X
    assert Household.objects.get(pk=household.pk).id_number == SAMPLE_X
    assert Member.objects.get(pk=member.pk).id_number == SAMPLE_X
    # A lookup typed with the lower-case x finds the stored number.
    assert Household.objects.filter(id_number="11010519491231002x").get() == household
    assert User.objects.filter(id_number__in=["11010519491231002x"]).get() == user


@pytest.mark.django_db
def test_administrator_user_form_stores_the_normalised_number_and_refuses_a_bad_one(
    client, admin_user
):
    from hardship.models import User

    client.force_login(admin_user)
    user = User.objects.create_user("zhang", full_name="张")
    url = f"/admin/hardship/user/{user.pk}/change/"
    data = {
        "username": "zhang",
        "full_name": "张",
        "id_number": "11010519491231002x",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.id_number == SAMPLE_X

    data["id_number"] = "110105194912310021"  # wrong check character
    response = client.post(url, data)
    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()
    user.refresh_from_db()
    assert user.id_number == SAMPLE_X


def test_a_number_whose_digits_7_to_14_are_no_date_has_no_birth_date():
    with pytest.raises(ValueError):
        birth_date_of("230103197502300010")
