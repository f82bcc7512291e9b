"""Visit rounds (走访轮次): who may start one and with what, and the visits recorded in one
(dated within it, of a household under its unit), through the service and the pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from fundkit import make_fund, receive

from casework.models import Visit, VisitRound
from casework.rounds import round_create
from casework.services import visit_record
from funds.models import AidType, LedgerEntry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STARTS = TODAY - datetime.timedelta(days=20)
ENDS = TODAY + datetime.timedelta(days=10)


def new_round(actor, unit, **overrides):
    data = {"name": "春节走访", "starts_on": STARTS, "ends_on": ENDS, **overrides}
    return round_create(actor=actor, unit=unit, **data)


@pytest.fixture
def goods_fund(org, finance_c1):
    fund = make_fund(
        org.c1, name="送温暖资金", year=TODAY.year, aid_types=[AidType.FESTIVAL, AidType.IN_KIND]
    )
    receive(finance_c1, fund, "1000", on=STARTS.replace(month=1, day=2))
    return fund


def test_reviewer_committee_and_chair_start_rounds_at_their_unit_or_below(
    org, reviewer_c1, committee_c1, chair_g1a
):
    at_c1 = new_round(reviewer_c1, org.c1, name="  2027 春节走访 ")
    assert (at_c1.name, at_c1.unit, at_c1.created_by) == ("2027 春节走访", org.c1, reviewer_c1)
    assert at_c1.history.get().history_user == reviewer_c1
    assert new_round(committee_c1, org.g1b).unit == org.g1b
    assert new_round(chair_g1a, org.g1a).unit == org.g1a


@pytest.mark.parametrize(
    ("who", "unit"),
    [
        ("chair_g1a", "c1"),  # above the chair's union
        ("reviewer_c1", "c2"),  # another company union
        ("reviewer_c1", "fed"),
        ("caseworker_g1a", "g1a"),  # records visits, does not organise rounds
        ("finance_c1", "c1"),
        ("auditor_fed", "g1a"),
    ],
)
def test_a_round_outside_the_creators_scope_or_role_is_refused(request, org, who, unit):
    with pytest.raises(PermissionDenied):
        new_round(request.getfixturevalue(who), getattr(org, unit))
    assert not VisitRound.objects.exists()


def test_a_round_cannot_end_before_it_starts(org, reviewer_c1):
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        new_round(reviewer_c1, org.c1, ends_on=STARTS - datetime.timedelta(days=1))
    # The database keeps the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitRound.objects.create(
            name="x", unit=org.c1, starts_on=ENDS, ends_on=STARTS, created_by=reviewer_c1
        )


def test_a_round_fund_must_pay_goods_and_reach_every_household_of_the_round(
    org, reviewer_c1, goods_fund
):
    assert new_round(reviewer_c1, org.g1a, fund=goods_fund).fund == goods_fund
    cash_only = make_fund(org.c1, name="慰问金专户", year=TODAY.year, aid_types=[AidType.FESTIVAL])
    with pytest.raises(ValidationError, match="专款专用"):
        new_round(reviewer_c1, org.c1, fund=cash_only)
    g1a_fund = make_fund(org.g1a, name="车间物资", year=TODAY.year, aid_types=[AidType.IN_KIND])
    with pytest.raises(ValidationError, match="专款专用"):
        new_round(reviewer_c1, org.c1, fund=g1a_fund)  # G1b's households are not G1a's


def test_create_page_saves_a_round_and_refuses_bad_dates_with_a_message(
    client, org, reviewer_c1, caseworker_g1a
):
    client.force_login(reviewer_c1)
    data = {"name": "2027 春节走访", "unit": org.c1.pk, "starts_on": ENDS, "ends_on": STARTS}
    response = client.post(reverse("round_create"), data)
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    response = client.post(reverse("round_create"), {**data, "starts_on": STARTS, "ends_on": ENDS})
    visit_round = VisitRound.objects.get()
    assert response["Location"] == visit_round.get_absolute_url()
    # A unit outside the creator's scope is not on offer.
    response = client.post(reverse("round_create"), {**data, "unit": org.c2.pk})
    assert "unit" in response.context["form"].errors
    client.force_login(caseworker_g1a)
    assert client.get(reverse("round_create")).status_code == 403


def record(actor, household, visit_round, day=None, **goods):
    return visit_record(
        actor=actor,
        household=household,
        visited_on=day or TODAY - datetime.timedelta(days=3),
        kind=Visit.Kind.FESTIVAL,
        visitors="王干事",
        round=visit_round,
        **goods,
    )


def test_a_visit_in_a_round_must_be_dated_within_it(org, reviewer_c1, caseworker_g1a, household):
    visit_round = new_round(reviewer_c1, org.c1)
    assert record(caseworker_g1a, household, visit_round).round == visit_round
    for day in (STARTS - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError):
            record(caseworker_g1a, household, visit_round, day=day)
    finished = new_round(reviewer_c1, org.c1, starts_on=STARTS, ends_on=STARTS)
    with pytest.raises(ValidationError, match="起止日期") as refused:
        record(caseworker_g1a, household, finished)
    assert "visited_on" in refused.value.message_dict
    assert Visit.objects.count() == 1


def test_a_visit_of_a_household_outside_the_rounds_unit_is_refused(
    org, reviewer_c1, chair_g1a, caseworker_g1a, household
):
    g1b_round = new_round(reviewer_c1, org.g1b)
    with pytest.raises(ValidationError, match="不属于走访轮次") as refused:
        record(caseworker_g1a, household, g1b_round)
    assert "round" in refused.value.message_dict
    assert not Visit.objects.exists()


def test_visit_form_offers_rounds_under_way_over_the_household(
    client, org, reviewer_c1, caseworker_g1a, household
):
    c1 = new_round(reviewer_c1, org.c1, name="C1")
    new_round(reviewer_c1, org.g1b, name="G1b")  # not the household's union
    new_round(reviewer_c1, org.c1, name="旧", starts_on=STARTS, ends_on=STARTS)  # over
    client.force_login(caseworker_g1a)
    form = client.get(reverse("visit_create", args=[household.pk])).context["form"]
    assert list(form.fields["round"].queryset) == [c1]
    assert form.initial.get("round") is None


def test_visit_started_from_a_round_is_a_festival_visit_in_it_with_the_rounds_fund(
    client, org, reviewer_c1, caseworker_g1a, household, goods_fund
):
    visit_round = new_round(reviewer_c1, org.c1, fund=goods_fund)
    client.force_login(caseworker_g1a)
    url = reverse("visit_create", args=[household.pk]) + f"?round={visit_round.pk}"
    form = client.get(url).context["form"]
    assert form.initial["round"] == visit_round
    assert (form.initial["kind"], form.initial["fund"]) == (Visit.Kind.FESTIVAL, goods_fund.pk)

    response = client.post(
        url,
        {
            "visited_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
            "kind": "festival",
            "round": visit_round.pk,
            "visitors": "王干事",
            "fund": goods_fund.pk,
            "goods": "大米",
            "goods_quantity": "25",
            "goods_unit": "公斤",
            "goods_value": "150",
        },
    )
    assert response["Location"] == visit_round.get_absolute_url() + "#left"
    visit = Visit.objects.get()
    assert visit.round == visit_round
    assert LedgerEntry.objects.get(visit=visit).amount == Decimal("-150")


def test_a_late_entry_for_a_finished_round_is_dated_within_it(
    client, org, reviewer_c1, caseworker_g1a, household
):
    last_day = TODAY - datetime.timedelta(days=5)
    finished = new_round(reviewer_c1, org.c1, starts_on=STARTS, ends_on=last_day)
    client.force_login(caseworker_g1a)
    url = reverse("visit_create", args=[household.pk]) + f"?round={finished.pk}"
    form = client.get(url).context["form"]
    assert form.initial["visited_on"] == last_day
    assert finished in form.fields["round"].queryset
    data = {"visited_on": TODAY.isoformat(), "kind": "festival", "round": finished.pk}
    response = client.post(url, {**data, "visitors": "王干事"})
    assert response.status_code == 200
    assert "起止日期" in str(response.context["form"].errors["visited_on"])
    assert not Visit.objects.exists()
