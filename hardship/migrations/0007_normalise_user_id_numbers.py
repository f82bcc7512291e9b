"""Users' ID numbers are stored in the one normalised form (upper-case X, ASCII digits, no
spaces), as the new IdNumberField stores them from now on. History rows are left as they
were recorded."""

import unicodedata

from django.db import migrations


def normalised(value: str) -> str:
    # The rule of hardship.idnumber.normalise_id_number, frozen here for this migration.
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def normalise_users(apps, schema_editor):
    User = apps.get_model("hardship", "User")
    for pk, value in User.objects.exclude(id_number="").values_list("pk", "id_number").iterator():
        if normalised(value) != value:
            User.objects.filter(pk=pk).update(id_number=normalised(value))


class Migration(migrations.Migration):
    dependencies = [("hardship", "0006_user_id_number_normalised")]
    operations = [migrations.RunPython(normalise_users, migrations.RunPython.noop)]
