"""The dashboard counts only the households the user may see."""

from django.urls import reverse
from factories import HardshipCauseFactory, HouseholdFactory


def counts(response) -> dict:
    return {status.value: n for status, n in response.context["statuses"]}


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_caseworker_counts_only_their_own_union(client, org, caseworker_g1a):
    HouseholdFactory(in_file=True, union=org.g1a)
    HouseholdFactory(union=org.g1a)
    HouseholdFactory(in_file=True, union=org.g1b)
    HouseholdFactory(in_file=True, union=org.g2a)
    client.force_login(caseworker_g1a)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert counts(response) == {"draft": 1, "in_file": 1, "exited": 0, "cancelled": 0}
    assert response.context["in_file_total"] == 1
    assert reverse("household_create") in response.content.decode()


def test_auditor_counts_every_union_and_cannot_create(client, org, auditor_fed):
    for union in (org.g1a, org.g1b, org.g2a):
        household = HouseholdFactory(in_file=True, union=union, category="dibao")
        HardshipCauseFactory(household=household, cause="education")
    client.force_login(auditor_fed)

    response = client.get(reverse("dashboard"))

    assert response.context["in_file_total"] == 3
    assert dict((c.value, n) for c, n in response.context["categories"])["dibao"] == 3
    assert response.context["causes"][0][0].value == "education"
    assert response.context["causes"][0][1] == 3
    assert reverse("household_create") not in response.content.decode()


def test_worker_sees_their_own_file_and_nothing_else(client, org, worker_g1a, worker_household):
    HouseholdFactory(in_file=True, union=org.g1a, worker_name="别人家")
    client.force_login(worker_g1a)

    response = client.get(reverse("dashboard"))

    html = response.content.decode()
    assert response.context["in_file_total"] == 1
    assert worker_household.get_absolute_url() in html
    assert "别人家" not in html


def test_outsider_sees_an_empty_dashboard(client, org, outsider):
    HouseholdFactory(in_file=True, union=org.g1a)
    client.force_login(outsider)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert sum(counts(response).values()) == 0


def test_the_counts_follow_a_file_written_after_they_were_kept(client, org, auditor_fed):
    """The in-file figures are read from the composition kept per union: a file written
    since is counted, as the statistics page counts it."""
    HouseholdFactory(in_file=True, union=org.g1a, category="dibao")
    client.force_login(auditor_fed)
    client.get(reverse("dashboard"))  # keeps the counts of every union
    household = HouseholdFactory(in_file=True, union=org.g1a, category="dibao")
    HardshipCauseFactory(household=household, cause="education")

    response = client.get(reverse("dashboard"))

    assert response.context["in_file_total"] == 2
    assert dict((c.value, n) for c, n in response.context["categories"])["dibao"] == 2
    assert dict((c.value, n) for c, n in response.context["causes"])["education"] == 1
