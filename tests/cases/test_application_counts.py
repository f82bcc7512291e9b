"""The applications' counts kept per union, state and kind by database triggers
(cases.ApplicationCount): the list's count read from them equals the rows the list shows,
for every kind of user and filter, after any write; a write behind the triggers' back is
named by verify_integrity and put right by rebuild_application_counts."""

import datetime

import pytest
from casekit import file
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from factories import HouseholdFactory

from audit.consistency import application_counts
from cases import counts
from cases.access import applications_visible_to
from cases.models import Application, ApplicationCount
from cases.selectors import application_list
from households.models import Household

pytestmark = pytest.mark.django_db

FILTERS = [
    {},
    {"state": "submitted"},
    {"kind": "medical"},
    {"state": "returned", "kind": "emergency"},
]


@pytest.fixture
def applications(org, caseworker_g1a, caseworker_g2a, worker_g1a, worker_household):
    homes = {
        "g1a": HouseholdFactory(in_file=True, union=org.g1a),
        "g1b": HouseholdFactory(in_file=True, union=org.g1b),
        "g2a": HouseholdFactory(in_file=True, union=org.g2a),
    }
    file(caseworker_g1a, homes["g1a"])
    file(caseworker_g1a, homes["g1a"], kind="medical", self_paid="3000")
    file(caseworker_g2a, homes["g2a"])
    file(worker_g1a, worker_household)  # filed by the worker about their own file
    return homes


def assert_counts_hold(*users):
    for user in users:
        for filters in FILTERS:
            listed = application_list(user, filters).count()
            assert counts.list_count(user, filters) == listed, (user.username, filters)
    assert counts.differences() == []


@pytest.fixture
def readers(auditor_fed, reviewer_c1, caseworker_g1a, caseworker_g2a, worker_g1a, outsider):
    return [auditor_fed, reviewer_c1, caseworker_g1a, caseworker_g2a, worker_g1a, outsider]


def test_the_kept_counts_equal_the_list_for_every_reader(applications, readers):
    assert ApplicationCount.objects.exists()
    assert_counts_hold(*readers)


def test_the_counts_follow_every_kind_of_write(org, applications, readers):
    # A change of state of many rows in one statement, a file moving union (its
    # applications follow it), a deletion: whatever wrote them.
    Application.objects.filter(union=org.g1a).update(state="returned")
    last_year = timezone.localdate().replace(month=1, day=1) - datetime.timedelta(days=1)
    Application.objects.filter(union=org.g2a).update(state="effective", effective_on=last_year)
    assert counts.kept([org.g2a.pk], effective_year=last_year.year) == 1
    assert counts.kept([org.g2a.pk], effective_year=last_year.year + 1) == 0
    Household.objects.filter(pk=applications["g1b"].pk).update(union=org.g2a)
    Household.objects.filter(pk=applications["g1a"].pk).update(union=org.g1b)
    Application.objects.filter(union=org.g2a).delete()
    assert_counts_hold(*readers)


def test_a_search_counts_the_rows(client, applications, reviewer_c1):
    assert counts.list_count(reviewer_c1, {"q": "x"}) is None
    client.force_login(reviewer_c1)
    number = Application.objects.filter(union=applications["g1a"].union).first().number
    page = client.get(reverse("application_list"), {"q": number})
    assert page.context["page"].paginator.count == 1


def test_the_list_page_shows_the_kept_count(client, applications, auditor_fed):
    client.force_login(auditor_fed)
    page = client.get(reverse("application_list"))
    assert page.context["page"].paginator.count == applications_visible_to(auditor_fed).count()


def test_a_write_behind_the_triggers_back_is_named_and_put_right(applications, readers):
    ApplicationCount.objects.filter(n__gt=0).update(n=7)
    ok, lines = application_counts()
    assert not ok and any("申请计数" in line for line in lines)
    with pytest.raises(CommandError):
        call_command("rebuild_application_counts", "--check")
    call_command("rebuild_application_counts")
    assert application_counts()[0]
    assert_counts_hold(*readers)
