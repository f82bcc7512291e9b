"""The aid plan: one measure or more per registered cause (一户一计划、一户一措施)."""

from django.urls import reverse
from factories import HardshipCauseFactory, HouseholdFactory
from formdata import aid_plan_data

from households.models import AidMeasure


def url(household):
    return reverse("aid_plan_edit", args=[household.pk])


def test_caseworker_can_plan_measures_for_the_registered_causes(
    client, household_g1a, caseworker_g1a
):
    HardshipCauseFactory(household=household_g1a, cause="education")
    client.force_login(caseworker_g1a)

    response = client.post(
        url(household_g1a),
        aid_plan_data(
            [
                {"cause": "illness", "measure": "medical", "detail": "住院自付部分按比例救助"},
                {"cause": "education", "measure": "education", "detail": "金秋助学"},
            ]
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("household_detail", args=[household_g1a.pk])
    assert list(household_g1a.measures.values_list("cause", "measure")) == [
        ("illness", "medical"),
        ("education", "education"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "住院自付部分按比例救助" in page


def test_a_measure_for_a_cause_the_household_does_not_have_is_refused(
    client, household_g1a, caseworker_g1a
):
    client.force_login(caseworker_g1a)

    response = client.post(
        url(household_g1a),
        aid_plan_data([{"cause": "disaster", "measure": "living", "detail": ""}]),
    )

    assert response.status_code == 200
    assert "cause" in response.context["formset"].errors[0]
    assert not AidMeasure.objects.exists()


def test_a_measure_needs_a_kind(client, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)
    response = client.post(
        url(household_g1a), aid_plan_data([{"cause": "illness", "measure": "", "detail": "x"}])
    )
    assert response.context["formset"].errors[0] == {"measure": ["这个字段是必填项。"]}
    assert not AidMeasure.objects.exists()


def test_measures_can_be_changed_and_removed(client, household_g1a, caseworker_g1a):
    keep = AidMeasure.objects.create(household=household_g1a, cause="illness", measure="living")
    drop = AidMeasure.objects.create(household=household_g1a, cause="illness", measure="other")
    client.force_login(caseworker_g1a)

    response = client.post(
        url(household_g1a),
        aid_plan_data(
            [
                {"id": keep.pk, "cause": "illness", "measure": "medical", "detail": "大病救助"},
                {
                    "id": drop.pk,
                    "cause": "illness",
                    "measure": "other",
                    "detail": "",
                    "DELETE": "on",
                },
            ],
            initial=2,
        ),
    )

    assert response.status_code == 302
    assert list(household_g1a.measures.values_list("pk", "measure", "detail")) == [
        (keep.pk, "medical", "大病救助")
    ]


def test_a_household_without_causes_is_asked_for_them_first(client, org, caseworker_g1a):
    household = HouseholdFactory(union=org.g1a)
    client.force_login(caseworker_g1a)
    response = client.get(url(household))
    assert response.status_code == 200
    assert "请先在档案中登记致困原因。" in response.content.decode()


def test_the_cause_choices_are_the_households_causes(client, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)
    form = client.get(url(household_g1a)).context["formset"].forms[0]
    assert [value for value, _ in form.fields["cause"].choices] == ["", "illness"]
