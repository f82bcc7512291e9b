"""Files already in file get their first review due date: a year after establishment."""

import calendar
import datetime

from django.db import migrations


def add_year(day: datetime.date) -> datetime.date:
    last = calendar.monthrange(day.year + 1, day.month)[1]
    return datetime.date(day.year + 1, day.month, min(day.day, last))


def backfill(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    for household in Household.objects.filter(
        status="in_file", review_due_on__isnull=True, established_on__isnull=False
    ).only("pk", "established_on"):
        Household.objects.filter(pk=household.pk).update(review_due_on=add_year(household.established_on))


class Migration(migrations.Migration):
    dependencies = [("households", "0002_historicalhousehold_review_due_on_and_more")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
