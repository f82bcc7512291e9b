"""Legal aid (法律援助): the register of stations and lawyers, a case from a contact to its
outcome, the amounts recovered as Decimal, scope and the auditor."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import UnitFactory
from intakekit import record

from intake import legal
from intake.models import IntakeRevealLog, LegalAidCase, LegalAidProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(org, reviewer_c1):
    return legal.provider_save(
        actor=reviewer_c1, unit=org.c1, name="第一公司法律援助工作站", kind="station"
    )


def test_a_case_from_a_contact_is_referred_and_concluded(client, org, caseworker_g1a, station):
    contact = record(caseworker_g1a, worker_unit=org.g1a, topic="legal", summary="拖欠工资。")
    client.force_login(caseworker_g1a)
    create = reverse("legal_aid_create") + f"?contact={contact.pk}"
    form = client.get(create).content.decode()
    assert "拖欠工资" in form and contact.caller_name in form
    today = timezone.localdate()
    response = client.post(
        create,
        {
            "contact": contact.pk,
            "unit": org.g1a.pk,
            "worker_name": contact.caller_name,
            "phone": contact.phone,
            "id_number": "",
            "matter": "wages",
            "summary": contact.summary,
            "opened_on": today.isoformat(),
        },
    )
    case = LegalAidCase.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert (case.contact, case.created_by, case.status) == (contact, caseworker_g1a, "accepted")
    assert case.number in client.get(contact.get_absolute_url()).content.decode()

    client.post(
        reverse("legal_aid_refer", args=[case.pk]),
        {"provider": station.pk, "referred_on": today.isoformat()},
    )
    case.refresh_from_db()
    assert (case.status, case.provider) == ("referred", station)
    client.post(
        reverse("legal_aid_conclude", args=[case.pk]),
        {"outcome": "mediated", "amount_recovered": "１８６００.５０", "concluded_on": today},
    )
    case.refresh_from_db()
    assert case.status == "concluded" and case.outcome == "mediated"
    assert case.amount_recovered == Decimal("18600.50")
    assert case.history.first().history_user == caseworker_g1a
    page = client.get(case.get_absolute_url()).content.decode()
    assert "18,600.50" in page


def test_a_withdrawn_case_recovers_nothing_and_dates_are_checked(org, caseworker_g1a, station):
    case = legal.legal_case_open(
        actor=caseworker_g1a, unit=org.g1a, worker_name="冯德明", matter="injury", summary="工伤。"
    )
    today = timezone.localdate()
    with pytest.raises(Exception) as error:
        legal.legal_case_conclude(
            actor=caseworker_g1a,
            case=case,
            outcome="withdrawn",
            amount_recovered=Decimal("10"),
            concluded_on=today,
        )
    assert "撤回的案件没有挽回金额" in str(error.value)
    with pytest.raises(Exception) as error:
        legal.legal_case_refer(
            actor=caseworker_g1a,
            case=case,
            provider=station,
            referred_on=today + datetime.timedelta(days=1),
        )
    assert "转介日期" in str(error.value)
    case.refresh_from_db()
    assert case.status == "accepted"


def test_a_provider_of_another_company_is_not_offered(org, caseworker_g1a, caseworker_g2a, station):
    other = legal.provider_save(
        actor=caseworker_g2a, unit=org.g2a, name="第二公司律师", kind="lawyer"
    )
    federation = LegalAidProvider.objects.create(
        name="市法律援助中心", kind="station", unit=org.fed
    )
    case = legal.legal_case_open(
        actor=caseworker_g1a, unit=org.g1a, worker_name="冯德明", matter="injury", summary="工伤。"
    )
    with pytest.raises(Exception) as error:
        legal.legal_case_refer(
            actor=caseworker_g1a, case=case, provider=other, referred_on=timezone.localdate()
        )
    assert "请从本单位可用的法律援助机构中选择" in str(error.value)
    legal.legal_case_refer(
        actor=caseworker_g1a, case=case, provider=federation, referred_on=timezone.localdate()
    )
    case.refresh_from_db()
    assert case.provider == federation


def test_scope_masking_and_the_auditor(
    client, org, caseworker_g1a, caseworker_g2a, auditor_fed, station
):
    case = legal.legal_case_open(
        actor=caseworker_g1a,
        unit=org.g1a,
        worker_name="冯德明",
        phone="13904510027",
        matter="injury",
        summary="工伤。",
    )
    client.force_login(caseworker_g2a)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert case.number not in client.get(reverse("legal_aid_list")).content.decode()
    client.force_login(auditor_fed)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "13904510027" not in page and "139****0027" in page
    refer = {"provider": station.pk, "referred_on": timezone.localdate().isoformat()}
    assert client.post(reverse("legal_aid_refer", args=[case.pk]), refer).status_code == 403
    reveal = reverse("legal_aid_reveal", args=[case.pk, "phone"])
    assert client.post(reveal).status_code == 403
    assert client.post(reverse("legal_aid_providers"), {"name": "x"}).status_code == 403
    client.force_login(caseworker_g1a)
    assert "13904510027" in client.post(reveal).content.decode()
    assert IntakeRevealLog.objects.get().legal_case == case


def test_the_register_of_providers_takes_a_clear_message(client, org, reviewer_c1):
    client.force_login(reviewer_c1)
    response = client.post(
        reverse("legal_aid_providers"),
        {"unit": org.c1.pk, "name": "王律师", "kind": "lawyer", "phone": "电话", "address": ""},
    )
    assert "联系电话只能包含数字" in response.content.decode()
    assert not LegalAidProvider.objects.exists()
    outside = UnitFactory.grassroots(parent=org.c2, code="G2b")
    response = client.post(
        reverse("legal_aid_providers"),
        {"unit": outside.pk, "name": "王律师", "kind": "lawyer", "phone": "", "address": ""},
    )
    assert response.status_code == 200 and not LegalAidProvider.objects.exists()
