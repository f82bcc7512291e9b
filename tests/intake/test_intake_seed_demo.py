"""seed_demo fills the front door: contacts in every state, a complaint handled above the
unit, an online message, two legal-aid cases; a second run adds nothing."""

from io import StringIO

import pytest
from demokit import load_demo
from django.core.management import call_command

from intake.figures import front_door_figures
from intake.models import Contact, LegalAidCase
from intake.selectors import overdue


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_puts_contacts_in_every_state_once(settings):
    settings.DEBUG = True
    load_demo(stdout=StringIO())
    contacts = Contact.objects.all()
    assert set(contacts.values_list("status", flat=True)) == {"open", "in_progress", "closed"}
    assert overdue(contacts).exists()
    assert contacts.exclude(satisfaction="").exists()
    assert contacts.filter(status="closed", satisfaction="").exists()
    # The front door's own complaint, and the one payment verification's discrepancy lodged.
    complaint = contacts.get(topic="complaint", channel="hotline")
    assert complaint.unit == complaint.about_unit.parent
    assert contacts.filter(
        topic="complaint", channel="referral", referred_by__contains="发放核查"
    ).exists()
    assert contacts.filter(channel="online").exists()
    assert contacts.exclude(attachment="").exists()
    assert contacts.filter(household__isnull=False).exists()
    cases = LegalAidCase.objects.all()
    assert set(cases.values_list("status", flat=True)) == {"concluded", "referred"}
    concluded = cases.get(status="concluded")
    figures = front_door_figures(complaint.unit, concluded.concluded_on.year)
    assert figures.amount_recovered == concluded.amount_recovered > 0
    first = (contacts.count(), cases.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Contact.objects.count(), LegalAidCase.objects.count()) == first
