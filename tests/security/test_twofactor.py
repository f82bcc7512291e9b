"""A second factor for the roles that move money or sign off, recovery codes, and the end of
a deactivated user's sessions."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, user):
    user.set_password("a-long-password-42")
    user.save()
    response = client.post(
        reverse("login"), {"username": user.username, "password": "a-long-password-42"}
    )
    assert response.status_code == 302
    return response


@override_settings(REQUIRE_2FA=True)
@pytest.mark.parametrize("role", ["finance_c1", "committee_c1", "admin_fed"])
def test_money_and_sign_off_roles_must_set_up_a_second_factor_first(client, request, role):
    sign_in(client, request.getfixturevalue(role))
    response = client.get(reverse("household_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("twofactor_setup")


@override_settings(REQUIRE_2FA=True)
@pytest.mark.django_db
def test_a_staff_account_without_the_administrator_role_must_set_up_a_second_factor(client):
    """The administration site (users, roles, second-factor resets) is opened by is_staff,
    not by a role: a superuser made with createsuperuser needs the second factor too."""
    from hardship.models import User

    superuser = User.objects.create_superuser(username="root", password="x")
    sign_in(client, superuser)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("twofactor_setup")


@override_settings(REQUIRE_2FA=True)
def test_a_caseworker_is_not_forced_but_may_enable_it(client, caseworker_g1a):
    sign_in(client, caseworker_g1a)
    assert client.get(reverse("household_list")).status_code == 200
    assert client.get(reverse("twofactor_setup")).status_code == 200


@override_settings(REQUIRE_2FA=True)
def test_setting_up_with_a_right_code_gives_recovery_codes_and_access(client, finance_c1):
    sign_in(client, finance_c1)
    client.get(reverse("twofactor_setup"))
    device = TOTPDevice.objects.get(user=finance_c1)

    wrong = client.post(
        reverse("twofactor_setup"),
        {"token": "000000" if code_for(device) != "000000" else "111111"},
    )
    assert "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code slows the next attempt down; wait it out

    response = client.post(reverse("twofactor_setup"), {"token": code_for(device)})
    assert response.status_code == 200
    assert StaticToken.objects.filter(device__user=finance_c1).count() == 10
    assert client.get(reverse("fund_list")).status_code == 200


@override_settings(REQUIRE_2FA=True)
def test_after_signing_in_again_a_code_or_a_recovery_code_is_needed(client, finance_c1):
    device = TOTPDevice.objects.create(user=finance_c1, name="phone", confirmed=True)
    recovery = finance_c1.staticdevice_set.create(name="recovery")
    recovery.token_set.create(token="12345678")
    sign_in(client, finance_c1)

    blocked = client.get(reverse("fund_list"))
    assert blocked.status_code == 302 and reverse("twofactor_verify") in blocked["Location"]

    assert client.post(reverse("twofactor_verify"), {"token": "99999999"}).status_code == 200
    assert client.get(reverse("fund_list")).status_code == 302
    recovery.refresh_from_db()
    recovery.throttle_reset()
    device.refresh_from_db()
    device.throttle_reset()

    response = client.post(reverse("twofactor_verify"), {"token": "12345678"})
    assert response.status_code == 302
    assert client.get(reverse("fund_list")).status_code == 200
    assert not recovery.token_set.exists()  # a recovery code works once
    assert device.pk


@pytest.mark.parametrize("target", ["/\\evil.example/", "//evil.example/", "https://evil.example/"])
def test_the_code_page_sends_nobody_to_another_site(client, finance_c1, target):
    device = TOTPDevice.objects.create(user=finance_c1, name="phone", confirmed=True)
    sign_in(client, finance_c1)
    response = client.post(
        f"{reverse('twofactor_verify')}?next={target}", {"token": code_for(device)}
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_the_page_asked_for_comes_back_whole_after_the_code(client, finance_c1):
    device = TOTPDevice.objects.create(user=finance_c1, name="phone", confirmed=True)
    sign_in(client, finance_c1)
    asked = f"{reverse('household_list')}?status=in_file&category=dibao"
    blocked = client.get(asked)
    response = client.post(blocked["Location"], {"token": code_for(device)})
    assert response["Location"] == asked


@override_settings(REQUIRE_2FA=True)
def test_a_required_role_cannot_turn_it_off(client, finance_c1):
    device = TOTPDevice.objects.create(user=finance_c1, name="phone", confirmed=True)
    sign_in(client, finance_c1)
    client.post(reverse("twofactor_verify"), {"token": code_for(device)})
    client.post(reverse("twofactor_disable"))
    assert TOTPDevice.objects.filter(user=finance_c1).exists()


def test_deactivating_a_user_ends_their_sessions(client, caseworker_g1a):
    client.force_login(caseworker_g1a)
    assert client.get(reverse("household_list")).status_code == 200
    caseworker_g1a.is_active = False
    caseworker_g1a.save()
    response = client.get(reverse("household_list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
