"""Query-count guards for appeals: the appeal list, the inbox with appeals to decide, the
household page with its appeals and an appeal's page cost the same number of queries
however many appeals there are (one query per list, not one per row)."""

import pytest
from appealkit import decide, lodge
from casekit import act, file
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def appeals_of(staff, household_g1a, reviewer2_c1):
    """appeals_of(n): n more appeals on household_g1a's rejected applications, every other
    one dismissed, the rest waiting for a company reviewer."""

    def make(n):
        made = []
        for index in range(n):
            application = file(staff["caseworker"], household_g1a)
            act(staff["chair"], application, "reject", "不符合条件。")
            appeal = lodge(staff["caseworker"], application)
            if index % 2:
                decide(reviewer2_c1, appeal, uphold=False, comment="维持。")
            made.append(appeal)
        return made

    return make


def test_the_appeal_pages_cost_the_same_for_2_as_for_8(
    client, appeals_of, reviewer_c1, household_g1a, session_clock_still
):
    first = appeals_of(2)[0]
    client.force_login(reviewer_c1)
    urls = [
        reverse("appeal_list"),
        reverse("inbox"),
        household_g1a.get_absolute_url(),
        first.get_absolute_url(),
        first.application.get_absolute_url(),
    ]
    small = [queries_for(client, url) for url in urls]
    appeals_of(6)
    response = client.get(reverse("appeal_list"))
    assert len(response.context["page"].object_list) == 8
    assert len(response.context["to_decide"]) == 4
    assert [queries_for(client, url) for url in urls] == small
