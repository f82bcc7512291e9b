"""Evidence valid until a date: a past date is refused at upload, the expiring list holds the
in-file households' documents expiring within the warning window or expired (the user's
scope only), and an expired document is flagged where it is relied on."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from factories import HardshipCauseFactory, HouseholdFactory, PolicyParameterFactory
from formdata import PDF_BYTES

from hardship.models import PolicyParameter
from households import services
from households.expiry import expiring_evidence
from households.models import Evidence

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def certificate(household, valid_until, kind=Evidence.Kind.DISABILITY_CERT) -> Evidence:
    if not household.causes.filter(cause="disability").exists():
        HardshipCauseFactory(household=household, cause="disability")
    return Evidence.objects.create(
        household=household,
        cause="disability",
        kind=kind,
        file="evidence/x.pdf",
        original_name="残疾证.pdf",
        content_type=Evidence.ContentType.PDF,
        size=10,
        valid_until=valid_until,
    )


def post_upload(client, household, valid_until):
    return client.post(
        reverse("evidence_upload", args=[household.pk]),
        {
            "cause": "illness",
            "kind": "diagnosis",
            "file": SimpleUploadedFile("诊断证明.pdf", PDF_BYTES),
            "valid_until": valid_until,
        },
    )


# --------------------------------------------------------------------------- upload


def test_an_upload_keeps_its_valid_until_date(client, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)
    response = post_upload(client, household_g1a, days(200).isoformat())
    assert response.status_code == 302
    assert household_g1a.evidence.get().valid_until == days(200)


def test_a_date_in_the_past_is_refused_at_upload(client, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)
    response = post_upload(client, household_g1a, days(-1).isoformat())
    assert response.status_code == 400
    assert "已过，该证明已失效" in str(response.context["form"].errors["valid_until"])
    assert not household_g1a.evidence.exists()


def test_the_service_refuses_a_past_date_too(household_g1a, caseworker_g1a):
    with pytest.raises(ValidationError):
        services.evidence_add(
            actor=caseworker_g1a,
            household=household_g1a,
            cause="illness",
            kind="diagnosis",
            upload=SimpleUploadedFile("诊断证明.pdf", PDF_BYTES),
            content_type=Evidence.ContentType.PDF,
            valid_until=days(-30),
        )


# --------------------------------------------------------------------------- the list


def test_the_list_holds_expiring_and_expired_documents_in_date_order(
    org, caseworker_g1a, household_g1a
):
    other = HouseholdFactory(in_file=True, union=org.g1a)
    soon = certificate(household_g1a, days(10))
    expired = certificate(other, days(-5), kind=Evidence.Kind.DIBAO_CERT)
    certificate(HouseholdFactory(in_file=True, union=org.g1a), days(31))  # beyond 30 days
    certificate(HouseholdFactory(in_file=True, union=org.g1a), None)  # no date
    certificate(HouseholdFactory(exited=True, union=org.g1a), days(3))  # not in file
    lines = expiring_evidence(caseworker_g1a, TODAY)
    assert [line.evidence for line in lines] == [expired, soon]
    assert (lines[0].validity.expired, lines[0].validity.days_overdue) == (True, 5)
    assert (lines[1].validity.expiring, lines[1].validity.days_left) == (True, 10)


def test_a_document_replaced_by_a_later_one_is_not_listed(caseworker_g1a, household_g1a):
    certificate(household_g1a, days(-5))
    certificate(household_g1a, days(700))
    assert expiring_evidence(caseworker_g1a, TODAY) == []


def test_the_warning_window_is_a_policy_parameter(org, caseworker_g1a, household_g1a):
    PolicyParameterFactory(key=PolicyParameter.Key.EVIDENCE_WARNING_DAYS, value=60, unit=org.c1)
    certificate(household_g1a, days(45))
    assert len(expiring_evidence(caseworker_g1a, TODAY)) == 1


def test_the_list_keeps_to_the_users_scope(
    client, caseworker_g1a, caseworker_g2a, household_g1a, household_g2a
):
    certificate(household_g1a, days(5))
    theirs = certificate(household_g2a, days(5))
    client.force_login(caseworker_g1a)
    response = client.get(reverse("evidence_expiring"))
    assert response.status_code == 200
    listed = [line.evidence for line in response.context["page"]]
    assert theirs not in listed and len(listed) == 1
    assert household_g2a.file_number not in response.content.decode()


def test_readers_of_the_registry_may_open_the_list_and_others_not(
    client, auditor_fed, worker_g1a, admin_fed
):
    client.force_login(auditor_fed)
    assert client.get(reverse("evidence_expiring")).status_code == 200
    for user in (worker_g1a, admin_fed):
        client.force_login(user)
        assert client.get(reverse("evidence_expiring")).status_code == 403


# --------------------------------------------------------------------------- flagged


def test_the_files_evidence_list_flags_expired_and_expiring(client, household_g1a, caseworker_g1a):
    certificate(household_g1a, days(-2))
    certificate(household_g1a, days(12), kind=Evidence.Kind.DIBAO_CERT)
    client.force_login(caseworker_g1a)
    response = client.get(reverse("household_detail", args=[household_g1a.pk]))
    page = response.content.decode()
    assert "已过期" in page and f"将于 {days(12).isoformat()} 到期" in page
    assert 'id="expired-evidence"' in page  # the note on the file
    assert [e.kind for e in response.context["expired_evidence"]] == ["disability_cert"]


def test_no_note_when_nothing_has_expired(client, household_g1a, caseworker_g1a):
    certificate(household_g1a, days(100))
    client.force_login(caseworker_g1a)
    page = client.get(reverse("household_detail", args=[household_g1a.pk])).content.decode()
    assert 'id="expired-evidence"' not in page and "已过期" not in page


def test_the_application_page_flags_expired_evidence(client, caseworker_g1a, app_at):
    application = app_at("submitted")
    certificate(application.household, days(-2))
    client.force_login(caseworker_g1a)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "evidence-expired" in page
