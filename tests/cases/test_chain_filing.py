"""Filing an application: who may file, what the request must satisfy (先建档后帮扶, the amount,
the caps in policy, the medical-aid suggestion)."""

from decimal import Decimal

import pytest
from casekit import file
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from factories import HardshipCauseFactory, HouseholdFactory, PolicyParameterFactory
from formdata import PDF_BYTES, household_edit_data

from cases import rules
from cases.models import Application, Decision
from hardship.idnumber import mask_name
from households.models import Evidence

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- who files ---------------------------------------------------------------------------


def test_caseworker_can_file_on_behalf_of_a_worker(client, caseworker_g1a, household_g1a):
    client.force_login(caseworker_g1a)
    response = client.post(
        reverse("application_create", args=[household_g1a.pk]),
        {"kind": "emergency", "reason": "配偶突发重病住院，家庭收入中断。", "amount": "5000"},
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert application.household == household_g1a
    assert application.filed_by == caseworker_g1a
    assert application.state == Application.State.SUBMITTED
    assert application.round == 1
    assert application.amount == Decimal("5000")
    assert application.number.startswith("SQ")
    decision = application.decisions.get()
    assert (decision.action, decision.actor, decision.step) == (
        Decision.Action.SUBMIT,
        caseworker_g1a,
        Application.State.SUBMITTED,
    )


def test_worker_can_file_own_application(client, worker_g1a, worker_household):
    assert worker_household.worker_account == worker_g1a
    client.force_login(worker_g1a)
    assert client.get(reverse("application_create", args=[worker_household.pk])).status_code == 200
    response = client.post(
        reverse("application_create", args=[worker_household.pk]),
        {"kind": "emergency", "reason": "本人住院，生活困难。", "amount": "3000"},
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.filed_by == worker_g1a
    assert application.household == worker_household
    # The worker follows its progress.
    page = client.get(application.get_absolute_url())
    assert page.status_code == 200
    assert "待基层工会审查" in page.content.decode()
    assert application.number in client.get(reverse("application_list")).content.decode()


def test_worker_cannot_file_for_someone_elses_household(client, worker_g1a, household_g1a):
    client.force_login(worker_g1a)
    assert client.get(reverse("application_create", args=[household_g1a.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        file(worker_g1a, household_g1a)
    assert not Application.objects.exists()


def test_worker_can_upload_evidence_on_own_household(
    client, worker_g1a, worker_household, media_root
):
    HardshipCauseFactory(household=worker_household, cause="illness")
    client.force_login(worker_g1a)
    response = client.post(
        reverse("evidence_upload", args=[worker_household.pk]),
        {
            "cause": "illness",
            "kind": "diagnosis",
            "file": SimpleUploadedFile("诊断证明.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.household, evidence.uploaded_by, evidence.kind) == (
        worker_household,
        worker_g1a,
        "diagnosis",
    )


def test_worker_cannot_edit_own_household(client, worker_g1a, worker_household):
    client.force_login(worker_g1a)
    url = reverse("household_edit", args=[worker_household.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, household_edit_data(worker_household, vehicles="3"))
    assert response.status_code == 403
    worker_household.refresh_from_db()
    assert worker_household.vehicles == 0


def test_caseworker_of_another_union_cannot_file(caseworker_g2a, household_g1a):
    with pytest.raises(PermissionDenied):
        file(caseworker_g2a, household_g1a)


def test_finance_cannot_file(client, finance_c1, household_g1a):
    with pytest.raises(PermissionDenied):
        file(finance_c1, household_g1a)
    client.force_login(finance_c1)
    assert client.get(reverse("application_create", args=[household_g1a.pk])).status_code == 403


# --- 先建档、后帮扶 -------------------------------------------------------------------------


def test_caseworker_can_file_establishment_for_a_draft_household(caseworker_g1a, org):
    draft = HouseholdFactory(union=org.g1a)
    application = file(caseworker_g1a, draft, "establish", None)
    assert application.kind == "establish"
    assert application.amount is None


def test_caseworker_cannot_file_establishment_for_a_household_in_file(
    caseworker_g1a, household_g1a
):
    with pytest.raises(ValidationError) as error:
        file(caseworker_g1a, household_g1a, "establish", None)
    assert "只有草稿档案可以申请建档" in messages_of(error.value)
    assert not Application.objects.exists()


@pytest.mark.parametrize("kind", ["emergency", "education", "medical", "exit", "cancel"])
def test_caseworker_cannot_file_aid_for_a_household_not_in_file(caseworker_g1a, org, kind):
    draft = HouseholdFactory(union=org.g1a)
    amount = "3000" if kind in ("emergency", "education", "medical") else None
    with pytest.raises(ValidationError) as error:
        file(caseworker_g1a, draft, kind, amount, self_paid="5000" if kind == "medical" else None)
    assert "先建档、后帮扶" in messages_of(error.value)


@pytest.mark.parametrize("status", ["exited", "cancelled"])
def test_caseworker_cannot_file_aid_for_an_ended_household(caseworker_g1a, org, status):
    ended = HouseholdFactory(union=org.g1a, **{status: True})
    with pytest.raises(PermissionDenied):
        file(caseworker_g1a, ended)
    assert not Application.objects.exists()


def test_caseworker_sees_the_first_file_then_aid_message_on_the_form(client, caseworker_g1a, org):
    draft = HouseholdFactory(union=org.g1a)
    client.force_login(caseworker_g1a)
    response = client.post(
        reverse("application_create", args=[draft.pk]),
        {"kind": "emergency", "reason": "生活困难。", "amount": "3000"},
    )
    assert response.status_code == 200
    assert "先建档、后帮扶：该户尚未在档" in response.content.decode()
    assert not Application.objects.exists()


def test_caseworker_cannot_file_a_second_open_establishment(caseworker_g1a, org):
    draft = HouseholdFactory(union=org.g1a)
    file(caseworker_g1a, draft, "establish", None)
    with pytest.raises(ValidationError) as error:
        file(caseworker_g1a, draft, "establish", None)
    assert "已有一份同类申请在办理中" in messages_of(error.value)
    assert Application.objects.count() == 1


# --- amounts and caps --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["emergency", "education", "medical"])
def test_caseworker_cannot_file_money_kind_without_amount(caseworker_g1a, household_g1a, kind):
    with pytest.raises(ValidationError) as error:
        file(caseworker_g1a, household_g1a, kind, None, self_paid="5000")
    assert error.value.message_dict["amount"] == ["请填写申请金额。"]


def test_caseworker_sees_amount_required_message_on_the_form(client, caseworker_g1a, household_g1a):
    client.force_login(caseworker_g1a)
    response = client.post(
        reverse("application_create", args=[household_g1a.pk]),
        {"kind": "emergency", "reason": "生活困难。", "amount": ""},
    )
    assert response.status_code == 200
    assert "请填写申请金额" in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.parametrize("kind", ["exit", "cancel"])
def test_caseworker_cannot_attach_an_amount_to_a_status_change(caseworker_g1a, household_g1a, kind):
    with pytest.raises(ValidationError) as error:
        file(caseworker_g1a, household_g1a, kind, "100")
    assert "此类申请不涉及金额" in messages_of(error.value)


def test_caseworker_cannot_file_emergency_above_the_cap(
    caseworker_g1a, household_g1a, emergency_cap
):
    with pytest.raises(ValidationError) as error:
        file(caseworker_g1a, household_g1a, "emergency", "20000.01")
    message = " ".join(error.value.message_dict["amount"])
    assert "超过每案上限" in message
    assert "20,000.00" in message
    assert not Application.objects.exists()


def test_caseworker_can_file_emergency_at_the_cap(caseworker_g1a, household_g1a, emergency_cap):
    assert file(caseworker_g1a, household_g1a, "emergency", "20000").amount == Decimal("20000")


def test_caseworker_sees_the_cap_on_the_form(client, caseworker_g1a, household_g1a, emergency_cap):
    client.force_login(caseworker_g1a)
    response = client.post(
        reverse("application_create", args=[household_g1a.pk]),
        {"kind": "emergency", "reason": "生活困难。", "amount": "25000"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "超过每案上限 20,000.00 元" in body
    assert not Application.objects.exists()


def test_caseworker_can_file_emergency_of_any_amount_without_a_cap(caseworker_g1a, household_g1a):
    """The cap lives in policy: without a policy row nothing is capped."""
    assert file(caseworker_g1a, household_g1a, "emergency", "30000").amount == Decimal("30000")


def test_caseworker_cannot_file_medical_without_self_paid(caseworker_g1a, household_g1a):
    with pytest.raises(ValidationError) as error:
        file(caseworker_g1a, household_g1a, "medical", "5000")
    assert error.value.message_dict["self_paid"] == ["医疗救助须填写个人自付金额。"]


def test_caseworker_can_file_medical_with_self_paid(caseworker_g1a, household_g1a, medical_tiers):
    application = file(caseworker_g1a, household_g1a, "medical", "17775", self_paid="23500")
    assert application.self_paid == Decimal("23500")


# --- the medical-aid suggestion ----------------------------------------------------------


@pytest.mark.parametrize(
    "self_paid, expected",
    [
        ("800", "0"),  # below the lowest tier
        ("1000", "0"),
        ("10000", "6300.00"),  # 9000 × 0.70
        ("23500", "17775.00"),  # 9000 × 0.70 + 13500 × 0.85 = 6300 + 11475
        ("50000", "40300.00"),  # 6300 + 40000 × 0.85
        ("60000", "49800.00"),  # 6300 + 34000 + 10000 × 0.95
    ],
)
def test_medical_suggestion_follows_the_tiers(medical_tiers, self_paid, expected):
    assert rules.medical_suggestion(Decimal(self_paid)).amount == Decimal(expected)


def test_medical_suggestion_lists_each_band(medical_tiers):
    lines = rules.medical_suggestion(Decimal("23500")).lines
    assert [(portion, aid) for _lo, _up, _rate, portion, aid in lines] == [
        (Decimal("9000"), Decimal("6300.00")),
        (Decimal("13500"), Decimal("11475.00")),
    ]
    assert rules.medical_suggestion(Decimal("800")).lines == []


def test_medical_suggestion_ignores_tiers_no_longer_in_force(medical_tiers):
    import datetime

    for tier in medical_tiers:
        tier.valid_to = datetime.date(2021, 12, 31)
        tier.save()
    assert rules.medical_suggestion(Decimal("23500")).amount == Decimal("0")


def test_worker_can_get_medical_suggestion_fragment(client, worker_g1a, medical_tiers):
    client.force_login(worker_g1a)
    response = client.get(reverse("medical_suggestion"), {"self_paid": "23500"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "建议救助金额：17,775.00 元" in body
    assert "11,475.00" in body


def test_worker_gets_no_suggestion_below_the_lowest_tier(client, worker_g1a, medical_tiers):
    client.force_login(worker_g1a)
    body = client.get(reverse("medical_suggestion"), {"self_paid": "800"}).content.decode()
    assert "建议救助金额：0.00 元" in body
    assert "不予医疗救助" in body


@pytest.mark.parametrize(
    "value", ["", "abc", "-5", "0", "NaN", "Infinity", "-Infinity", "1e40", "sNaN"]
)
def test_worker_cannot_break_medical_suggestion_with_bad_input(
    client, worker_g1a, medical_tiers, value
):
    client.force_login(worker_g1a)
    response = client.get(reverse("medical_suggestion"), {"self_paid": value})
    assert response.status_code == 200
    assert "建议救助金额" not in response.content.decode()


def test_anonymous_cannot_get_medical_suggestion(client, medical_tiers):
    response = client.get(reverse("medical_suggestion"), {"self_paid": "23500"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- masking for notices -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, masked",
    [("", ""), ("张", "张"), ("张明", "张*"), ("张建明", "张*明"), ("欧阳建国", "欧**国")],
)
def test_mask_name_keeps_first_and_last_character(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    "kind, key, extra",
    [
        ("education", "education_cap", {}),
        ("medical", "medical_cap", {"self_paid": "60000"}),
    ],
)
def test_caseworker_cannot_file_above_the_cap_of_each_kind(
    caseworker_g1a, household_g1a, kind, key, extra
):
    PolicyParameterFactory(key=key, value=Decimal("5000"))
    with pytest.raises(ValidationError) as error:
        file(caseworker_g1a, household_g1a, kind, "5000.01", **extra)
    assert "5,000.00" in " ".join(error.value.message_dict["amount"])
    assert file(caseworker_g1a, household_g1a, kind, "5000", **extra).amount == Decimal("5000")


def test_cap_of_another_company_does_not_apply(caseworker_g1a, household_g1a, org, emergency_cap):
    PolicyParameterFactory(key="emergency_cap", value=Decimal("10000"), unit=org.c2)
    assert file(caseworker_g1a, household_g1a, "emergency", "15000").amount == Decimal("15000")
    PolicyParameterFactory(key="emergency_cap", value=Decimal("10000"), unit=org.c1)
    with pytest.raises(ValidationError) as error:
        file(caseworker_g1a, household_g1a, "emergency", "15000")
    assert "10,000.00" in " ".join(error.value.messages)
