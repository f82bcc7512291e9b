"""Two batch-file templates shipped as examples (bank.examples)."""

from django.db import migrations

from bank.examples import add_examples


def add(apps, schema_editor):
    add_examples(apps.get_model("bank", "BatchTemplate"), apps.get_model("bank", "TemplateColumn"))


class Migration(migrations.Migration):
    dependencies = [("bank", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
