"""The household list's count comes from the composition kept per union where its filters
are what that counts (files in file, by category or level, in a part of the tree), and is
always the number of rows the list holds: kept counts for the unions that did not change,
a count of the files for those that did."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from factories import HouseholdFactory

from households import composition
from households.models import Household
from households.selectors import household_list, household_list_count

IN_FILE = Household.Status.IN_FILE


@pytest.fixture
def files(org):
    made = []
    for union, category, level in (
        (org.g1a, "dibao", "hardship"),
        (org.g1a, "near_dibao", "extreme"),
        (org.g1a, "near_dibao", "hardship"),
        (org.g1b, "near_dibao", "hardship"),
        (org.g2a, "dibao", "extreme"),
    ):
        made.append(HouseholdFactory(in_file=True, union=union, category=category, level=level))
    HouseholdFactory(union=org.g1a, category="near_dibao")  # a draft: not in file
    return made


FILTERS = [
    {"status": IN_FILE},
    {"status": IN_FILE, "category": "near_dibao"},
    {"status": IN_FILE, "level": "extreme"},
]


def reads_the_files(queries) -> bool:
    return any('FROM "households_household"' in query["sql"] for query in queries)


@pytest.mark.parametrize("filters", FILTERS)
def test_the_kept_count_is_the_lists_length_for_every_reader(
    org, files, filters, reviewer_c1, auditor_fed, chair_g1a
):
    for user in (reviewer_c1, auditor_fed, chair_g1a):
        for union in (None, org.g1a, org.c1):
            wanted = {**filters, "union": union} if union else filters
            assert household_list_count(user, wanted) == household_list(user, wanted).count()


def test_kept_counts_are_read_and_a_changed_union_is_counted(org, files, reviewer_c1):
    today = timezone.localdate()
    composition.seen_by(reviewer_c1, today)  # as the statistics page keeps them
    filters = {"status": IN_FILE, "category": "near_dibao"}
    with CaptureQueriesContext(connection) as queries:
        assert household_list_count(reviewer_c1, filters) == 3
    assert not reads_the_files(queries)

    HouseholdFactory(in_file=True, union=org.g1b, category="near_dibao")
    files[1].status, files[1].exited_on = Household.Status.EXITED, timezone.localdate()
    files[1].save()
    with CaptureQueriesContext(connection) as queries:
        assert (
            household_list_count(reviewer_c1, filters)
            == 3
            == (household_list(reviewer_c1, filters).count())
        )
    assert reads_the_files(queries)  # both unions changed: counted


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"status": Household.Status.EXITED},
        {"status": IN_FILE, "category": "dibao", "level": "hardship"},
        {"status": IN_FILE, "q": "张"},
        {"status": IN_FILE, "employment": "zero"},
    ],
)
def test_filters_the_composition_does_not_count_leave_the_list_to_count(
    org, files, reviewer_c1, filters
):
    assert household_list_count(reviewer_c1, filters) is None


def test_a_worker_counts_their_own_file_by_the_list(org, caseworker_g1a):
    from hardship.models import Membership, Role

    Membership.objects.create(user=caseworker_g1a, unit=org.g1a, role=Role.WORKER)
    assert household_list_count(caseworker_g1a, {"status": IN_FILE}) is None


def test_the_list_page_shows_the_kept_count(client, org, files, reviewer_c1):
    composition.seen_by(reviewer_c1, timezone.localdate())
    client.force_login(reviewer_c1)
    response = client.get(reverse("household_list"), {"status": IN_FILE, "level": "hardship"})
    assert response.context["page"].paginator.count == 3
    assert len(response.context["page"].object_list) == 3
