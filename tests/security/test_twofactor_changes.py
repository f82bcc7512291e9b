"""Changing the second factor needs the second factor: a stolen password alone can neither
set up, replace nor turn off an authenticator, nor make new recovery codes. Every change is
recorded (who, what, when) and shown on the audit trail; an administrator can reset a lost
phone, recorded the same way."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit import trail
from hardship import twofactor_services as services
from hardship.models import SecondFactorEvent
from security.test_twofactor import code_for, sign_in

Action = SecondFactorEvent.Action


def with_authenticator(user):
    """A confirmed authenticator and recovery codes, as after an earlier setup."""
    device = TOTPDevice.objects.create(user=user, name="owner's phone", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="recovery")
    recovery.token_set.create(token="11112222")
    return device


def pass_second_factor(client, device):
    response = client.post(reverse("twofactor_verify"), {"token": code_for(device)})
    assert response.status_code == 302, response.content.decode()


def recovery_codes_of(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


# A stolen password ------------------------------------------------------------------------


@override_settings(REQUIRE_2FA=True)
def test_password_alone_cannot_enrol_a_new_authenticator(client, finance_c1):
    owners = with_authenticator(finance_c1)
    sign_in(client, finance_c1)

    page = client.get(reverse("twofactor_setup"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("twofactor_verify"))
    assert not TOTPDevice.objects.filter(user=finance_c1, confirmed=False).exists()

    # Even with a pending secret the attacker knows (left from an earlier visit), posting a
    # code made from it changes nothing.
    planted = TOTPDevice.objects.create(user=finance_c1, name="attacker", confirmed=False)
    client.post(reverse("twofactor_setup"), {"token": code_for(planted)})
    assert list(TOTPDevice.objects.filter(user=finance_c1, confirmed=True)) == [owners]
    assert recovery_codes_of(finance_c1) == {"11112222"}
    assert not SecondFactorEvent.objects.exists()
    money = client.get(reverse("fund_list"))
    assert money.status_code == 302 and money["Location"].startswith(reverse("twofactor_verify"))


def test_password_alone_cannot_make_new_recovery_codes(client, finance_c1):
    with_authenticator(finance_c1)
    sign_in(client, finance_c1)
    response = client.post(reverse("twofactor_recovery_codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor_verify"))
    assert recovery_codes_of(finance_c1) == {"11112222"}
    assert not SecondFactorEvent.objects.exists()


def test_password_alone_cannot_turn_the_second_factor_off(client, caseworker_g1a):
    with_authenticator(caseworker_g1a)
    sign_in(client, caseworker_g1a)
    client.post(reverse("twofactor_disable"))
    assert TOTPDevice.objects.filter(user=caseworker_g1a, confirmed=True).exists()
    assert recovery_codes_of(caseworker_g1a) == {"11112222"}


@pytest.mark.parametrize(
    "change",
    [
        lambda user: services.pending_authenticator(user=user, second_factor_passed=False),
        lambda user: services.renew_recovery_codes(user=user, second_factor_passed=False),
        lambda user: services.disable(user=user, second_factor_passed=False),
    ],
    ids=["new secret", "recovery codes", "disable"],
)
def test_the_service_itself_refuses_a_session_without_the_second_factor(caseworker_g1a, change):
    with_authenticator(caseworker_g1a)
    with pytest.raises(services.SecondFactorRefused):
        change(caseworker_g1a)
    assert recovery_codes_of(caseworker_g1a) == {"11112222"}


# With the second factor, and the first time ------------------------------------------------


@override_settings(REQUIRE_2FA=True)
def test_first_enrolment_without_device_still_works(client, finance_c1):
    sign_in(client, finance_c1)
    client.get(reverse("twofactor_setup"))
    device = TOTPDevice.objects.get(user=finance_c1)
    response = client.post(reverse("twofactor_setup"), {"token": code_for(device)})
    assert response.status_code == 200
    assert len(recovery_codes_of(finance_c1)) == 10
    assert client.get(reverse("fund_list")).status_code == 200
    event = SecondFactorEvent.objects.get()
    assert (event.user, event.actor, event.action) == (finance_c1, finance_c1, Action.ENROLLED)


@override_settings(REQUIRE_2FA=True)
def test_after_the_code_the_authenticator_can_be_replaced_and_the_old_one_stops(client, finance_c1):
    old = with_authenticator(finance_c1)
    sign_in(client, finance_c1)
    pass_second_factor(client, old)

    assert client.get(reverse("twofactor_setup")).status_code == 200
    new = TOTPDevice.objects.get(user=finance_c1, confirmed=False)
    response = client.post(reverse("twofactor_setup"), {"token": code_for(new)})
    assert response.status_code == 200
    assert list(TOTPDevice.objects.filter(user=finance_c1)) == [new]
    assert "11112222" not in recovery_codes_of(finance_c1)
    assert SecondFactorEvent.objects.get().action == Action.REPLACED


def test_after_the_code_new_recovery_codes_are_given_and_recorded(client, finance_c1):
    device = with_authenticator(finance_c1)
    sign_in(client, finance_c1)
    pass_second_factor(client, device)
    response = client.post(reverse("twofactor_recovery_codes"))
    assert response.status_code == 200
    codes = recovery_codes_of(finance_c1)
    assert len(codes) == 10 and "11112222" not in codes
    assert all(code in response.content.decode() for code in codes)
    event = SecondFactorEvent.objects.get()
    assert (event.actor, event.action) == (finance_c1, Action.RECOVERY_CODES)


def test_after_the_code_a_caseworker_may_turn_it_off_and_it_is_recorded(client, caseworker_g1a):
    device = with_authenticator(caseworker_g1a)
    sign_in(client, caseworker_g1a)
    pass_second_factor(client, device)
    client.post(reverse("twofactor_disable"))
    assert not TOTPDevice.objects.filter(user=caseworker_g1a).exists()
    assert not recovery_codes_of(caseworker_g1a)
    assert SecondFactorEvent.objects.get().action == Action.DISABLED


# The administrator's reset (a lost phone) ---------------------------------------------------


@pytest.fixture
def site_admin(admin_fed):
    admin_fed.is_staff = admin_fed.is_superuser = True
    admin_fed.save()
    return admin_fed


def reset_in_admin(client, *users):
    return client.post(
        reverse("admin:hardship_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [user.pk for user in users]},
    )


@override_settings(REQUIRE_2FA=True)
def test_admin_reset_is_recorded(client, site_admin, finance_c1, auditor_fed):
    admins_phone = with_authenticator(site_admin)
    with_authenticator(finance_c1)
    sign_in(client, site_admin)
    pass_second_factor(client, admins_phone)

    response = reset_in_admin(client, finance_c1)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=finance_c1).exists()
    assert not recovery_codes_of(finance_c1)
    event = SecondFactorEvent.objects.get()
    assert (event.user, event.actor, event.action) == (finance_c1, site_admin, Action.ADMIN_RESET)

    # On the audit trail, naming the administrator.
    [entry] = trail.entries(auditor_fed, kind="second_factor")
    assert entry.who == str(site_admin) and str(finance_c1) in entry.record
    client.force_login(auditor_fed)
    page = client.get(reverse("audit_trail"), {"kind": "second_factor"}).content.decode()
    assert "管理员重置两步验证" in page and str(site_admin) in page

    # The owner, with the new phone, sets up again with the password (a first enrolment).
    client.logout()
    sign_in(client, finance_c1)
    assert client.get(reverse("fund_list"))["Location"] == reverse("twofactor_setup")
    assert client.get(reverse("twofactor_setup")).status_code == 200


def test_an_administrator_does_not_reset_their_own_second_factor(client, site_admin):
    device = with_authenticator(site_admin)
    sign_in(client, site_admin)
    pass_second_factor(client, device)
    reset_in_admin(client, site_admin)
    assert TOTPDevice.objects.filter(user=site_admin).exists()
    assert not SecondFactorEvent.objects.exists()


def test_only_an_administrator_may_reset(caseworker_g1a, finance_c1):
    with_authenticator(finance_c1)
    with pytest.raises(services.SecondFactorRefused):
        services.admin_reset(actor=caseworker_g1a, user=finance_c1)
    assert TOTPDevice.objects.filter(user=finance_c1).exists()


def test_the_admin_has_no_unrecorded_way_to_change_devices(client, site_admin):
    client.force_login(site_admin)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404
    # The record itself cannot be edited or deleted there either.
    event = SecondFactorEvent.objects.create(
        user=site_admin, actor=site_admin, action=Action.ENROLLED
    )
    delete = reverse("admin:hardship_secondfactorevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert SecondFactorEvent.objects.filter(pk=event.pk).exists()


def test_a_secret_shown_to_another_session_is_never_the_one_the_owner_confirms(client, finance_c1):
    """Before the first set-up, someone with the password opens the setup page and notes
    the secret. When the owner opens it, that secret is void and a new one is shown."""
    intruder = client.__class__()
    sign_in(intruder, finance_c1)
    intruder.get(reverse("twofactor_setup"))
    seen_by_intruder = TOTPDevice.objects.get(user=finance_c1)

    client.force_login(finance_c1)
    owners_page = client.get(reverse("twofactor_setup"))
    # Reloading the page keeps showing the owner the same secret until they confirm it.
    assert client.get(reverse("twofactor_setup")).context["secret"] == owners_page.context["secret"]
    owners = TOTPDevice.objects.get(user=finance_c1)
    assert owners.pk != seen_by_intruder.pk and owners.key != seen_by_intruder.key

    # The intruder's code, made from the secret they saw, confirms nothing.
    refused = intruder.post(reverse("twofactor_setup"), {"token": code_for(seen_by_intruder)})
    assert "二维码已更新" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=finance_c1, confirmed=True).exists()


def test_an_empty_post_to_the_setup_page_shows_the_form_again(client, finance_c1):
    sign_in(client, finance_c1)
    assert client.post(reverse("twofactor_setup")).status_code == 200
    client.get(reverse("twofactor_setup"))
    response = client.post(reverse("twofactor_setup"))
    assert response.status_code == 200 and response.context["form"].errors
