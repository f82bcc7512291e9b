"""The write services check permission themselves, whoever calls them, and keep the
database rules even when two people act at once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from factories import HouseholdFactory, make_id_number
from formdata import PDF_BYTES, aid_plan_data, household_data, household_edit_data

from hardship import access
from hardship.models import Unit
from households import selectors, services
from households.forms import (
    AidMeasureFormSetFactory,
    HouseholdForm,
    IncomeFormSetFactory,
    MemberFormSetFactory,
)
from households.models import AidMeasure, Evidence, Household

ON = datetime.date(2025, 3, 1)


def bound_forms(household, data, unions):
    """What the edit page passes the save service: the validated forms' cleaned data."""
    form = HouseholdForm(data, instance=household, unions=unions)
    members = MemberFormSetFactory(
        data, instance=household, prefix="members", worker_id_number=data["id_number"]
    )
    incomes = IncomeFormSetFactory(data, instance=household, prefix="incomes")
    assert form.is_valid() and members.is_valid() and incomes.is_valid()
    return {
        "household": household,
        "data": form.cleaned_data,
        "members": members.cleaned_data,
        "incomes": incomes.cleaned_data,
    }


def test_establishing_puts_a_draft_in_file(org, chair_g1a):
    household = HouseholdFactory(union=org.g1a)
    services.household_establish(actor=chair_g1a, household=household, on=ON)
    household.refresh_from_db()
    assert (household.status, household.established_on) == ("in_file", ON)


def test_only_a_draft_can_be_established(household_g1a, chair_g1a):
    with pytest.raises(ValidationError) as info:
        services.household_establish(actor=chair_g1a, household=household_g1a, on=ON)
    assert info.value.messages == ["只有草稿档案可以建档。"]


def test_a_second_file_for_the_same_worker_cannot_be_established(org, household_g1a, chair_g1a):
    draft = HouseholdFactory(union=org.g1a, id_number=household_g1a.id_number)
    with pytest.raises(ValidationError) as info:
        services.household_establish(actor=chair_g1a, household=draft, on=ON)
    assert info.value.messages == ["该身份证号已是另一户在档困难职工。"]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_reader_calling_the_save_service_directly_is_refused(household_g1a, committee_c1):
    unions = Unit.objects.filter(kind="grassroots")
    household = selectors.household_detail(committee_c1, household_g1a.pk)
    forms = bound_forms(household, household_edit_data(household, worker_name="改名"), unions)

    with pytest.raises(PermissionDenied):
        services.household_save(actor=committee_c1, **forms)

    assert Household.objects.get(pk=household_g1a.pk).worker_name == "张建国"


def test_an_editor_cannot_file_into_a_union_outside_their_scope(org, caseworker_g1a):
    unions = Unit.objects.filter(kind="grassroots")
    data = household_data(union=org.g2a, id_number=make_id_number())
    with pytest.raises(PermissionDenied):
        services.household_save(actor=caseworker_g1a, **bound_forms(Household(), data, unions))
    assert not Household.objects.exists()


def test_a_clash_that_appears_between_validation_and_saving_is_refused_cleanly(
    org, household_g1a, caseworker_g1a, chair_g1a
):
    # Two people at once: the edit form is validated while the other file is still a draft,
    # and the other file is established before this edit is saved.
    other = HouseholdFactory(union=org.g1b)
    household = selectors.household_detail(caseworker_g1a, household_g1a.pk, write=True)
    data = household_edit_data(household, id_number=other.id_number, gender=other.gender)
    forms = bound_forms(household, data, access.editable_units(caseworker_g1a))
    services.household_establish(actor=chair_g1a, household=other, on=ON)

    with pytest.raises(ValidationError) as info:
        services.household_save(actor=caseworker_g1a, **forms)

    assert info.value.messages == ["该身份证号已是另一户在档困难职工。"]
    assert Household.objects.get(pk=household_g1a.pk).id_number == household_g1a.id_number


def test_a_reader_cannot_save_an_aid_plan(household_g1a, auditor_fed):
    formset = AidMeasureFormSetFactory(
        aid_plan_data([{"cause": "illness", "measure": "medical", "detail": ""}]),
        instance=household_g1a,
        prefix="measures",
        form_kwargs={"causes": list(household_g1a.causes.all())},
    )
    assert formset.is_valid()
    with pytest.raises(PermissionDenied):
        services.aid_plan_save(
            actor=auditor_fed, household=household_g1a, measures=formset.cleaned_data
        )
    assert not AidMeasure.objects.exists()


def add_evidence(actor, household, cause="illness"):
    return services.evidence_add(
        actor=actor,
        household=household,
        cause=cause,
        kind="diagnosis",
        upload=SimpleUploadedFile("诊断证明.pdf", PDF_BYTES),
        content_type="application/pdf",
    )


def test_a_reader_cannot_add_evidence(household_g1a, finance_c1, media_root):
    with pytest.raises(PermissionDenied):
        add_evidence(finance_c1, household_g1a)
    assert not Evidence.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*"))


def test_evidence_for_an_unregistered_cause_is_refused_and_leaves_no_file(
    household_g1a, caseworker_g1a, media_root
):
    with pytest.raises(ValidationError) as info:
        add_evidence(caseworker_g1a, household_g1a, cause="education")
    assert info.value.messages == ["请先在档案中登记该致困原因。"]
    assert not Evidence.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*"))


def test_a_reader_cannot_delete_evidence(evidence_g1a, committee_c1):
    with pytest.raises(PermissionDenied):
        services.evidence_delete(actor=committee_c1, evidence=evidence_g1a)
    assert Evidence.objects.filter(pk=evidence_g1a.pk).exists()
