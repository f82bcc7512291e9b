"""Visits (走访慰问) recorded on a household, and the household page's visits."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Visit
from casework.services import visit_record

pytestmark = pytest.mark.django_db


def visit_data(**overrides):
    data = {
        "visited_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "kind": "festival",
        "visitors": "王干事、李主席",
        "notes": "春节走访，了解家庭生活近况。",
        "goods": "大米、食用油",
        "goods_value": "200",
    }
    data.update(overrides)
    return data


def post_visit(client, user, household, **overrides):
    client.force_login(user)
    return client.post(reverse("visit_create", args=[household.pk]), visit_data(**overrides))


def test_caseworker_can_record_a_visit_with_goods_and_their_value(
    client, caseworker_g1a, household
):
    response = post_visit(client, caseworker_g1a, household)
    assert response.status_code == 302
    assert response["Location"].endswith("#visits")
    visit = Visit.objects.get()
    assert visit.household == household
    assert visit.recorded_by == caseworker_g1a
    assert (visit.goods, visit.goods_value) == ("大米、食用油", Decimal("200"))
    assert visit.history.get().history_user == caseworker_g1a


def test_caseworker_can_record_a_visit_without_goods(client, caseworker_g1a, household):
    response = post_visit(
        client, caseworker_g1a, household, kind="hospital", goods="", goods_value=""
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.kind, visit.goods, visit.goods_value) == ("hospital", "", None)


def test_caseworker_cannot_record_a_value_without_goods(client, caseworker_g1a, household):
    response = post_visit(client, caseworker_g1a, household, goods="", goods_value="150")
    assert response.status_code == 200
    assert response.context["form"].errors["goods"]
    assert not Visit.objects.exists()


def test_caseworker_cannot_record_goods_without_a_value(client, caseworker_g1a, household):
    response = post_visit(client, caseworker_g1a, household, goods_value="")
    assert response.status_code == 200
    assert response.context["form"].errors["goods_value"]
    assert not Visit.objects.exists()


def test_caseworker_cannot_record_a_visit_in_the_future(client, caseworker_g1a, household):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post_visit(client, caseworker_g1a, household, visited_on=tomorrow.isoformat())
    assert response.status_code == 200
    assert "不能晚于今天" in str(response.context["form"].errors["visited_on"])
    assert not Visit.objects.exists()


def test_caseworker_can_record_a_visit_today(client, caseworker_g1a, household):
    today = timezone.localdate().isoformat()
    assert post_visit(client, caseworker_g1a, household, visited_on=today).status_code == 302
    assert Visit.objects.get().visited_on == timezone.localdate()


@pytest.mark.parametrize("who", ["committee_c1", "finance_c1", "auditor_fed"])
def test_readers_who_do_not_edit_files_cannot_record_visits(client, request, household, who):
    response = post_visit(client, request.getfixturevalue(who), household)
    assert response.status_code == 403
    assert not Visit.objects.exists()


@pytest.mark.parametrize("who", ["caseworker_g2a", "outsider", "worker_g1a"])
def test_people_outside_the_households_scope_cannot_record_visits(client, request, household, who):
    response = post_visit(client, request.getfixturevalue(who), household)
    assert response.status_code == 404
    assert not Visit.objects.exists()


def test_caseworker_can_see_visits_with_the_must_visit_badge(client, caseworker_g1a, household):
    days = iter(range(1, 10))
    for kind in ("regular", "festival", "hospital", "bereavement", "emergency"):
        visited_on = timezone.localdate() - datetime.timedelta(days=next(days))
        post_visit(
            client,
            caseworker_g1a,
            household,
            kind=kind,
            visited_on=visited_on.isoformat(),
            notes=f"走访-{kind}",
        )
    assert Visit.objects.count() == 5
    response = client.get(household.get_absolute_url())
    visits = list(response.context["visits"])
    assert [v.kind for v in visits] == [
        "regular",
        "festival",
        "hospital",
        "bereavement",
        "emergency",
    ]
    assert {v.kind for v in visits if v.is_mandatory} == {"hospital", "bereavement", "emergency"}
    html = response.content.decode()
    start = html.index('id="visits"')
    section = html[start:]
    rows = section.split("<tr>")[2:7]  # header row, then one row per visit
    for row in rows:
        mandatory = any(label in row for label in ("住院必访", "丧事必访", "突发事件必访"))
        assert ("必访</span>" in row) == mandatory, row
    assert section.count('badge text-bg-warning">必访</span>') == 3


def test_visit_service_takes_plain_data_and_refuses_a_visit_dated_tomorrow(
    caseworker_g1a, household
):
    from django.core.exceptions import ValidationError

    visit = visit_record(
        actor=caseworker_g1a,
        household=household,
        visited_on=timezone.localdate(),
        kind="regular",
        visitors="王干事",
    )
    assert visit.recorded_by == caseworker_g1a and visit.household == household
    with pytest.raises(ValidationError):
        visit_record(
            actor=caseworker_g1a,
            household=household,
            visited_on=timezone.localdate() + datetime.timedelta(days=1),
            kind="regular",
            visitors="王干事",
        )
    assert Visit.objects.filter(household=household).count() == 1


def test_visit_service_refuses_an_actor_who_may_not_edit_the_household(caseworker_g2a, household):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        visit_record(
            actor=caseworker_g2a,
            household=household,
            visited_on=timezone.localdate(),
            kind="regular",
            visitors="王干事",
        )
    assert not Visit.objects.exists()
