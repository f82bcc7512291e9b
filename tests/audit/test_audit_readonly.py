"""Exited (已脱困) and cancelled (已注销) files are kept as they were: no role may change them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from factories import HardshipCauseFactory
from formdata import PDF_BYTES, aid_plan_data, household_edit_data

from casework.models import Visit
from households.models import AidMeasure, Evidence, Household

EDITORS = ["caseworker_g1a", "chair_g1a", "reviewer_c1"]
EVERYONE = EDITORS + ["worker_g1a", "committee_c1", "finance_c1", "auditor_fed"]


def end(household, state):
    on = datetime.date(2026, 6, 30)
    fields = {"exited_on": on} if state == "exited" else {"cancelled_on": on}
    Household.objects.filter(pk=household.pk).update(
        status=state, status_reason="家庭收入稳定", **fields
    )
    household.refresh_from_db()
    return household


@pytest.fixture
def worker_file(worker_household):
    HardshipCauseFactory(household=worker_household, cause="illness")
    return worker_household


def attempts(household):
    """Every way of changing a file, as (label, method, url, data)."""
    visit = {
        "visited_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "kind": "festival",
        "visitors": "王干事",
        "notes": "走访",
        "goods": "",
        "goods_value": "",
    }
    return [
        ("edit form", "get", reverse("household_edit", args=[household.pk]), None),
        (
            "edit",
            "post",
            reverse("household_edit", args=[household.pk]),
            household_edit_data(household, address="改动"),
        ),
        ("aid plan form", "get", reverse("aid_plan_edit", args=[household.pk]), None),
        (
            "aid plan",
            "post",
            reverse("aid_plan_edit", args=[household.pk]),
            aid_plan_data([{"cause": "illness", "measure": "medical", "detail": "大病救助"}]),
        ),
        (
            "evidence",
            "post",
            reverse("evidence_upload", args=[household.pk]),
            {
                "cause": "illness",
                "kind": "diagnosis",
                "file": SimpleUploadedFile("诊断.pdf", PDF_BYTES),
            },
        ),
        ("visit form", "get", reverse("visit_create", args=[household.pk]), None),
        ("visit", "post", reverse("visit_create", args=[household.pk]), visit),
        ("review form", "get", reverse("review_create", args=[household.pk]), None),
    ]


@pytest.mark.parametrize("state", ["exited", "cancelled"])
@pytest.mark.parametrize("who", EVERYONE)
def test_every_role_cannot_change_an_ended_file(client, request, worker_file, state, who):
    household = end(worker_file, state)
    before = Household.objects.filter(pk=household.pk).values().get()
    client.force_login(request.getfixturevalue(who))
    for label, method, url, data in attempts(household):
        response = (
            getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        )
        assert response.status_code == 403, label
    assert Household.objects.filter(pk=household.pk).values().get() == before
    assert not AidMeasure.objects.exists()
    assert not Evidence.objects.exists()
    assert not Visit.objects.exists()


@pytest.mark.parametrize("who", EDITORS)
def test_editor_can_change_the_same_file_while_in_file(client, request, worker_file, who):
    """The contrast: the refusals above come from the file's state, not from the role."""
    client.force_login(request.getfixturevalue(who))
    for label, method, url, data in attempts(worker_file):
        response = (
            getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        )
        assert response.status_code in (200, 302), label
    assert Household.objects.get(pk=worker_file.pk).address == "改动"
    assert AidMeasure.objects.filter(household=worker_file).exists()
    assert Evidence.objects.filter(household=worker_file).exists()
    assert Visit.objects.filter(household=worker_file).exists()


def test_worker_can_add_evidence_to_their_own_file_only_while_in_file(
    client, worker_file, worker_g1a
):
    client.force_login(worker_g1a)
    url = reverse("evidence_upload", args=[worker_file.pk])
    data = {
        "cause": "illness",
        "kind": "diagnosis",
        "file": SimpleUploadedFile("诊断.pdf", PDF_BYTES),
    }
    assert client.post(url, data).status_code == 302
    end(worker_file, "exited")
    data["file"] = SimpleUploadedFile("诊断2.pdf", PDF_BYTES)
    assert client.post(url, data).status_code == 403
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("state", ["exited", "cancelled"])
def test_caseworker_cannot_delete_evidence_of_an_ended_file(
    client, household_g1a, evidence_g1a, caseworker_g1a, state
):
    end(household_g1a, state)
    client.force_login(caseworker_g1a)
    assert client.post(reverse("evidence_delete", args=[evidence_g1a.pk])).status_code == 403
    assert Evidence.objects.filter(pk=evidence_g1a.pk).exists()


@pytest.mark.parametrize("state", ["exited", "cancelled"])
@pytest.mark.parametrize("who", EDITORS + ["worker_g1a"])
def test_everyone_can_read_that_an_ended_file_is_read_only(
    client, request, worker_file, state, who
):
    household = end(worker_file, state)
    client.force_login(request.getfixturevalue(who))
    response = client.get(household.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "该档案已脱困或注销，只读。" in page
    for name in ("household_edit", "aid_plan_edit", "review_create"):
        assert reverse(name, args=[household.pk]) not in page, name
    assert response.context["can_edit"] is False
    assert response.context["can_upload"] is False
    assert response.context["can_apply"] is False


def test_caseworker_can_see_no_read_only_notice_on_a_file_in_file(
    client, worker_file, caseworker_g1a
):
    client.force_login(caseworker_g1a)
    page = client.get(worker_file.get_absolute_url()).content.decode()
    assert "该档案已脱困或注销，只读。" not in page
    assert reverse("household_edit", args=[worker_file.pk]) in page
