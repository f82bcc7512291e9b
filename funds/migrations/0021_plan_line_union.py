"""A plan's line keeps its file's union as the list was built, so the statistics count a
year's planned aid in a part of the tree from the lines (and an index) alone; lines from
before take their file's union now."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def union_of_file(apps, schema_editor):
    PlanLine = apps.get_model("funds", "PlanLine")
    Household = apps.get_model("households", "Household")
    PlanLine.objects.update(
        union_id=Subquery(Household.objects.filter(pk=OuterRef("household_id")).values("union_id"))
    )


class Migration(migrations.Migration):

    dependencies = [
        ("funds", "0020_plan_rule_selects_nobody"),
        ("hardship", "0016_unit_headcount"),
        ("households", "0024_registry_parts"),
    ]

    operations = [
        migrations.AddField(
            model_name="planline",
            name="union",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="hardship.unit",
                verbose_name="基层工会",
            ),
        ),
        migrations.RunPython(union_of_file, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="planline",
            name="union",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="hardship.unit",
                verbose_name="基层工会",
            ),
        ),
        migrations.AddIndex(
            model_name="planline",
            index=models.Index(fields=["plan", "union"], name="plan_line_by_union"),
        ),
    ]
