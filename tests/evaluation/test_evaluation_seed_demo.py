"""seed_demo's results: weights summing to 100 for this year, targets of the federation and
both companies, a scored sheet for the petrochemical company with outcomes to show, and a
survey of 24 households with 20 answers that its seed draws again; running seed_demo again
adds nothing. seed_demo runs once here."""

from io import StringIO

import pytest
from demokit import load_demo
from django.core.management import call_command
from django.utils import timezone

from crosscheck.verification import draw
from evaluation.indicators import indicator_sheet
from evaluation.models import Survey, Target, WeightSheet
from evaluation.outcomes import outcomes
from evaluation.services import helped_households
from hardship.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def history_window():
    """seed_demo opens its own back-dating window."""


def test_seed_demo_scores_the_company_and_repeats_nothing(settings):
    settings.DEBUG = True
    year = timezone.localdate().year
    out = StringIO()
    load_demo(stdout=out)
    assert "Results:" in out.getvalue()

    assert WeightSheet.objects.get(valid_from_year=year).total == 100
    assert set(Target.objects.filter(year=year).values_list("unit__code", flat=True)) == {
        "HSF",
        "SH",
        "MY",
    }
    company = Unit.objects.get(code="SH")
    sheet = indicator_sheet(company, year)
    assert sheet.total is not None and 0 < sheet.total <= 100
    found = outcomes(company, year)
    assert found.income.compared > 0 and found.income.crossed > 0 and found.exits > 0

    survey = Survey.objects.get(unit=company, year=year)
    assert survey.items.exclude(answer="").count() == 20
    assert draw(helped_households(company, year), survey.size, survey.seed) == sorted(
        survey.items.values_list("household_id", flat=True)
    )

    counts = (Target.objects.count(), Survey.objects.count(), WeightSheet.objects.count())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert counts == (Target.objects.count(), Survey.objects.count(), WeightSheet.objects.count())
