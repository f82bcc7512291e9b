"""seed_demo's visit rounds: one under way at the coal company with about 60% of its
households visited (rice from its goods fund), one finished earlier with every household
of its first mine visited. seed_demo runs once, for the one test here."""

from io import StringIO

import pytest
from demokit import load_demo
from django.utils import timezone

from casework.coverage import round_coverage
from casework.models import VisitRound
from hardship.models import User

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def history_window():
    """No test window here (it overrides casework's): seed_demo opens its own."""


def test_seed_demo_has_a_round_under_way_and_one_fully_covered(settings):
    settings.DEBUG = True  # a development machine: the command refuses production otherwise
    load_demo(stdout=StringIO())
    today = timezone.localdate()
    reviewer = User.objects.get(username="my_reviewer")

    running = VisitRound.objects.get(unit__code="MY")
    assert running.is_open_on(today) and running.fund is not None
    coverage = round_coverage(reviewer, running)
    assert 55 <= coverage.rate <= 65
    assert coverage.goods_from_fund == coverage.goods_value > 0
    assert all(v.visited_on <= today for v in running.visits.all())

    finished = VisitRound.objects.get(unit__code="MY01")
    assert finished.ends_on < today
    coverage = round_coverage(reviewer, finished)
    assert coverage.in_file > 0 and coverage.rate == 100
