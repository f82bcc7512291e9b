"""The results pages as their users meet them: the sheet of a unit in scope (another
company's is a 404), setting targets (bad input re-rendered, nothing saved), drawing a
sample and recording answers through the pages."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from evalkit import YEAR, day, fund_of, pay, receive
from factories import HouseholdFactory

from evaluation.models import Survey, SurveyItem, Target

pytestmark = pytest.mark.django_db

TARGET = {
    "planned_allocation": "100000",
    "fund_arrival": "100",
    "spending": "90",
    "visit_coverage": "100",
    "intake_on_time": "95",
    "duties_on_time": "90",
    "person_times": "150",
    "serious_share": "20",
    "exits": "6",
    "satisfaction": "95",
}


def sheet_url(unit, year=YEAR):
    return f"{reverse('evaluation_sheet', args=[unit.pk])}?year={year}"


def targets_url(unit, year=YEAR):
    return f"{reverse('target_edit', args=[unit.pk])}?year={year}"


@pytest.mark.parametrize(
    "who, status",
    [
        ("reviewer_c1", 200),
        ("committee_c1", 200),
        ("finance_c1", 200),
        ("auditor_fed", 200),
        ("caseworker_g1a", 404),  # reads G1a, not the company
        ("caseworker_g2a", 404),  # another company
        ("admin_fed", 404),
        ("worker_g1a", 404),
    ],
)
def test_the_company_sheet_is_read_in_scope_only(client, org, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(sheet_url(org.c1)).status_code == status


def test_a_caseworker_reads_their_own_union_sheet(client, org, caseworker_g1a):
    client.force_login(caseworker_g1a)
    response = client.get(sheet_url(org.g1a))
    assert response.status_code == 200
    assert "计分规则" in response.text
    assert not response.context["may_set_targets"]


def test_the_committee_sets_targets_and_the_sheet_scores_them(client, org, committee_c1):
    client.force_login(committee_c1)
    assert client.get(targets_url(org.c1)).status_code == 200
    response = client.post(targets_url(org.c1), TARGET)
    assert response.status_code == 302
    target = Target.objects.get(unit=org.c1, year=YEAR)
    assert (target.planned_allocation, target.person_times) == (Decimal("100000"), 150)
    assert target.set_by == committee_c1
    assert target.history.first().history_user == committee_c1
    # Changing them keeps one row for the unit and year.
    client.post(targets_url(org.c1), TARGET | {"exits": "8"})
    assert Target.objects.get(unit=org.c1, year=YEAR).exits == 8
    page = client.get(sheet_url(org.c1))
    assert page.context["sheet"].target.exits == 8


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("spending", "120", "100"),
        ("person_times", "-1", "0"),
        ("planned_allocation", "0", "0.01"),
        ("satisfaction", "", "必填"),
    ],
)
def test_bad_targets_are_refused_with_a_message(client, org, reviewer_c1, field, value, message):
    client.force_login(reviewer_c1)
    response = client.post(targets_url(org.c1), TARGET | {field: value})
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    "who, status", [("finance_c1", 403), ("auditor_fed", 403), ("caseworker_g2a", 404)]
)
def test_only_leaders_set_targets(client, org, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.post(targets_url(org.c1), TARGET).status_code == status
    assert not Target.objects.exists()


@pytest.fixture
def helped(org, finance_c1):
    fund = fund_of(org.c1)
    receive(finance_c1, fund, "10000", day(1, 5))
    homes = [HouseholdFactory(in_file=True, union=org.g1a) for _ in range(3)]
    pay(finance_c1, fund, [(h, "300") for h in homes], day(2))
    return homes


def test_the_reviewer_draws_a_sample_and_the_caseworker_records_answers(
    client, org, helped, reviewer_c1, caseworker_g1a
):
    client.force_login(reviewer_c1)
    response = client.post(
        reverse("survey_create"), {"unit": org.c1.pk, "year": YEAR, "size": 2, "seed": 99}
    )
    survey = Survey.objects.get()
    assert response.status_code == 302 and response.url == survey.get_absolute_url()
    assert survey.seed == 99 and survey.items.count() == 2

    client.force_login(caseworker_g1a)
    page = client.get(survey.get_absolute_url())
    assert page.status_code == 200
    item = survey.items.order_by("pk").first()
    assert item.pk in page.context["recordable"]
    url = reverse("survey_answer", args=[item.pk])
    response = client.post(url, {"channel": "phone", "answer": "basic", "comment": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.answer == SurveyItem.Answer.BASIC and item.recorded_by == caseworker_g1a
    page = client.get(survey.get_absolute_url())
    assert page.context["rate"] == Decimal("100.00")
    assert item.pk not in page.context["recordable"]
    # The answer reaches the company's sheet.
    client.force_login(reviewer_c1)
    sheet = client.get(sheet_url(org.c1)).context["sheet"]
    assert {line.indicator: line.measure.actual for line in sheet.lines}["satisfaction"] == 100


def test_a_bad_sample_size_re_renders_the_form(client, org, helped, reviewer_c1):
    client.force_login(reviewer_c1)
    response = client.post(reverse("survey_create"), {"unit": org.c1.pk, "year": YEAR, "size": 5})
    assert response.status_code == 400
    assert "不能超过" in str(response.context["form"].errors["size"])
    assert not Survey.objects.exists()


def test_an_empty_answer_is_refused_with_a_message(client, org, helped, reviewer_c1, chair_g1a):
    client.force_login(reviewer_c1)
    client.post(reverse("survey_create"), {"unit": org.c1.pk, "year": YEAR, "size": 1, "seed": 1})
    item = SurveyItem.objects.get()
    client.force_login(chair_g1a)
    response = client.post(reverse("survey_answer", args=[item.pk]), {}, follow=True)
    assert "回访方式" in response.text or "这个字段是必填项" in response.text
    item.refresh_from_db()
    assert not item.is_answered


def test_another_company_cannot_see_the_survey(client, org, helped, reviewer_c1, caseworker_g2a):
    client.force_login(reviewer_c1)
    client.post(reverse("survey_create"), {"unit": org.c1.pk, "year": YEAR, "size": 1, "seed": 1})
    survey = Survey.objects.get()
    client.force_login(caseworker_g2a)
    assert client.get(survey.get_absolute_url()).status_code == 404
    item = survey.items.get()
    assert (
        client.post(
            reverse("survey_answer", args=[item.pk]), {"channel": "phone", "answer": "satisfied"}
        ).status_code
        == 404
    )
    assert survey.pk not in [s.pk for s in client.get(reverse("survey_list")).context["page"]]


def test_the_sheet_page_is_a_fixed_number_of_queries(
    client, org, helped, reviewer_c1, finance_c1, session_clock_still
):
    """More households paid do not make more queries (the figures are aggregates)."""
    client.force_login(reviewer_c1)
    client.get(sheet_url(org.c1))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(sheet_url(org.c1)).status_code == 200
        return len(queries)

    before = count()
    more = [HouseholdFactory(in_file=True, union=org.g1b) for _ in range(4)]
    fund = helped[0].payments.first().fund
    pay(finance_c1, fund, [(h, "100") for h in more], day(3))
    assert count() == before


def test_the_index_lists_the_units_read_with_their_targets_and_surveys(
    client, org, helped, committee_c1, reviewer_c1, caseworker_g1a
):
    client.force_login(committee_c1)
    client.post(targets_url(org.c1), TARGET)
    client.force_login(reviewer_c1)
    client.post(reverse("survey_create"), {"unit": org.c1.pk, "year": YEAR, "size": 1, "seed": 1})
    response = client.get(reverse("evaluation_index"), {"year": YEAR})
    units = {unit.code: unit for unit in response.context["page"]}
    assert set(units) == {"C1", "G1a", "G1b"}
    assert units["C1"].has_target and not units["G1a"].has_target
    assert units["C1"].survey_id == Survey.objects.get().pk
    assert sheet_url(org.c1) in response.text
    # Another year: nothing set.
    other = client.get(reverse("evaluation_index"), {"year": YEAR - 1}).context["page"]
    assert not any(unit.has_target or unit.survey_id for unit in other)
    client.force_login(caseworker_g1a)
    listed = client.get(reverse("evaluation_index"), {"year": YEAR}).context["page"]
    assert [unit.code for unit in listed] == ["G1a"]
