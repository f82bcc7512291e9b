"""Set the main hardship cause (主要致困原因) of every existing file as a caseworker would:
the first of its causes in the order the form lists them (因病, 因残, 因学, … 其他), and say
so on each file's history. Before this, reports took the first cause in the alphabetical
order of the codes (意外 before 因学 before 因病)."""

from django.db import migrations
from django.utils import timezone

# Cause's order when this migration was written (households.models.Cause).
CAUSE_ORDER = [
    "illness",
    "disability",
    "education",
    "disaster",
    "accident",
    "single_parent",
    "unemployment",
    "shutdown",
    "low_income",
    "other",
]
REASON = "系统按登记的致困原因设定主要致困原因（因病优先于因学，依表中顺序）"
BATCH = 2000


def set_main_cause(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    HardshipCause = apps.get_model("households", "HardshipCause")
    Historical = apps.get_model("households", "HistoricalHousehold")
    rank = {cause: i for i, cause in enumerate(CAUSE_ORDER)}
    main = {}
    for household_id, cause in HardshipCause.objects.values_list("household_id", "cause"):
        current = main.get(household_id)
        if current is None or rank.get(cause, len(rank)) < rank.get(current, len(rank)):
            main[household_id] = cause
    by_cause = {}
    for household_id, cause in main.items():
        by_cause.setdefault(cause, []).append(household_id)
    for cause, ids in by_cause.items():
        for start in range(0, len(ids), BATCH):
            Household.objects.filter(pk__in=ids[start : start + BATCH], main_cause="").update(
                main_cause=cause
            )
    # One history row per changed file, as a save with a change reason would write it.
    fields = [
        f.attname
        for f in Household._meta.concrete_fields
        if f.attname in {g.attname for g in Historical._meta.concrete_fields}
    ]
    now = timezone.now()
    ids = sorted(main)
    for start in range(0, len(ids), BATCH):
        rows = Household.objects.filter(pk__in=ids[start : start + BATCH]).values(*fields)
        Historical.objects.bulk_create(
            [
                Historical(
                    **row,
                    history_date=now,
                    history_type="~",
                    history_change_reason=REASON,
                    history_user_id=None,
                )
                for row in rows
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("households", "0005_worker_health_main_cause_farming")]
    operations = [migrations.RunPython(set_main_cause, migrations.RunPython.noop)]
