"""Policy numbers in force for a unit on a date: the nearest unit wins, then the latest start."""

import datetime
from decimal import Decimal

from factories import PolicyParameterFactory

from hardship.models import PolicyParameter
from hardship.policy import policy_value

KEY = PolicyParameter.Key.HARDSHIP_THRESHOLD
ON = datetime.date(2024, 6, 1)


def test_without_any_row_there_is_no_value(org):
    assert policy_value(KEY, org.g1a, ON) is None


def test_a_system_wide_row_applies_everywhere(org):
    PolicyParameterFactory(value=Decimal("280"))
    assert policy_value(KEY, org.g1a, ON) == Decimal("280")
    assert policy_value(KEY, org.g2a, ON) == Decimal("280")


def test_the_most_specific_unit_on_the_path_wins(org):
    PolicyParameterFactory(value=Decimal("280"))
    PolicyParameterFactory(value=Decimal("300"), unit=org.c1)
    PolicyParameterFactory(value=Decimal("320"), unit=org.g1a)

    assert policy_value(KEY, org.g1a, ON) == Decimal("320")
    assert policy_value(KEY, org.g1b, ON) == Decimal("300")
    assert policy_value(KEY, org.g2a, ON) == Decimal("280")


def test_a_more_specific_row_wins_even_when_it_started_earlier(org):
    PolicyParameterFactory(value=Decimal("300"), unit=org.c1, valid_from=datetime.date(2010, 1, 1))
    PolicyParameterFactory(value=Decimal("280"), valid_from=datetime.date(2024, 1, 1))
    assert policy_value(KEY, org.g1a, ON) == Decimal("300")


def test_among_rows_of_one_unit_the_latest_start_in_force_wins(org):
    PolicyParameterFactory(value=Decimal("250"), valid_from=datetime.date(2020, 1, 1))
    PolicyParameterFactory(value=Decimal("280"), valid_from=datetime.date(2024, 1, 1))
    PolicyParameterFactory(value=Decimal("310"), valid_from=datetime.date(2025, 1, 1))

    assert policy_value(KEY, org.g1a, datetime.date(2022, 6, 1)) == Decimal("250")
    assert policy_value(KEY, org.g1a, ON) == Decimal("280")
    assert policy_value(KEY, org.g1a, datetime.date(2025, 1, 1)) == Decimal("310")
    assert policy_value(KEY, org.g1a, datetime.date(2019, 12, 31)) is None


def test_a_row_past_its_end_date_no_longer_applies(org):
    PolicyParameterFactory(value=Decimal("280"))
    PolicyParameterFactory(
        value=Decimal("300"),
        unit=org.c1,
        valid_from=datetime.date(2023, 1, 1),
        valid_to=datetime.date(2023, 12, 31),
    )
    assert policy_value(KEY, org.g1a, datetime.date(2023, 12, 31)) == Decimal("300")
    assert policy_value(KEY, org.g1a, datetime.date(2024, 1, 1)) == Decimal("280")


def test_other_keys_do_not_interfere(org):
    PolicyParameterFactory(key=PolicyParameter.Key.EXTREME_THRESHOLD, value=Decimal("245"))
    assert policy_value(KEY, org.g1a, ON) is None
    assert policy_value(PolicyParameter.Key.EXTREME_THRESHOLD, org.g1a, ON) == Decimal("245")


def test_the_cap_table_names_kinds_both_applications_and_payments_know():
    from cases.models import Application
    from funds.models import AidType
    from hardship.policy import CASE_CAP_KEYS

    assert set(CASE_CAP_KEYS) <= set(Application.Kind.values) & set(AidType.values)


def test_acted_by_names_the_actor_and_reason_on_the_history_row(org, caseworker_g1a):
    from hardship.history import acted_by

    unit = org.g1a
    unit.name = "改名后的工会"
    acted_by(caseworker_g1a, unit, reason="更名")
    unit.save()
    record = unit.history.latest()
    assert (record.history_user, record.history_change_reason) == (caseworker_g1a, "更名")
