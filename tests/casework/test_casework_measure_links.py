"""Records that carry out a measure of the aid plan (一户一措施): visits, applications,
trainings and referrals name the measure; only an open measure of the same household may
be named; the household page lists them under the measure."""

import pytest
from casekit import file
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from employkit import make_course, refer, register

from cases import services as case_services
from casework.services import visit_record
from employment import services as employment_services
from households.models import AidMeasure

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def medical(household_g1a):
    return AidMeasure.objects.create(
        household=household_g1a, cause="illness", measure="medical", detail="住院救助"
    )


@pytest.fixture
def elsewhere(household_g2a):
    return AidMeasure.objects.create(household=household_g2a, cause="illness", measure="medical")


def visit(actor, household, measure):
    return visit_record(
        actor=actor,
        household=household,
        visited_on=TODAY,
        kind="hospital",
        visitors="王干事",
        measure=measure,
    )


def test_a_measure_of_another_household_is_refused_everywhere(
    caseworker_g1a, household_g1a, elsewhere, org
):
    spouse = household_g1a.members.get()
    employer, provider = register(caseworker_g1a, org.g1a)
    course = make_course(caseworker_g1a, provider)
    attempts = [
        lambda: visit(caseworker_g1a, household_g1a, elsewhere),
        lambda: case_services.application_file(
            actor=caseworker_g1a,
            household=household_g1a,
            kind="emergency",
            reason="突发变故",
            amount=1000,
            measure=elsewhere,
        ),
        lambda: employment_services.enrolment_create(
            actor=caseworker_g1a, member=spouse, course=course, measure=elsewhere
        ),
        lambda: employment_services.referral_create(
            actor=caseworker_g1a,
            member=spouse,
            employer=employer,
            position="保洁员",
            wage_offered=2600,
            referred_on=TODAY,
            measure=elsewhere,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as info:
            attempt()
        assert info.value.message_dict == {"measure": ["只能关联本户帮扶计划中的措施。"]}
    assert not elsewhere.visits.exists() and not elsewhere.applications.exists()
    assert not elsewhere.enrolments.exists() and not elsewhere.referrals.exists()


def test_a_closed_measure_takes_no_new_record(caseworker_g1a, household_g1a, medical):
    medical.status, medical.completed_on, medical.completion_note = "done", TODAY, "已发放"
    medical.save()
    with pytest.raises(ValidationError, match="已结束"):
        visit(caseworker_g1a, household_g1a, medical)


def test_the_forms_offer_the_households_open_measures_only(
    client, caseworker_g1a, household_g1a, medical, elsewhere
):
    AidMeasure.objects.create(
        household=household_g1a,
        cause="illness",
        measure="living",
        status="failed",
        completed_on=TODAY,
        completion_note="未达成",
    )
    client.force_login(caseworker_g1a)
    for name in ("visit_create", "application_create"):
        form = client.get(reverse(name, args=[household_g1a.pk])).context["form"]
        assert list(form.fields["measure"].queryset) == [medical], name
    spouse = household_g1a.members.get()
    form = client.get(reverse("referral_create", args=[spouse.pk])).context["form"]
    assert list(form.fields["measure"].queryset) == [medical]
    page = client.get(reverse("employment_household", args=[household_g1a.pk])).content.decode()
    assert f'<option value="{medical.pk}">' in page


def test_a_visit_posted_with_a_measure_carries_it_out(
    client, caseworker_g1a, household_g1a, medical, elsewhere
):
    client.force_login(caseworker_g1a)
    data = {"visited_on": f"{TODAY}", "kind": "hospital", "visitors": "王干事", "notes": ""}
    response = client.post(
        reverse("visit_create", args=[household_g1a.pk]), {**data, "measure": elsewhere.pk}
    )
    assert response.status_code == 200 and "measure" in response.context["form"].errors
    response = client.post(
        reverse("visit_create", args=[household_g1a.pk]), {**data, "measure": medical.pk}
    )
    assert response.status_code == 302
    assert medical.visits.get().kind == "hospital"


def test_the_file_lists_each_measures_records(client, caseworker_g1a, household_g1a, medical, org):
    spouse = household_g1a.members.get()
    employer, provider = register(caseworker_g1a, org.g1a)
    course = make_course(caseworker_g1a, provider, name="育婴员培训班")
    application = case_services.application_file(
        actor=caseworker_g1a,
        household=household_g1a,
        kind="medical",
        reason="住院",
        amount=3000,
        self_paid=8000,
        measure=medical,
    )
    visit(caseworker_g1a, household_g1a, medical)
    employment_services.enrolment_create(
        actor=caseworker_g1a, member=spouse, course=course, measure=medical
    )
    referral = refer(caseworker_g1a, spouse, employer)
    referral.measure = medical
    referral.save()
    unlinked = file(caseworker_g1a, household_g1a)

    client.force_login(caseworker_g1a)
    page = client.get(household_g1a.get_absolute_url()).content.decode()
    row = page[page.index(f'id="measure-{medical.pk}"') :]
    row = row[: row.index("</tr>")]
    assert application.number in row and application.get_absolute_url() in row
    assert f"{TODAY:%Y-%m-%d} 住院必访" in row
    assert "育婴员培训班" in row and employer.name in row
    assert unlinked.number not in row
