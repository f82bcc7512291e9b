"""The front door's appeal figures: appeals lodged in a period, in the units asked for, by
where they stand (pending, upheld, dismissed)."""

import datetime

import pytest
from appealkit import decide, lodge
from django.utils import timezone

from cases.appeal_selectors import AppealFigures, appeal_figures
from cases.models import Appeal

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_appeals(rejected_at, caseworker_g1a, reviewer2_c1):
    upheld = decide(reviewer2_c1, lodge(caseworker_g1a, rejected_at()), send_back_to="submitted")
    dismissed = decide(
        reviewer2_c1, lodge(caseworker_g1a, rejected_at()), uphold=False, comment="维持。"
    )
    pending = lodge(caseworker_g1a, rejected_at())
    return upheld, dismissed, pending


def test_appeals_are_counted_by_outcome(org, three_appeals):
    today = timezone.localdate()
    figures = appeal_figures([org.fed.path], datetime.date(today.year, 1, 1), today)
    assert figures == AppealFigures(lodged=3, pending=1, upheld=1, dismissed=1)
    # The company's subtree holds them all; the other company none.
    assert appeal_figures([org.c1.path], today) == figures
    assert appeal_figures([org.c2.path], today) == AppealFigures(0, 0, 0, 0)
    assert appeal_figures([], today) == AppealFigures(0, 0, 0, 0)


def test_only_appeals_lodged_in_the_period_count(org, three_appeals):
    upheld = three_appeals[0]
    Appeal.objects.filter(pk=upheld.pk).update(
        lodged_at=timezone.now() - datetime.timedelta(days=400)
    )
    today = timezone.localdate()
    figures = appeal_figures([org.fed.path], today - datetime.timedelta(days=30), today)
    assert figures == AppealFigures(lodged=2, pending=1, upheld=0, dismissed=1)
    last_year = today - datetime.timedelta(days=400)
    assert appeal_figures([org.fed.path], last_year, last_year).upheld == 1


def test_the_front_door_figures_carry_the_appeals_of_the_year(org, three_appeals):
    """The front door's statistics page and the annual report read the same figures."""
    from intake.figures import front_door_figures

    figures = front_door_figures(org.c1, timezone.localdate().year)
    assert (figures.appeals, figures.appeals_pending) == (3, 1)
    assert (figures.appeals_upheld, figures.appeals_dismissed) == (1, 1)
    assert front_door_figures(org.c2, timezone.localdate().year).appeals == 0
