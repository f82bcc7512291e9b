"""Serious illness (大病) on the file carried on each payment's row, as the main cause and the
union are (0017), and its own row in the year totals, so that the indicator sheet's
serious-illness share reads the totals instead of the year's payments. The rows already
posted take their household's health as it stands now (the best knowledge there is), then
the totals are summed from the ledger again."""

import importlib

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q

YEAR_TOTALS = importlib.import_module("funds.migrations.0017_year_totals")


def stamp_posted_rows(apps, schema_editor):
    LedgerEntry = apps.get_model("funds", "LedgerEntry")
    Household = apps.get_model("households", "Household")
    Member = apps.get_model("households", "Member")
    serious = Household.objects.filter(
        Q(worker_health="serious")
        | Exists(Member.objects.filter(household=OuterRef("pk"), health="serious"))
    )
    payments = LedgerEntry.objects.filter(kind="payment", household__in=serious)
    if not payments.exists():
        return
    YEAR_TOTALS._append_only(schema_editor, False)
    payments.update(serious_illness=True)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    YEAR_TOTALS._append_only(schema_editor, True)


def sum_the_totals(apps, schema_editor):
    # The service itself, so the totals are summed by the one definition there is. It reads
    # the ledger as the code stands, so it runs after the last migration that adds a column
    # it reads: a later one of that kind takes this step over.
    from funds import totals

    if apps.get_model("funds", "LedgerEntry").objects.exists():
        totals.rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ("funds", "0017_year_totals"),
        ("households", "0021_review_due_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="serious_illness",
            field=models.BooleanField(default=False, editable=False, verbose_name="大病"),
        ),
        migrations.AlterField(
            model_name="aidyeartotal",
            name="facet",
            field=models.CharField(
                choices=[
                    ("all", "合计"),
                    ("aid_type", "帮扶类型"),
                    ("cause", "主要致困原因"),
                    ("model_worker", "困难劳模"),
                    ("condolence", "慰问"),
                    ("goods", "物资"),
                    ("month", "月份"),
                    ("serious_illness", "大病"),
                ],
                max_length=16,
            ),
        ),
        # SQLite rebuilt the ledger's table for the new column, which dropped its triggers.
        migrations.RunPython(YEAR_TOTALS.restore_sqlite_triggers, migrations.RunPython.noop),
        migrations.RunPython(stamp_posted_rows, migrations.RunPython.noop),
        migrations.RunPython(sum_the_totals, migrations.RunPython.noop),
    ]
