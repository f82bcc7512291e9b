"""Query-count guards: the application page, the inbox and the navigation's inbox count cost
the same number of queries however much there is to show (one query per list, not one per
row). The session clock is held still: the idle timeout's session write would otherwise
add a query whenever the second changes."""

import pytest
from casekit import act, file, investigate
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import HardshipCauseFactory, HouseholdFactory
from fundkit import ACCOUNT, make_fund, new_plan, open_window, receive, submit

from cases import services
from cases.models import Application

pytestmark = pytest.mark.django_db

State = Application.State


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def in_file(union):
    household = HouseholdFactory(in_file=True, union=union)
    HardshipCauseFactory(household=household, cause="illness")
    return household


def test_the_application_page_costs_the_same_queries_with_more_decisions_and_visits(
    client, app_at, staff, session_clock_still
):
    application = app_at(State.GRASSROOTS_APPROVED)
    investigate(staff["reviewer"], application)
    url = reverse("application_detail", args=[application.pk])
    client.force_login(staff["reviewer"])
    small = queries_for(client, url)

    # Returned to the filer and approved again, and investigated four more times: more
    # decisions and investigations on the same page.
    act(staff["reviewer"], application, "return", comment="请补充收入证明。")
    application.refresh_from_db()
    services.application_resubmit(
        actor=staff["caseworker"],
        application=application,
        reason="已补充近三个月收入证明。",
        amount=application.amount,
    )
    act(staff["chair"], application, comment="同意。")
    for _ in range(4):
        investigate(staff["reviewer"], application)
    application.refresh_from_db()
    assert application.state == State.GRASSROOTS_APPROVED
    assert application.decisions.count() >= 3 and application.investigations.count() == 5

    assert queries_for(client, url) == small


def test_the_inbox_and_its_count_in_the_navigation_cost_the_same_for_3_as_for_20(
    client, org, staff, session_clock_still
):
    def waiting(n):
        for _ in range(n):
            file(staff["caseworker"], in_file(org.g1a))

    client.force_login(staff["chair"])
    waiting(3)
    small = queries_for(client, reverse("inbox"))
    small_elsewhere = queries_for(client, reverse("notice_list"))
    waiting(17)
    response = client.get(reverse("inbox"))
    assert len(response.context["page"].object_list) == 20
    assert response.context["nav_inbox_count"] == 20

    assert queries_for(client, reverse("inbox")) == small
    assert queries_for(client, reverse("notice_list")) == small_elsewhere


def test_the_committees_inbox_costs_the_same_with_more_plans_and_applications_to_decide(
    client, org, app_at, staff, finance_c1, session_clock_still
):
    open_window()
    fund = make_fund(org.c1)
    receive(finance_c1, fund, "50000")
    for union in (org.g1a, org.g1b):
        HouseholdFactory(in_file=True, union=union, bank_account=ACCOUNT)

    def to_decide(n):
        for _ in range(n):
            submit(new_plan(finance_c1, fund, org.c1))
            app_at(State.COMPANY_VERIFIED, household=in_file(org.g1a))

    client.force_login(staff["committee"])
    to_decide(1)
    small = queries_for(client, reverse("inbox"))
    to_decide(4)
    response = client.get(reverse("inbox"))
    assert len(response.context["plans"]) == 5
    assert len(response.context["page"].object_list) == 5

    assert queries_for(client, reverse("inbox")) == small
