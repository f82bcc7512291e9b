"""seed_demo's cross-checks: a civil-affairs list and an HR extract whose match reports show
every kind of line, a verification sample that the recorded seed draws again, a suspected
duplicate pair; running seed_demo again adds nothing. seed_demo runs once here."""

from io import StringIO

import pytest
from demokit import load_demo
from django.core.management import call_command

from crosscheck import selectors, verification
from crosscheck.models import FollowUp, MatchLine, OutsideList, Verification
from hardship.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def history_window():
    """seed_demo opens its own back-dating window."""


def test_seed_demo_cross_checks_show_every_kind_and_repeat(settings):
    settings.DEBUG = True
    out = StringIO()
    load_demo(stdout=out)
    assert "Cross-checks:" in out.getvalue()

    assert set(MatchLine.objects.values_list("kind", flat=True)) == set(MatchLine.Kind.values)
    assert set(OutsideList.objects.values_list("kind", flat=True)) == {"civil", "hr"}
    assert MatchLine.objects.filter(explained_at__isnull=False).exists()
    assert FollowUp.objects.filter(origin="match").exists()

    drawn = Verification.objects.get()
    paid = verification.paid_households(unit=drawn.unit, plan=drawn.plan)
    size = verification.sample_size(len(paid), drawn.confidence, drawn.margin)
    assert verification.draw(paid, size, drawn.seed) == sorted(
        drawn.items.values_list("household_id", flat=True)
    )
    assert verification.results(drawn)["discrepancies"] == 1
    assert FollowUp.objects.filter(origin="verification").count() == 1

    reviewer = User.objects.get(username="sh_reviewer")
    assert any("联系电话相同" in p.reasons for p in selectors.duplicate_pairs_for(reviewer))

    counts = (OutsideList.objects.count(), MatchLine.objects.count(), Verification.objects.count())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Cross-checks:" not in out.getvalue()
    assert counts == (
        OutsideList.objects.count(),
        MatchLine.objects.count(),
        Verification.objects.count(),
    )
