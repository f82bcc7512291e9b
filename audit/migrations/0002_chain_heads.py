from django.db import migrations

CHAINS = ("ledger", "decisions")


def create_heads(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    for name in CHAINS:
        ChainHead.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_heads, migrations.RunPython.noop)]
