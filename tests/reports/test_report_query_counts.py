"""Query-count guard on the statistics page: each table and chart is one aggregate query
over the scope, so more households, funds and payments cost no more queries. The session
clock is held still: the idle timeout's session write would otherwise add a query whenever
the second changes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import MemberFactory
from reportkit import YEAR, household, make_fund, pay, receive, reverse_entry

from funds.models import AidType, Fund

pytestmark = pytest.mark.django_db

CAUSES = ["illness", "disability", "education", "disaster", "unemployment"]
STAGES = ["primary", "middle", "high", "university", "none"]
HEALTH = ["serious", "chronic", "healthy"]


def queries_for(client, url, data) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["finance_c1", "auditor_fed"])
def test_the_statistics_page_costs_the_same_queries_with_ten_times_the_households(
    client, request, org, ledger, finance_c1, who, session_clock_still
):
    url, data = reverse("statistics"), {"year": YEAR}
    client.force_login(request.getfixturevalue(who))
    small = queries_for(client, url, data)

    more = [
        household(union, f"职工{n}", CAUSES[n % len(CAUSES)], CAUSES[(n + 2) % len(CAUSES)])
        for n, union in enumerate([org.g1a, org.g1b] * 15)
    ]
    # Every breakdown has something to count: members at each school stage and in each
    # health, model workers of each title, each kind of housing.
    for n, h in enumerate(more):
        MemberFactory(household=h, school_stage=STAGES[n % 5], health=HEALTH[n % 3])
        MemberFactory(household=h, employment="unemployed", id_number="")
        h.housing = ["own", "rent", "public_rental"][n % 3]
        h.is_model_worker = n % 4 == 0
        h.model_worker_title = ["national", "city", ""][n % 3] if h.is_model_worker else ""
        h.save()
    fund = make_fund(org.c1, "第一公司社会捐助", Fund.Source.DONATION)
    receive(finance_c1, fund, "50000", datetime.date(YEAR, 1, 5))
    for month in (2, 5, 8, 11):
        paid = pay(
            finance_c1,
            fund,
            [(h, "300") for h in more],
            AidType.FESTIVAL,
            datetime.date(YEAR, month, 1),
        )
    reverse_entry(finance_c1, paid[0], datetime.date(YEAR, 11, 2))

    assert queries_for(client, url, data) == small
