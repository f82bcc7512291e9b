"""The caseworker's day on the pages: the task list, visits recorded from a task, the
navigation's counts, my households, notifications and the e-mail digest."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from factories import HouseholdFactory

from casework.duties import duty_open
from casework.models import Duty, Notification, Visit
from casework.notifications import send_digest
from casework.task_selectors import nav_counts
from households.models import AidMeasure, Household

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def mine(household, caseworker_g1a):
    household.responsible_user = caseworker_g1a
    household.save()
    return household


def hospital(household, event_on=None):
    return duty_open(
        household=household,
        kind=Duty.Kind.HOSPITAL_VISIT,
        event_on=event_on or days(-10),
        reason="医疗救助申请 SQ-1",
    )


def test_the_task_list_shows_my_overdue_hospital_visit_with_its_action(
    client, caseworker_g1a, mine
):
    duty = hospital(mine)
    client.force_login(caseworker_g1a)
    page = client.get(reverse("task_list")).content.decode()
    assert "住院必访" in page and "医疗救助申请 SQ-1" in page
    assert "逾期 3 天" in page
    assert f"{reverse('visit_create', args=[mine.pk])}?duty={duty.pk}" in page


def test_tabs_split_mine_the_units_overdue_and_done(client, caseworker_g1a, chair_g1a, mine):
    hospital(mine)
    other = HouseholdFactory(in_file=True, union=mine.union)
    duty_open(household=other, kind=Duty.Kind.REVIEW, event_on=days(20), reason="复核")
    client.force_login(chair_g1a)
    counts = client.get(reverse("task_list")).context["counts"]
    assert counts == {"mine": 0, "unit": 2, "soon": 0, "overdue": 1, "done": 0}
    unit = client.get(reverse("task_list"), {"tab": "unit"}).context["page"]
    assert {d.household for d in unit} == {mine, other}


def test_another_unions_duties_are_absent(client, caseworker_g2a, mine):
    hospital(mine)
    client.force_login(caseworker_g2a)
    assert client.get(reverse("task_list"), {"tab": "unit"}).context["counts"]["unit"] == 0
    # Recording a visit from it is a 404 (their household and their duty both out of scope).
    duty = Duty.objects.get()
    url = reverse("visit_create", args=[mine.pk]) + f"?duty={duty.pk}"
    assert client.get(url).status_code == 404


def test_duties_of_files_that_left_are_no_task(client, caseworker_g1a, mine):
    hospital(mine)
    Household.objects.filter(pk=mine.pk).update(status=Household.Status.EXITED, exited_on=TODAY)
    client.force_login(caseworker_g1a)
    assert client.get(reverse("task_list")).context["counts"]["mine"] == 0
    assert nav_counts(caseworker_g1a, TODAY)["tasks"] == 0


def visit_post(client, household, duty, **overrides):
    data = {
        "visited_on": TODAY.isoformat(),
        "kind": "hospital",
        "visitors": "王干事",
        "notes": "住院期间走访。",
        "duty": duty.pk,
    }
    data.update(overrides)
    url = reverse("visit_create", args=[household.pk]) + f"?duty={duty.pk}"
    return client.post(url, data)


def test_a_visit_recorded_from_the_task_does_it(client, caseworker_g1a, chair_g1a, mine):
    duty = hospital(mine)
    client.force_login(chair_g1a)  # anyone who records visits in scope
    form = client.get(reverse("visit_create", args=[mine.pk]) + f"?duty={duty.pk}")
    assert form.context["form"].initial["kind"] == Visit.Kind.HOSPITAL
    assert visit_post(client, mine, duty).status_code == 302
    duty.refresh_from_db()
    assert duty.done_on == TODAY and duty.visit.recorded_by == chair_g1a


def test_a_visit_of_another_kind_is_refused_for_a_must_visit(client, caseworker_g1a, mine):
    duty = hospital(mine)
    client.force_login(caseworker_g1a)
    response = visit_post(client, mine, duty, kind="festival")
    assert response.status_code == 200
    assert "住院必访" in str(response.context["form"].errors["kind"])
    assert not Visit.objects.exists()


def test_any_visit_does_a_contact(client, caseworker_g1a, mine):
    duty = duty_open(household=mine, kind=Duty.Kind.CONTACT, event_on=days(-95), reason="x")
    client.force_login(caseworker_g1a)
    assert visit_post(client, mine, duty, kind="festival").status_code == 302
    duty.refresh_from_db()
    assert duty.visit.kind == "festival"


def test_a_visit_against_another_households_duty_is_refused(client, caseworker_g1a, mine):
    other = HouseholdFactory(in_file=True, union=mine.union)
    duty = hospital(other)
    client.force_login(caseworker_g1a)
    # Through the link: 404; through the form's hidden field: the service refuses it.
    url = reverse("visit_create", args=[mine.pk]) + f"?duty={duty.pk}"
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("visit_create", args=[mine.pk]),
        {"visited_on": TODAY.isoformat(), "kind": "hospital", "visitors": "王", "duty": duty.pk},
    )
    assert response.status_code == 200
    assert "该任务不属于这户档案" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_visit_before_the_event_or_in_the_future_is_refused(client, caseworker_g1a, mine):
    duty = hospital(mine, event_on=days(-2))
    client.force_login(caseworker_g1a)
    early = visit_post(client, mine, duty, visited_on=days(-5).isoformat())
    assert "不能早于任务事由日期" in str(early.context["form"].errors["visited_on"])
    future = visit_post(client, mine, duty, visited_on=days(1).isoformat())
    assert "不能晚于今天" in str(future.context["form"].errors["visited_on"])
    assert not Visit.objects.exists()


def test_the_navigation_counts_pressing_tasks_and_unread_in_one_query(client, caseworker_g1a, mine):
    hospital(mine)  # overdue
    duty_open(household=mine, kind=Duty.Kind.REVIEW, event_on=days(30), reason="x")  # later
    with CaptureQueriesContext(connection) as queries:
        counts = nav_counts(caseworker_g1a, TODAY)
    assert len(queries) == 1
    assert counts == {"tasks": 1, "unread": 2}  # told of both new tasks
    client.force_login(caseworker_g1a)
    page = client.get(reverse("notification_list")).content.decode()
    assert "待办任务" in page


def test_a_page_costs_the_same_queries_with_many_tasks(
    client, caseworker_g1a, mine, session_clock_still
):
    client.force_login(caseworker_g1a)
    url = reverse("household_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(3):
        hospital(HouseholdFactory(in_file=True, union=mine.union, responsible_user=caseworker_g1a))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert response.context["nav_task_count"] == 3


def test_my_households_in_a_constant_number_of_queries(
    client, caseworker_g1a, mine, session_clock_still
):
    hospital(mine)
    AidMeasure.objects.create(household=mine, measure="medical", status="done", completed_on=TODAY)
    AidMeasure.objects.create(household=mine, measure="employment")
    client.force_login(caseworker_g1a)
    client.get(reverse("my_households"))
    with CaptureQueriesContext(connection) as one:
        first = client.get(reverse("my_households"))
    row = first.context["households"][0]
    assert (row.measures_done, row.measures_total, row.next_kind) == (1, 2, "hospital_visit")
    assert row.contact_late  # never visited since 2024
    for _ in range(4):
        HouseholdFactory(in_file=True, union=mine.union, responsible_user=caseworker_g1a)
    with CaptureQueriesContext(connection) as five:
        client.get(reverse("my_households"))
    assert len(five) == len(one)


def test_a_leader_picks_a_responsible_person_in_scope(
    client, chair_g1a, caseworker_g1a, caseworker_g2a, mine
):
    client.force_login(chair_g1a)
    page = client.get(reverse("my_households"), {"person": caseworker_g1a.pk})
    assert list(page.context["households"]) == [mine]
    assert client.get(reverse("my_households"), {"person": caseworker_g2a.pk}).status_code == 404
    # A caseworker sees only their own.
    client.force_login(caseworker_g2a)
    response = client.get(reverse("my_households"), {"person": caseworker_g1a.pk})
    assert response.status_code == 404


def test_opening_a_notification_marks_it_read_and_follows_it(client, caseworker_g1a, mine):
    hospital(mine)
    note = Notification.objects.get()
    client.force_login(caseworker_g1a)
    response = client.get(reverse("notification_list"), {"open": note.pk})
    assert response.status_code == 302 and response["Location"] == reverse("task_list")
    note.refresh_from_db()
    assert note.read_at is not None


def test_someone_elses_notification_is_a_404(client, chair_g1a, mine):
    hospital(mine)
    client.force_login(chair_g1a)
    note = Notification.objects.get()
    assert client.get(reverse("notification_list"), {"open": note.pk}).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_all_read(client, caseworker_g1a, mine):
    hospital(mine)
    client.force_login(caseworker_g1a)
    assert client.post(reverse("notifications_read_all")).status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_digest_mails_each_person_their_pressing_tasks(caseworker_g1a, chair_g1a, mine):
    caseworker_g1a.email = "wang@example.org"
    caseworker_g1a.save()
    hospital(mine)
    duty_open(household=mine, kind=Duty.Kind.REVIEW, event_on=days(40), reason="x")
    assert send_digest(TODAY) == 1
    (message,) = mail.outbox
    assert message.to == ["wang@example.org"]
    assert "1 项帮扶任务" in message.body and "已逾期 1 项" in message.body
    assert reverse("task_list") in message.body
    assert mine.worker_name not in message.body  # the file number, not the name


def test_roles_without_the_registry_cannot_see_the_task_pages(client, finance_c1):
    client.force_login(finance_c1)
    assert client.get(reverse("task_list")).status_code == 403
    assert client.get(reverse("my_households")).status_code == 403
