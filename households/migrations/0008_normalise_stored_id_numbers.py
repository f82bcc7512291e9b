"""Households' and members' ID numbers are stored in the one normalised form (upper-case X,
ASCII digits, no spaces), as the new IdNumberField stores them from now on.

Two files in file whose workers differ only by the case of the X are one person in file
twice, which the one-file-per-worker index exists to stop: the migration then stops and
names both files, for the union to cancel one before migrating again. History rows are left
as they were recorded; ledger rows (payee_id_number) are append-only and stay as written,
and nothing compares them."""

import unicodedata

from django.db import migrations


def normalised(value: str) -> str:
    # The rule of hardship.idnumber.normalise_id_number, frozen here for this migration.
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def _fix(model):
    rows = model.objects.exclude(id_number="").values_list("pk", "id_number").iterator()
    changes = {pk: normalised(value) for pk, value in rows if normalised(value) != value}
    for pk, value in changes.items():
        model.objects.filter(pk=pk).update(id_number=value)


def normalise(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    Member = apps.get_model("households", "Member")
    rows = Household.objects.filter(status="in_file").values_list("file_number", "id_number")
    seen, clashes = {}, []
    for file_number, value in rows.iterator():
        other = seen.setdefault(normalised(value), file_number)
        if other != file_number:
            clashes.append(f"{other} / {file_number}")
    if clashes:
        raise RuntimeError(
            "These files in file name the same worker (ID numbers differing only in case or "
            "spacing); cancel one of each pair, then migrate again: " + ", ".join(clashes)
        )
    _fix(Household)
    _fix(Member)


class Migration(migrations.Migration):
    dependencies = [("households", "0007_bank_card_changes_and_id_numbers_normalised")]
    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
