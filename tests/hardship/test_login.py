"""Signing in through the real login page, and the lock-out after repeated failures.

The lock-out is per user name *and* address: one person behind an office NAT must not lock
out a colleague, and the same user signing in from elsewhere is not blocked."""

import pytest
from django.conf import settings
from django.urls import reverse
from factories import UserFactory

PASSWORD = "correct horse battery"
LOCKED_MESSAGE = "登录失败次数过多，已被暂时锁定"


@pytest.fixture
def user(org):
    return UserFactory(username="sh01_caseworker")


def login(client, password, address="10.0.0.1", username="sh01_caseworker"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_a_user_can_sign_in_with_the_right_password(client, user):
    response = login(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).context["user"] == user


def test_signing_in_records_the_time_but_puts_no_change_on_the_audit_trail(client, user):
    changes_before = user.history.count()
    login(client, PASSWORD)
    user.refresh_from_db()
    assert user.last_login is not None
    assert user.history.count() == changes_before


def test_a_wrong_password_shows_the_form_again_without_signing_in(client, user):
    response = login(client, "wrong password")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not response.context["user"].is_authenticated


def test_repeated_failures_lock_that_user_at_that_address(client, user):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert login(client, "wrong password").status_code == 200

    locked = login(client, "wrong password")
    assert locked.status_code == 429
    assert LOCKED_MESSAGE in locked.content.decode()

    # Even the right password is refused from that address while the lock lasts.
    again = login(client, PASSWORD)
    assert again.status_code == 429
    assert LOCKED_MESSAGE in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_same_user_from_another_address_is_not_locked(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong password", address="10.0.0.1")

    response = login(client, PASSWORD, address="10.0.0.2")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_another_user_at_the_locked_address_is_not_locked(client, user):
    colleague = UserFactory(username="sh02_caseworker")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong password", address="10.0.0.1")

    response = login(client, PASSWORD, address="10.0.0.1", username="sh02_caseworker")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)
