"""Visits move to casework (layer 5, above funds) with their tables (cases_visit,
cases_historicalvisit): state only, casework.0002 takes them over."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_fill_filing_approval_begun"),
        # The ledger's key to visits leaves the state first.
        ("funds", "0010_ledger_visit_number"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalVisit"),
                migrations.DeleteModel(name="Visit"),
            ],
            database_operations=[],
        ),
    ]
