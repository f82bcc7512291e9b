"""seed_demo gives every demo caseworker a day's work: must-visits (overdue ones among them,
some done by a visit), reviews, a renewal, households they are responsible for."""

from io import StringIO

import pytest
from demokit import load_demo
from django.core.management import call_command
from django.utils import timezone

from casework.models import Duty
from casework.task_selectors import my_households, tasks
from hardship.models import Membership, Role

TODAY = timezone.localdate()


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_gives_every_caseworker_tasks_and_households(settings):
    settings.DEBUG = True
    load_demo(stdout=StringIO())
    duties = Duty.objects.all()
    assert duties.filter(kind=Duty.Kind.HOSPITAL_VISIT, reason__startswith="医疗救助").exists()
    assert duties.filter(kind__in=Duty.MUST_VISIT, done_on__isnull=False).count() >= 5
    assert duties.filter(kind=Duty.Kind.REVIEW).exists()
    assert duties.filter(kind=Duty.Kind.EVIDENCE_RENEWAL).exists()
    caseworkers = [m.user for m in Membership.objects.filter(role=Role.CASEWORKER)]
    for user in caseworkers:
        mine = tasks(user, "mine", TODAY)
        assert mine.filter(kind__in=Duty.MUST_VISIT, due_on__lt=TODAY).exists(), user
        assert my_households(user, user, TODAY).exists(), user
    # The daily run repeated opens nothing new.
    before = duties.count()
    call_command("open_due_duties", stdout=StringIO())
    assert Duty.objects.count() == before
