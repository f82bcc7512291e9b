"""Managed aid plans (一户一计划、一户一措施): measure owners and target dates, the exit
timetable (脱困时间表), a measure's progress and the plan's problems."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from factories import HardshipCauseFactory, HouseholdFactory, person
from formdata import aid_plan_data

from hardship.models import Role
from households import plans, services
from households.models import AidMeasure, Household

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def measure(household, **fields):
    values = {"cause": "illness", "measure": "medical", "detail": "住院救助"}
    values.update(fields)
    return AidMeasure.objects.create(household=household, **values)


def progress(actor, m, status, note="", on=TODAY):
    return services.measure_progress(actor=actor, measure=m, status=status, on=on, note=note)


def plan_post(client, household, rows, *, initial=0, exit_on=""):
    data = aid_plan_data(rows, initial=initial)
    data["plan-exit_target_on"] = exit_on
    return client.post(reverse("aid_plan_edit", args=[household.pk]), data)


# A measure's progress -------------------------------------------------------------------------


def test_a_measure_goes_from_planned_through_under_way_to_done_with_its_outcome(
    household_g1a, caseworker_g1a
):
    m = measure(household_g1a)
    progress(caseworker_g1a, m, "under_way")
    m.refresh_from_db()
    assert (m.status, m.completed_on) == ("under_way", None)

    progress(caseworker_g1a, m, "done", note="医疗救助 3000 元已发放", on=TODAY - DAY)
    m.refresh_from_db()
    assert (m.status, m.completed_on, m.completion_note) == (
        "done",
        TODAY - DAY,
        "医疗救助 3000 元已发放",
    )
    last = m.history.first()
    assert last.history_user == caseworker_g1a
    assert last.history_change_reason == "医疗救助 3000 元已发放"


def test_a_planned_measure_may_fail_at_once_with_the_reason(household_g1a, chair_g1a):
    m = measure(household_g1a)
    progress(chair_g1a, m, "failed", note="本人放弃治疗")
    m.refresh_from_db()
    assert (m.status, m.completed_on, m.completion_note) == ("failed", TODAY, "本人放弃治疗")


@pytest.mark.parametrize("status", ["done", "failed"])
def test_closing_a_measure_needs_an_outcome_note(household_g1a, caseworker_g1a, status):
    m = measure(household_g1a)
    with pytest.raises(ValidationError) as info:
        progress(caseworker_g1a, m, status, note="   ")
    assert info.value.message_dict == {"note": ["完成或未达成须填写结果说明。"]}
    m.refresh_from_db()
    assert (m.status, m.completed_on) == ("planned", None)


@pytest.mark.parametrize("status", ["under_way", "done", "failed"])
def test_a_closed_measure_cannot_be_reopened(household_g1a, caseworker_g1a, status):
    m = measure(household_g1a)
    progress(caseworker_g1a, m, "done", note="已落实")
    with pytest.raises(ValidationError, match="不能重新打开"):
        progress(caseworker_g1a, m, status, note="再来一次")
    m.refresh_from_db()
    assert (m.status, m.completion_note) == ("done", "已落实")


def test_a_measure_cannot_go_back_to_planned_or_stay_where_it_is(household_g1a, caseworker_g1a):
    m = measure(household_g1a, status="under_way")
    with pytest.raises(ValidationError):
        progress(caseworker_g1a, m, "planned")
    with pytest.raises(ValidationError, match="已是"):
        progress(caseworker_g1a, m, "under_way")


def test_a_measure_cannot_close_on_a_future_date(household_g1a, caseworker_g1a):
    m = measure(household_g1a)
    with pytest.raises(ValidationError) as info:
        progress(caseworker_g1a, m, "done", note="已落实", on=TODAY + DAY)
    assert "on" in info.value.message_dict


@pytest.mark.parametrize("who", ["finance_c1", "committee_c1", "caseworker_g2a"])
def test_only_editors_of_the_file_move_a_measure_on(request, household_g1a, who):
    m = measure(household_g1a)
    with pytest.raises(PermissionDenied):
        progress(request.getfixturevalue(who), m, "under_way")


def test_measure_complete_follows_the_same_rule(household_g1a, caseworker_g1a):
    m = measure(household_g1a, status="under_way")
    services.measure_complete(actor=caseworker_g1a, measure=m, on=TODAY, note="已安置就业")
    m.refresh_from_db()
    assert (m.status, m.completed_on) == ("done", TODAY)
    with pytest.raises(ValidationError, match="已于"):
        services.measure_complete(actor=caseworker_g1a, measure=m, on=TODAY, note="又一次")


def test_the_progress_form_on_the_file_moves_a_measure_on(client, household_g1a, caseworker_g1a):
    m = measure(household_g1a)
    client.force_login(caseworker_g1a)
    url = reverse("measure_progress", args=[household_g1a.pk])

    response = client.post(url, {"measure": m.pk, "status": "done", "on": f"{TODAY}", "note": ""})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.status == "planned"  # refused: no outcome
    page = client.get(response["Location"]).content.decode()
    assert "完成或未达成须填写结果说明。" in page

    client.post(url, {"measure": m.pk, "status": "done", "on": f"{TODAY}", "note": "已发放"})
    m.refresh_from_db()
    assert (m.status, m.completion_note) == ("done", "已发放")


def test_the_progress_form_reaches_only_the_households_own_measures(
    client, household_g1a, household_g2a, caseworker_g1a
):
    other = measure(household_g2a)
    client.force_login(caseworker_g1a)
    response = client.post(
        reverse("measure_progress", args=[household_g1a.pk]),
        {"measure": other.pk, "status": "under_way", "on": f"{TODAY}"},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == "planned"


# Owners, target dates and the exit timetable on the plan page --------------------------------


def test_measure_owners_are_the_unions_staff_at_the_union_or_above(
    org, caseworker_g1a, chair_g1a, reviewer_c1, committee_c1, finance_c1, caseworker_g2a
):
    auditor = person("auditor_c1", "审计", (Role.AUDITOR, org.c1))
    gone = person("gone_g1a", "离职干事", (Role.CASEWORKER, org.g1a))
    gone.is_active = False
    gone.save()
    below = person("caseworker_g1b", "下属", (Role.CASEWORKER, org.g1b))
    owners = set(plans.measure_owner_choices(org.g1a))
    assert owners == {caseworker_g1a, chair_g1a, reviewer_c1, committee_c1}
    assert not {finance_c1, caseworker_g2a, auditor, gone, below} & owners


def test_the_plan_saves_owner_target_date_and_exit_date(
    client, household_g1a, caseworker_g1a, reviewer_c1
):
    client.force_login(caseworker_g1a)
    target = TODAY + datetime.timedelta(days=60)
    response = plan_post(
        client,
        household_g1a,
        [
            {
                "cause": "illness",
                "measure": "medical",
                "detail": "大病救助",
                "owner": reviewer_c1.pk,
                "target_on": f"{target}",
            }
        ],
        exit_on=f"{TODAY + datetime.timedelta(days=365)}",
    )
    assert response.status_code == 302
    m = household_g1a.measures.get()
    assert (m.owner, m.target_on, m.status) == (reviewer_c1, target, "planned")
    household_g1a.refresh_from_db()
    assert household_g1a.exit_target_on == TODAY + datetime.timedelta(days=365)


def test_an_owner_outside_the_unit_is_refused_with_a_clear_message(
    client, household_g1a, caseworker_g1a, caseworker_g2a
):
    client.force_login(caseworker_g1a)
    response = plan_post(
        client,
        household_g1a,
        [{"cause": "illness", "measure": "medical", "detail": "", "owner": caseworker_g2a.pk}],
    )
    assert response.status_code == 200
    assert "措施负责人须是本单位或上级工会" in response.context["formset"].errors[0]["owner"][0]
    assert not AidMeasure.objects.exists()


def test_the_service_refuses_an_owner_outside_the_unit(household_g1a, caseworker_g1a, finance_c1):
    row = {"cause": "illness", "measure": "medical", "detail": "", "owner": finance_c1}
    with pytest.raises(ValidationError) as info:
        services.aid_plan_save(actor=caseworker_g1a, household=household_g1a, measures=[row])
    assert "措施负责人须是本单位或上级工会" in info.value.message_dict["owner"][0]
    assert not AidMeasure.objects.exists()


def test_a_new_measure_cannot_have_a_past_target_date_but_an_existing_one_keeps_its_own(
    client, household_g1a, caseworker_g1a
):
    past = TODAY - datetime.timedelta(days=10)
    client.force_login(caseworker_g1a)
    response = plan_post(
        client,
        household_g1a,
        [{"cause": "illness", "measure": "medical", "detail": "", "target_on": f"{past}"}],
    )
    assert response.context["formset"].errors[0] == {
        "target_on": ["新增措施的计划完成日期不能早于今天。"]
    }
    kept = measure(household_g1a, target_on=past)
    response = plan_post(
        client,
        household_g1a,
        [
            {
                "id": kept.pk,
                "cause": "illness",
                "measure": "medical",
                "detail": "改为大病救助",
                "target_on": f"{past}",
            }
        ],
        initial=1,
    )
    assert response.status_code == 302
    kept.refresh_from_db()
    assert (kept.detail, kept.target_on) == ("改为大病救助", past)


def test_a_past_exit_date_is_refused(client, household_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)
    response = plan_post(client, household_g1a, [], exit_on=f"{TODAY - DAY}")
    assert response.status_code == 200
    assert "计划脱困日期不能早于今天。" in response.content.decode()
    household_g1a.refresh_from_db()
    assert household_g1a.exit_target_on is None


def test_a_closed_measure_stays_as_it_closed(client, household_g1a, caseworker_g1a):
    done = measure(household_g1a, status="done", completed_on=TODAY, completion_note="已发放")
    client.force_login(caseworker_g1a)
    row = {"id": done.pk, "cause": "illness", "measure": "living", "detail": "改掉"}
    # Its fields are disabled on the page: a changed value is ignored.
    assert plan_post(client, household_g1a, [row], initial=1).status_code == 302
    done.refresh_from_db()
    assert (done.measure, done.detail) == ("medical", "住院救助")
    # Deleting it is refused.
    response = plan_post(client, household_g1a, [{**row, "DELETE": "on"}], initial=1)
    assert response.status_code == 200
    assert "已结束" in response.content.decode()
    assert AidMeasure.objects.filter(pk=done.pk).exists()
    # And so is changing it through the service.
    with pytest.raises(ValidationError, match="不能再修改或删除"):
        services.aid_plan_save(
            actor=caseworker_g1a,
            household=household_g1a,
            measures=[{"id": done, "cause": "illness", "measure": "living", "detail": ""}],
        )


# The plan's problems ------------------------------------------------------------------------


def test_the_plans_problems_are_found_on_the_file_and_in_the_lists(org, caseworker_g1a):
    household = HouseholdFactory(in_file=True, union=org.g1a, exit_target_on=TODAY - DAY)
    HardshipCauseFactory(household=household, cause="illness")
    HardshipCauseFactory(household=household, cause="education")
    overdue = measure(household, target_on=TODAY - DAY, status="under_way")
    measure(household, target_on=TODAY)  # due today: not overdue yet

    problems = plans.plan_problems(Household.objects.get(pk=household.pk), TODAY)
    assert [p.code for p in problems] == ["no_measure", "overdue", "exit_passed"]
    assert "因学" in problems[0].message
    households = Household.objects.all()
    assert [c.cause for c in plans.causes_without_measure(households)] == ["education"]
    assert list(plans.measures_overdue(households, TODAY)) == [overdue]
    assert list(plans.exit_target_passed(households, TODAY)) == [household]


def test_closed_measures_and_a_covered_plan_raise_no_problem(org):
    household = HouseholdFactory(in_file=True, union=org.g1a, exit_target_on=TODAY)
    HardshipCauseFactory(household=household, cause="illness")
    late = TODAY - datetime.timedelta(days=30)
    measure(household, target_on=late, status="done", completed_on=TODAY, completion_note="好")
    measure(household, target_on=late, status="failed", completed_on=TODAY, completion_note="否")

    assert plans.plan_problems(household, TODAY) == []
    households = Household.objects.all()
    assert not plans.causes_without_measure(households).exists()
    assert not plans.measures_overdue(households, TODAY).exists()
    assert not plans.exit_target_passed(households, TODAY).exists()


def test_a_file_no_longer_in_file_has_no_plan_problems(org):
    household = HouseholdFactory(
        union=org.g1a,
        status=Household.Status.EXITED,
        exited_on=TODAY,
        established_on=TODAY - 400 * DAY,
        exit_target_on=TODAY - DAY,
    )
    HardshipCauseFactory(household=household, cause="illness")
    assert plans.plan_problems(household, TODAY) == []
    assert not plans.exit_target_passed(Household.objects.all(), TODAY).exists()


def test_the_file_shows_the_plan_and_its_problems_to_the_union(
    client, household_g1a, caseworker_g1a, chair_g1a, worker_g1a
):
    household_g1a.exit_target_on = TODAY - DAY
    household_g1a.save()
    measure(household_g1a, owner=chair_g1a, target_on=TODAY - DAY, status="under_way")
    client.force_login(caseworker_g1a)
    page = client.get(household_g1a.get_absolute_url()).content.decode()
    assert 'id="plan-problems"' in page
    assert "已逾期 1 天" in page and "计划脱困日期" in page
    assert "李主席" in page and "实施中" in page
    assert reverse("measure_progress", args=[household_g1a.pk]) in page
