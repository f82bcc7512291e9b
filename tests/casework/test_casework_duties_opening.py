"""Duties opened by events and by the daily run (open_due_duties), and what closes them."""

import datetime

import pytest
from casekit import file
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from factories import HouseholdFactory

from cases.models import Application
from casework.duties import duty_open
from casework.duty_jobs import open_due_duties
from casework.models import Duty, Notification, Visit
from casework.services import visit_record
from households.models import Evidence, Household

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def test_a_medical_aid_application_opens_a_hospital_visit_due_within_seven_days(
    caseworker_g1a, household, medical_tiers
):
    household.responsible_user = caseworker_g1a
    household.save()
    application = file(caseworker_g1a, household, "medical", "8000", self_paid="8000")
    duty = Duty.objects.get(household=household)
    assert duty.kind == Duty.Kind.HOSPITAL_VISIT
    assert duty.event_on == TODAY
    assert duty.due_on == days(7)
    assert duty.reason == f"医疗救助申请 {application.number}"
    assert duty.assignee == caseworker_g1a
    # The assignee is told of the new task.
    assert Notification.objects.get(user=caseworker_g1a).kind == Notification.Kind.ASSIGNED


def test_an_emergency_application_opens_an_emergency_visit_and_others_open_none(
    caseworker_g1a, household
):
    file(caseworker_g1a, household, "emergency", "3000")
    duty = Duty.objects.get()
    assert (duty.kind, duty.due_on, duty.assignee) == (Duty.Kind.EMERGENCY_VISIT, days(3), None)
    file(caseworker_g1a, household, "education", "2000")
    assert Duty.objects.count() == 1


def test_a_second_event_finds_the_open_duty_and_keeps_its_deadline(household):
    first = duty_open(
        household=household, kind=Duty.Kind.HOSPITAL_VISIT, event_on=days(-2), reason="a"
    )
    second = duty_open(
        household=household, kind=Duty.Kind.HOSPITAL_VISIT, event_on=TODAY, reason="b"
    )
    assert first == second and second.due_on == days(5)


def test_the_daily_run_opens_a_review_due_within_thirty_days_once(household):
    Household.objects.filter(pk=household.pk).update(review_due_on=days(20))
    open_due_duties(TODAY)
    open_due_duties(TODAY)
    duty = Duty.objects.get(kind=Duty.Kind.REVIEW)
    assert (duty.event_on, duty.due_on) == (days(20), days(20))


def test_the_daily_run_leaves_a_review_further_off(household):
    Household.objects.filter(pk=household.pk).update(review_due_on=days(45))
    open_due_duties(TODAY)
    assert not Duty.objects.filter(kind=Duty.Kind.REVIEW).exists()


def test_expiring_evidence_opens_a_renewal_and_new_evidence_does_it(
    household, evidence_g1a, caseworker_g1a
):
    Evidence.objects.filter(pk=evidence_g1a.pk).update(valid_until=days(10))
    open_due_duties(TODAY)
    duty = Duty.objects.get(kind=Duty.Kind.EVIDENCE_RENEWAL)
    assert (duty.evidence, duty.due_on) == (evidence_g1a, days(10))
    renewed = Evidence.objects.create(
        household=household,
        cause="illness",
        kind=evidence_g1a.kind,
        original_name="新证明.pdf",
        content_type=Evidence.ContentType.PDF,
        size=10,
        valid_until=days(365),
        file="evidence/x.pdf",
    )
    duty.refresh_from_db()
    assert (duty.done_on, duty.renewal) == (TODAY, renewed)
    # Renewed: the next run opens nothing for the old document.
    open_due_duties(TODAY)
    assert Duty.objects.filter(kind=Duty.Kind.EVIDENCE_RENEWAL).count() == 1


