"""The benchmark's roster import is a real one: its workbook passes the import's checks
against the generated files, the commit writes every row, and nothing stays behind."""

import io

import pytest
from django.core.management import call_command

from bench.roster_import import roster_import
from households.models import Household
from reports import storage

pytestmark = pytest.mark.django_db


def test_the_roster_import_writes_every_row_then_leaves_the_data_as_generated(settings, tmp_path):
    settings.EXPORT_DIR = tmp_path / "exports"
    call_command("generate_bench_data", households=40, years=1, seed=5, stdout=io.StringIO())
    before = Household.objects.count()
    figures = roster_import(120)
    assert figures["rows"] == 120, figures
    assert figures["preview_seconds"] >= 0 and figures["queries"] > 0
    assert Household.objects.count() == before
    _folders, names = storage.exports().listdir(storage.IMPORTS)
    assert names == []
