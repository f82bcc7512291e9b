"""Every change keeps the acting user, whether made on a page or by a service call."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from factories import HouseholdFactory, make_id_number
from formdata import PDF_BYTES, aid_plan_data, household_data, household_edit_data

from households import services
from households.models import AidMeasure, Evidence, Household, Member


def latest(model, pk):
    return model.history.filter(id=pk).latest("history_date", "history_id")


def test_a_web_edit_records_the_signed_in_user_on_every_row_it_touches(
    client, household_g1a, chair_g1a
):
    spouse = household_g1a.members.get()
    client.force_login(chair_g1a)
    data = household_edit_data(household_g1a, worker_name="张建国（更正）", causes=["disability"])
    data["members-0-employment"] = "employed"

    client.post(reverse("household_edit", args=[household_g1a.pk]), data)

    record = latest(Household, household_g1a.pk)
    assert (record.history_type, record.history_user, record.worker_name) == (
        "~",
        chair_g1a,
        "张建国（更正）",
    )
    assert latest(Member, spouse.pk).history_user == chair_g1a
    cause_records = household_g1a.causes.model.history.filter(household_id=household_g1a.pk)
    assert {
        (r.cause, r.history_type, r.history_user)
        for r in cause_records.filter(history_user=chair_g1a)
    } == {
        ("illness", "-", chair_g1a),
        ("disability", "+", chair_g1a),
    }


def test_a_web_create_records_the_signed_in_user(client, org, caseworker_g1a):
    client.force_login(caseworker_g1a)
    client.post(
        reverse("household_create"), household_data(union=org.g1a, id_number=make_id_number())
    )
    record = Household.history.get()
    assert (record.history_type, record.history_user) == ("+", caseworker_g1a)


def test_an_aid_plan_records_the_signed_in_user(client, household_g1a, reviewer_c1):
    client.force_login(reviewer_c1)
    client.post(
        reverse("aid_plan_edit", args=[household_g1a.pk]),
        aid_plan_data([{"cause": "illness", "measure": "medical", "detail": ""}]),
    )
    assert AidMeasure.history.get().history_user == reviewer_c1


def test_establishing_a_file_records_the_actor(org, chair_g1a):
    household = HouseholdFactory(union=org.g1a)

    services.household_establish(actor=chair_g1a, household=household, on=datetime.date(2025, 3, 1))

    record = latest(Household, household.pk)
    assert (record.status, record.history_user) == ("in_file", chair_g1a)


def test_adding_and_deleting_evidence_records_the_actor(household_g1a, caseworker_g1a, reviewer_c1):
    evidence = services.evidence_add(
        actor=caseworker_g1a,
        household=household_g1a,
        cause="illness",
        kind="diagnosis",
        upload=SimpleUploadedFile("诊断证明.pdf", PDF_BYTES),
        content_type="application/pdf",
    )
    pk = evidence.pk
    assert latest(Evidence, pk).history_user == caseworker_g1a

    services.evidence_delete(actor=reviewer_c1, evidence=evidence)

    record = latest(Evidence, pk)
    assert (record.history_type, record.history_user) == ("-", reviewer_c1)