def test_every_file_in_file_gets_its_next_contact_from_the_last_visit(household, caseworker_g1a):
    Visit.objects.create(
        household=household,
        visited_on=days(-100),
        kind=Visit.Kind.REGULAR,
        visitors="王",
        recorded_by=caseworker_g1a,
    )
    never = HouseholdFactory(in_file=True, union=household.union, established_on=days(-30))
    open_due_duties(TODAY)
    contact = Duty.objects.get(household=household, kind=Duty.Kind.CONTACT)
    assert (contact.event_on, contact.due_on) == (days(-100), days(-10))
    other = Duty.objects.get(household=never, kind=Duty.Kind.CONTACT)
    assert (other.event_on, other.due_on) == (days(-30), days(60))


def test_a_visit_closes_the_contact_and_opens_the_next_from_that_visit(household, caseworker_g1a):
    open_due_duties(TODAY)
    visit = visit_record(
        actor=caseworker_g1a,
        household=household,
        visited_on=days(-1),
        kind=Visit.Kind.REGULAR,
        visitors="王干事",
    )
    done = Duty.objects.get(kind=Duty.Kind.CONTACT, done_on__isnull=False)
    assert done.visit == visit
    following = Duty.objects.get(kind=Duty.Kind.CONTACT, done_on__isnull=True)
    assert (following.event_on, following.due_on) == (days(-1), days(89))


def test_a_festival_visit_does_not_do_a_hospital_visit(household, caseworker_g1a):
    duty = duty_open(household=household, kind=Duty.Kind.HOSPITAL_VISIT, event_on=TODAY, reason="x")
    visit_record(
        actor=caseworker_g1a,
        household=household,
        visited_on=TODAY,
        kind=Visit.Kind.FESTIVAL,
        visitors="王干事",
    )
    duty.refresh_from_db()
    assert duty.done_on is None


def test_overdue_duties_are_told_to_their_assignee_once(household, caseworker_g1a):
    household.responsible_user = caseworker_g1a
    household.save()
    duty = duty_open(
        household=household, kind=Duty.Kind.HOSPITAL_VISIT, event_on=days(-10), reason="x"
    )
    call_command("open_due_duties")
    call_command("open_due_duties")
    told = Notification.objects.filter(kind=Notification.Kind.OVERDUE)
    # The hospital visit, and the contact never made since the file was established.
    assert {(n.user, n.duty.kind) for n in told} == {
        (caseworker_g1a, duty.kind),
        (caseworker_g1a, Duty.Kind.CONTACT),
    }
    assert told.count() == 2


def test_files_that_left_are_neither_opened_nor_told(household, caseworker_g1a):
    household.responsible_user = caseworker_g1a
    household.save()
    duty_open(household=household, kind=Duty.Kind.HOSPITAL_VISIT, event_on=days(-10), reason="x")
    Household.objects.filter(pk=household.pk).update(
        status=Household.Status.EXITED, exited_on=TODAY, review_due_on=days(1)
    )
    open_due_duties(TODAY)
    assert Duty.objects.count() == 1  # the open one stays on record, nothing new
    assert not Notification.objects.filter(kind=Notification.Kind.OVERDUE).exists()


def test_a_duty_is_never_done_without_its_record(household, caseworker_g1a):
    duty = duty_open(household=household, kind=Duty.Kind.CONTACT, event_on=TODAY, reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Duty.objects.filter(pk=duty.pk).update(done_on=TODAY)
    review = duty_open(household=household, kind=Duty.Kind.REVIEW, event_on=TODAY, reason="y")
    visit = Visit.objects.create(
        household=household,
        visited_on=TODAY,
        kind=Visit.Kind.REGULAR,
        visitors="王",
        recorded_by=caseworker_g1a,
    )
    # A review is not done by a visit either.
    with pytest.raises(IntegrityError), transaction.atomic():
        Duty.objects.filter(pk=review.pk).update(done_on=TODAY, visit=visit)


def test_the_daily_maintenance_runs_the_duties_and_the_digest():
    from hardship.management.commands.daily_maintenance import STEPS

    names = [step[0] for step in STEPS]
    assert names.index("open_due_duties") < names.index("verify_integrity")
    assert names.index("send_task_digest") < names.index("verify_integrity")


def test_application_kinds_that_open_duties():
    from casework.duties import APPLICATION_DUTIES

    assert set(APPLICATION_DUTIES) == {Application.Kind.MEDICAL, Application.Kind.EMERGENCY}
