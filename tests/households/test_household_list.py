"""The household roster (台账): scoped, searchable, filterable, masked, and paginated at a
constant cost."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import (
    HardshipCauseFactory,
    HouseholdFactory,
    IncomeItemFactory,
    MemberFactory,
    make_id_number,
)

from hardship.idnumber import mask_id_number, mask_phone

URL = reverse("household_list")


def listed(response) -> set[str]:
    return {h.worker_name for h in response.context["page"].object_list}


@pytest.fixture
def roster(org):
    """Households across the tree with distinct names, IDs, phones and classifications."""
    people = {
        "张建国": dict(
            union=org.g1a,
            in_file=True,
            category="dibao",
            level="extreme",
            phone="13904510001",
            birth=datetime.date(1968, 4, 2),
            cause="illness",
        ),
        "李秀英": dict(
            union=org.g1a,
            category="near_dibao",
            level="hardship",
            phone="13904510002",
            birth=datetime.date(1972, 8, 9),
            sex="F",
            cause="education",
        ),
        "王建军": dict(
            union=org.g1b,
            in_file=True,
            category="accident",
            level="hardship",
            phone="13604510003",
            birth=datetime.date(1980, 1, 5),
            cause="accident",
        ),
        "赵丽": dict(
            union=org.g2a,
            in_file=True,
            category="dibao",
            level="extreme",
            phone="13904510004",
            birth=datetime.date(1968, 11, 30),
            sex="F",
            cause="illness",
        ),
        "孙强": dict(
            union=org.g1a,
            exited=True,
            category="near_dibao",
            level="hardship",
            phone="15004510005",
            birth=datetime.date(1990, 2, 14),
            cause="unemployment",
        ),
    }
    made = {}
    for seq, (name, spec) in enumerate(people.items()):
        spec = dict(spec)
        cause, birth, sex = spec.pop("cause"), spec.pop("birth"), spec.pop("sex", "M")
        household = HouseholdFactory(
            worker_name=name, id_number=make_id_number(birth, seq=seq, sex=sex), **spec
        )
        HardshipCauseFactory(household=household, cause=cause)
        made[name] = household
    return made


def test_caseworker_lists_only_their_own_union(client, roster, caseworker_g1a):
    client.force_login(caseworker_g1a)
    assert listed(client.get(URL)) == {"张建国", "李秀英", "孙强"}


def test_company_reviewer_lists_every_grassroots_union_below(client, roster, reviewer_c1):
    client.force_login(reviewer_c1)
    assert listed(client.get(URL)) == {"张建国", "李秀英", "孙强", "王建军"}


def test_auditor_lists_the_whole_federation(client, roster, auditor_fed):
    client.force_login(auditor_fed)
    assert listed(client.get(URL)) == set(roster)


@pytest.mark.parametrize("role", ["worker_g1a", "admin_fed", "outsider"])
def test_people_without_a_registry_role_list_at_most_their_own_file(client, roster, request, role):
    client.force_login(request.getfixturevalue(role))
    expected = {"刘职工"} if role == "worker_g1a" else set()
    assert listed(client.get(URL)) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("建", {"张建国", "王建军"}),  # part of a name
        ("2301031968", {"张建国"}),  # ID prefix: region and birth year (赵丽 is in C2)
        ("0451000", {"张建国", "李秀英", "王建军", "孙强"}),  # part of a phone
        ("13904510002", {"李秀英"}),  # a whole phone number
        ("无此人", set()),
    ],
)
def test_search_by_name_id_prefix_or_phone(client, roster, reviewer_c1, query, expected):
    client.force_login(reviewer_c1)
    assert listed(client.get(URL, {"q": query})) == expected


def test_search_by_full_id_number_with_a_lower_case_x(client, org, caseworker_g1a):
    household = HouseholdFactory(union=org.g1a, id_number="11010519491231002X")
    client.force_login(caseworker_g1a)
    assert listed(client.get(URL, {"q": "11010519491231002x"})) == {household.worker_name}


@pytest.mark.parametrize("role", ["auditor_fed", "committee_c1"])
def test_roles_that_see_masked_numbers_cannot_probe_them_by_search(client, roster, request, role):
    client.force_login(request.getfixturevalue(role))
    assert listed(client.get(URL, {"q": roster["张建国"].id_number})) == set()
    assert listed(client.get(URL, {"q": "2301031968"})) == set()
    assert listed(client.get(URL, {"q": "13904510001"})) == set()
    assert listed(client.get(URL, {"q": "张建国"})) == {"张建国"}


def test_search_never_reaches_outside_the_scope(client, roster, caseworker_g1a):
    client.force_login(caseworker_g1a)
    assert listed(client.get(URL, {"q": "赵丽"})) == set()
    assert listed(client.get(URL, {"q": roster["赵丽"].id_number})) == set()


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"status": "in_file"}, {"张建国", "王建军", "赵丽"}),
        ({"status": "exited"}, {"孙强"}),
        ({"category": "dibao"}, {"张建国", "赵丽"}),
        ({"level": "hardship"}, {"李秀英", "王建军", "孙强"}),
        ({"cause": "illness"}, {"张建国", "赵丽"}),
        ({"status": "in_file", "category": "dibao", "cause": "illness"}, {"张建国", "赵丽"}),
    ],
)
def test_filters_by_status_category_level_and_cause(client, roster, auditor_fed, filters, expected):
    client.force_login(auditor_fed)
    assert listed(client.get(URL, filters)) == expected


def test_the_union_filter_takes_the_whole_subtree(client, roster, org, auditor_fed):
    client.force_login(auditor_fed)
    assert listed(client.get(URL, {"union": org.c1.pk})) == {"张建国", "李秀英", "王建军", "孙强"}
    assert listed(client.get(URL, {"union": org.g1b.pk})) == {"王建军"}


def test_the_union_filter_offers_only_units_in_scope(client, roster, org, caseworker_g1a):
    client.force_login(caseworker_g1a)
    response = client.get(URL)
    assert list(response.context["form"].fields["union"].queryset) == [org.g1a]
    # Asking for a sibling union does not widen the list.
    assert "赵丽" not in listed(client.get(URL, {"union": org.g2a.pk}))


def test_a_household_with_several_causes_is_listed_once(client, org, auditor_fed):
    household = HouseholdFactory(union=org.g1a)
    HardshipCauseFactory(household=household, cause="illness")
    HardshipCauseFactory(household=household, cause="education")
    client.force_login(auditor_fed)
    response = client.get(URL)
    assert [h.pk for h in response.context["page"].object_list] == [household.pk]


@pytest.mark.parametrize("role", ["caseworker_g1a", "auditor_fed"])
def test_id_and_phone_numbers_are_masked_in_the_list(client, roster, request, role):
    client.force_login(request.getfixturevalue(role))
    html = client.get(URL).content.decode()
    household = roster["张建国"]
    assert household.id_number not in html
    assert household.phone not in html
    assert mask_id_number(household.id_number) in html
    assert mask_phone(household.phone) in html


def test_the_list_is_paginated(client, org, reviewer_c1):
    HouseholdFactory.create_batch(30, union=org.g1a)
    client.force_login(reviewer_c1)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert first.context["page"].paginator.count == 30
    names_first = {h.pk for h in first.context["page"].object_list}
    assert names_first.isdisjoint(h.pk for h in second.context["page"].object_list)


def test_filters_are_kept_in_the_pagination_links(client, org, reviewer_c1):
    HouseholdFactory.create_batch(26, union=org.g1a, category="dibao")
    client.force_login(reviewer_c1)
    html = client.get(URL, {"category": "dibao"}).content.decode()
    assert "?category=dibao&amp;page=2" in html


def test_a_page_costs_the_same_number_of_queries_at_any_size(
    client, org, reviewer_c1, session_clock_still
):
    def make(n):
        for i in range(n):
            household = HouseholdFactory(
                union=org.g1a if i % 2 else org.g1b, in_file=True, responsible_user=reviewer_c1
            )
            MemberFactory(household=household)
            IncomeItemFactory(household=household)
            HardshipCauseFactory(household=household, cause="illness")
            HardshipCauseFactory(household=household, cause="education")

    def queries_for_first_page():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        assert response.status_code == 200
        return len(captured), len(response.context["page"].object_list)

    client.force_login(reviewer_c1)
    make(5)
    small, shown_small = queries_for_first_page()
    make(25)
    large, shown_large = queries_for_first_page()

    assert (shown_small, shown_large) == (5, 25)
    assert small == large


def test_the_list_shows_family_size_per_capita_income_and_the_responsible_person(
    client, org, caseworker_g1a
):
    from households.assessment import assess
    from households.figures import per_capita
    from households.selectors import household_detail

    mine = HouseholdFactory(union=org.g1a, worker_name="甲一", responsible_user=caseworker_g1a)
    MemberFactory(household=mine, monthly_income=Decimal("200.01"))
    IncomeItemFactory(household=mine, monthly_amount=Decimal("0"))
    imported = HouseholdFactory(union=org.g1a, worker_name="乙二", responsible_person="老周")
    IncomeItemFactory(household=imported, monthly_amount=Decimal("1000.00"))
    client.force_login(caseworker_g1a)
    response = client.get(URL)
    rows = {h.worker_name: h for h in response.context["page"].object_list}
    # 200.01 over two people: 100.005, to the fen half up, as the assessment rounds it.
    assert (rows["甲一"].family_size, per_capita(rows["甲一"])) == (2, Decimal("100.01"))
    assert assess(household_detail(caseworker_g1a, mine.pk)).per_capita == Decimal("100.01")
    assert (rows["乙二"].family_size, per_capita(rows["乙二"])) == (1, Decimal("1000.00"))
    html = response.content.decode()
    assert "王干事" in html and "100.01" in html
    assert ">老周</span>" in html  # an imported name not yet matched, shown as such


@pytest.mark.parametrize(
    "query",
    [{"page": "abc"}, {"page": "999"}, {"union": "abc"}, {"union": "99999"}, {"status": "bogus"}],
)
def test_odd_query_strings_still_answer_with_the_list(client, roster, caseworker_g1a, query):
    client.force_login(caseworker_g1a)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert listed(response) <= {"张建国", "李秀英", "孙强"}
