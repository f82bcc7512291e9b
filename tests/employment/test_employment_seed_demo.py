"""seed_demo's employment help: the register, a course with certificates, referrals with
every result, placements confirmed onto the file (one lifting its household among the exit
candidates) and one waiting. seed_demo runs once, for the one test here."""

from io import StringIO

import pytest
from demokit import load_demo
from django.core.management import call_command
from django.utils import timezone

from audit.checks import income_above_threshold
from employment.models import Enrolment, Partner, Placement, Referral
from households.models import Household

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_seed_demo_shows_employment_help_to_its_outcome(settings):
    settings.DEBUG = True  # a development machine: the command refuses production otherwise
    load_demo(stdout=StringIO())

    assert set(Partner.objects.values_list("kind", flat=True)) == set(Partner.Kind.values)
    assert Enrolment.objects.filter(result="completed").exclude(certificate="").exists()
    results = set(Referral.objects.values_list("result", flat=True))
    assert {"hired", "refused", "no_answer"} <= results
    confirmed = Placement.objects.filter(confirmed_at__isnull=False)
    assert confirmed.exists()
    assert Placement.objects.filter(confirmed_at__isnull=True).exists()
    for placement in confirmed:
        member = placement.referral.member
        assert (member.employment, member.monthly_income) == ("employed", placement.monthly_wage)
    lifted = Household.objects.filter(
        pk__in=confirmed.values("referral__member__household"), status="in_file"
    )
    assert income_above_threshold(lifted, timezone.localdate())

    before = Referral.objects.count()
    call_command("seed_demo", stdout=StringIO())  # idempotent
    assert Referral.objects.count() == before
