"""The front door's figures: the statistics page, the annual report's section and sheet,
from one selector (intake.figures)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from intakekit import record

from intake import legal, services
from intake.figures import front_door_figures, monthly
from reports.annual import annual_report
from reports.exports import front_door_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_of_contacts(org, caseworker_g1a, reviewer_c1, caseworker_g2a):
    now = timezone.now()
    on_time = record(caseworker_g1a, worker_unit=org.g1a, received_at=now)
    late = record(
        caseworker_g1a,
        worker_unit=org.g1a,
        channel="letter",
        topic="policy",
        received_at=now - datetime.timedelta(days=20),
    )
    record(caseworker_g1a, topic="complaint", about_unit=org.g1a, channel="walk_in")
    for contact in (on_time, late):
        services.contact_close(
            actor=caseworker_g1a,
            contact=contact,
            outcome="已答复。",
            told_how="电话",
            caller_told=True,
        )
    services.contact_follow_up(actor=caseworker_g1a, contact=on_time, satisfaction="satisfied")
    services.contact_follow_up(actor=caseworker_g1a, contact=late, satisfaction="unsatisfied")
    record(caseworker_g2a, worker_unit=org.g2a)  # the other company: not counted for C1
    station = legal.provider_save(actor=reviewer_c1, unit=org.c1, name="工作站", kind="station")
    case = legal.legal_case_open(
        actor=caseworker_g1a, unit=org.g1a, worker_name="韩志刚", matter="wages", summary="欠薪。"
    )
    legal.legal_case_refer(
        actor=caseworker_g1a, case=case, provider=station, referred_on=timezone.localdate()
    )
    legal.legal_case_conclude(
        actor=caseworker_g1a,
        case=case,
        outcome="mediated",
        amount_recovered=Decimal("18600.00"),
        concluded_on=timezone.localdate(),
    )
    legal.legal_case_open(
        actor=caseworker_g1a, unit=org.g1a, worker_name="冯德明", matter="injury", summary="工伤。"
    )


def test_the_figures_count_channels_topics_rates_and_legal_aid(org, year_of_contacts):
    today = timezone.localdate()
    figures = front_door_figures(org.c1, today.year)
    assert figures.total == 3
    assert dict(figures.by_channel)["12351热线"] == 1
    assert dict(figures.by_channel)["来信"] == 1
    assert dict(figures.by_topic)["投诉"] == 1
    assert (figures.closed, figures.closed_on_time) == (2, 1)
    assert figures.on_time_rate == Decimal("50.0")
    assert (figures.reached, figures.satisfied, figures.satisfaction_rate) == (
        2,
        1,
        Decimal("50.0"),
    )
    assert (figures.legal_opened, figures.legal_concluded) == (2, 1)
    assert dict(figures.legal_by_outcome)["调解结案"] == 1
    assert figures.amount_recovered == Decimal("18600.00")
    assert front_door_figures(org.fed, today.year).total == 4
    assert front_door_figures(org.c1, today.year - 1).total == 0


def test_the_figures_take_the_same_queries_however_many_contacts(
    org, caseworker_g1a, year_of_contacts, django_assert_num_queries
):
    year = timezone.localdate().year
    with CaptureQueriesContext(connection) as few:
        front_door_figures(org.c1, year)
    for _ in range(5):
        record(caseworker_g1a, worker_unit=org.g1a)
    with django_assert_num_queries(len(few.captured_queries)):
        front_door_figures(org.c1, year)


def test_the_statistics_page_and_the_annual_report_show_them(
    client, org, reviewer_c1, year_of_contacts
):
    year = timezone.localdate().year
    client.force_login(reviewer_c1)
    page = client.get(reverse("intake_statistics")).content.decode()
    assert "50.0%" in page and "18,600.00" in page
    month = client.get(reverse("intake_statistics"), {"unit": org.c1.pk, "year": year, "month": 1})
    assert month.status_code == 200
    report = annual_report(year, org.c1)
    rows = dict((label, value) for label, value in front_door_rows(report.front_door))
    assert rows["来电来访来信登记"] == 3
    assert rows["按期办结率（%）"] == 50.0
    annual = client.get(reverse("annual_report"), {"year": year, "unit": org.c1.pk})
    assert "来访接待与法律援助" in annual.content.decode()


MONTH_TABLE = ("total", "closed", "closed_on_time", "overdue_open", "followed_up", "reached")
MONTH_TABLE += ("satisfied", "legal_opened", "legal_concluded", "amount_recovered")


def test_the_month_table_adds_up_as_each_month_alone_in_three_queries(
    org, caseworker_g1a, year_of_contacts, django_assert_num_queries
):
    """A month's row of the table equals that month's own figures; the whole table takes
    three queries whatever the months."""
    year = timezone.localdate().year
    with django_assert_num_queries(3):
        table = monthly(org.c1, year)
    assert [m.start.month for m in table] == list(range(1, timezone.localdate().month + 1))
    for row in table:
        alone = front_door_figures(org.c1, year, row.start.month)
        assert [getattr(row, name) for name in MONTH_TABLE] == [
            getattr(alone, name) for name in MONTH_TABLE
        ], row.start
    assert sum(row.total for row in table) == front_door_figures(org.c1, year).total == 3
    assert len(monthly(org.c1, year - 1)) == 12
