"""Wrong passwords for many different accounts from one address are slowed down too: the
address is locked after AXES_ADDRESS_FAILURE_LIMIT failures (over all user names) within
the cool-off, while one user name at one address is locked after AXES_FAILURE_LIMIT. An
office behind one NAT address making a few typos is not locked out of every account."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests/factories.py
ATTACKER = "198.51.100.66"
OFFICE = "203.0.113.7"
ELSEWHERE = "192.0.2.10"


@pytest.fixture
def staff(org):
    return [UserFactory(username=f"staff_{n:02d}") for n in range(8)]


def login(client, username, password, address):
    client.logout()
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("dashboard")


def spray(client, address, failures, start=0):
    """One wrong password each for `failures` different user names."""
    for n in range(start, start + failures):
        assert login(client, f"guess_{n:03d}", "Winter2026!", address).status_code == 200


def test_the_address_limit_is_well_above_the_user_limit():
    assert settings.AXES_ADDRESS_FAILURE_LIMIT >= 5 * settings.AXES_FAILURE_LIMIT


def test_wrong_passwords_for_many_accounts_from_one_address_are_slowed_down(client, staff):
    spray(client, ATTACKER, settings.AXES_ADDRESS_FAILURE_LIMIT - 1)
    # The last failure the address may make is answered, and then the address is locked.
    assert login(client, "guess_999", "Winter2026!", ATTACKER).status_code == 429
    assert login(client, "staff_00", PASSWORD, ATTACKER).status_code == 429
    # Not the accounts: from another address they sign in.
    assert signed_in(login(client, "staff_00", PASSWORD, ELSEWHERE))


def test_an_office_making_a_few_typos_is_not_locked_out(client, staff):
    """Every colleague mistypes a few times (below the per-user limit), and one of them
    locks their own account: everyone else still signs in from the office address."""
    for user in staff:
        for _ in range(2):
            login(client, user.username, "typo", OFFICE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "staff_07", "forgot it", OFFICE)
    assert login(client, "staff_07", PASSWORD, OFFICE).status_code == 429
    for user in staff[:-1]:
        assert signed_in(login(client, user.username, PASSWORD, OFFICE)), user.username


def test_a_good_password_does_not_clear_the_failures_of_others_at_the_address(client, staff):
    """An attacker holding one valid account cannot sign in with it now and then to start
    the address count again."""
    spray(client, ATTACKER, settings.AXES_ADDRESS_FAILURE_LIMIT - 2)
    assert signed_in(login(client, "staff_00", PASSWORD, ATTACKER))
    spray(client, ATTACKER, 1, start=500)
    assert login(client, "guess_999", "Winter2026!", ATTACKER).status_code == 429


def test_the_address_lock_lifts_after_the_cool_off(client, staff):
    spray(client, ATTACKER, settings.AXES_ADDRESS_FAILURE_LIMIT - 1)
    assert login(client, "guess_999", "Winter2026!", ATTACKER).status_code == 429
    assert login(client, "staff_00", PASSWORD, ATTACKER).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert signed_in(login(client, "staff_00", PASSWORD, ATTACKER))
