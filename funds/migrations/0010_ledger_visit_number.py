"""Visits move to casework (above funds): the ledger keeps the visit's number as posted
(visit_id, part of the row's hash) and casework holds the link (casework.Visit.ledger_entry).

State only: the column, its unique index and its database foreign key to the visits table
(which keeps its name) stay as funds.0003 made them, and the two check constraints read the
same column, so nothing in the database changes and no ledger row is touched."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0009_field_labels_for_the_audit_trail"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='ledgerentry',
                    name='ledger_payment_complete',
                ),
                migrations.RemoveConstraint(
                    model_name='ledgerentry',
                    name='ledger_visit_payment_is_in_kind',
                ),
                migrations.RemoveField(
                    model_name='ledgerentry',
                    name='visit',
                ),
                migrations.AddField(
                    model_name='ledgerentry',
                    name='visit_id',
                    field=models.PositiveBigIntegerField(blank=True, editable=False, null=True, unique=True, verbose_name='走访慰问'),
                ),
                migrations.AddConstraint(
                    model_name='ledgerentry',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'payment'), _negated=True), models.Q(('household__isnull', False), models.Q(('aid_type', ''), _negated=True), models.Q(('method', ''), _negated=True), models.Q(('payee_name', ''), _negated=True), models.Q(models.Q(('application__isnull', False), ('plan_line__isnull', True), ('visit_id__isnull', True)), models.Q(('application__isnull', True), ('plan_line__isnull', False), ('visit_id__isnull', True)), models.Q(('application__isnull', True), ('plan_line__isnull', True), ('visit_id__isnull', False)), _connector='OR')), _connector='OR'), name='ledger_payment_complete'),
                ),
                migrations.AddConstraint(
                    model_name='ledgerentry',
                    constraint=models.CheckConstraint(condition=models.Q(('visit_id__isnull', True), ('kind', 'reversal'), ('method', 'in_kind'), _connector='OR'), name='ledger_visit_payment_is_in_kind'),
                ),
            ],
            database_operations=[],
        ),
    ]
