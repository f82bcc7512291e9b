"""Year totals kept beside the ledger, and what the reports group a payment by carried on
the payment's own row. The rows already posted take their household's union, main cause and
model-worker title as they stand now (the best knowledge there is); 0018 sums the totals."""

import importlib
from decimal import Decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# SQLite rebuilds the table for a new constraint, which drops its triggers: put those of
# 0002 and 0007 back (PostgreSQL keeps them through ALTER TABLE).
APPEND_ONLY = importlib.import_module("funds.migrations.0002_ledger_append_only")
DATE_GUARD = importlib.import_module("funds.migrations.0007_ledger_posting_date_guard")


def _append_only(schema_editor, enabled: bool) -> None:
    if schema_editor.connection.vendor == "postgresql":
        state = "ENABLE" if enabled else "DISABLE"
        schema_editor.execute(f"ALTER TABLE funds_ledgerentry {state} TRIGGER funds_ledger_append_only")
    elif schema_editor.connection.vendor == "sqlite":
        for statement in APPEND_ONLY.SQLITE_DOWN + (APPEND_ONLY.SQLITE_UP if enabled else []):
            schema_editor.execute(statement)


def stamp_posted_rows(apps, schema_editor):
    LedgerEntry = apps.get_model("funds", "LedgerEntry")
    Household = apps.get_model("households", "Household")
    HardshipCause = apps.get_model("households", "HardshipCause")
    payments = LedgerEntry.objects.filter(kind="payment")
    if not payments.exists():
        return
    _append_only(schema_editor, False)
    household = Household.objects.filter(pk=OuterRef("household_id"))
    payments.update(
        union_id=Subquery(household.values("union_id")[:1]),
        main_cause=Subquery(household.values("main_cause")[:1]),
    )
    for pk, title in Household.objects.filter(is_model_worker=True).values_list(
        "pk", "model_worker_title"
    ):
        payments.filter(household_id=pk).update(model_worker=title or "untitled")
    # A file saved before a main cause could be chosen: the first of its causes in the
    # form's order (households.models.main_cause_by_default).
    from households.models import main_cause_by_default

    for pk in payments.filter(main_cause="").values_list("household_id", flat=True).distinct():
        causes = HardshipCause.objects.filter(household_id=pk).values_list("cause", flat=True)
        payments.filter(household_id=pk).update(main_cause=main_cause_by_default(causes))
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    _append_only(schema_editor, True)


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in APPEND_ONLY.SQLITE_DOWN + APPEND_ONLY.SQLITE_UP:
            schema_editor.execute(statement)
        for statement in DATE_GUARD.SQLITE_DOWN + DATE_GUARD.SQLITE_UP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0011_application_measure'),
        ('funds', '0016_plan_campaigns'),
        ('hardship', '0016_unit_headcount'),
        ('households', '0017_tags_and_model_worker_titles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AidYearTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('union', models.PositiveIntegerField(default=0)),
                ('facet', models.CharField(choices=[('all', '合计'), ('aid_type', '帮扶类型'), ('cause', '主要致困原因'), ('model_worker', '困难劳模'), ('condolence', '慰问'), ('goods', '物资'), ('month', '月份')], max_length=16)),
                ('value', models.CharField(blank=True, max_length=100)),
                ('quantity_unit', models.CharField(blank=True, max_length=10)),
                ('paid', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14)),
                ('reversed', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14)),
                ('standing', models.PositiveIntegerField(default=0)),
                ('standing_value', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14)),
                ('standing_quantity', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14)),
                ('households', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='FundYearTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('flow', models.CharField(choices=[('receipt', '到账'), ('receipt_reversal', '到账冲销'), ('payment', '发放'), ('payment_reversal', '发放冲销'), ('loan_out', '借出'), ('loan_repayment', '还款'), ('loan_repayment_reversal', '还款冲销')], max_length=24)),
                ('amount', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14)),
                ('entries', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name='ledgerentry',
            name='main_cause',
            field=models.CharField(blank=True, editable=False, max_length=16, verbose_name='主要致困原因'),
        ),
        migrations.AddField(
            model_name='ledgerentry',
            name='model_worker',
            field=models.CharField(blank=True, editable=False, max_length=16, verbose_name='困难劳模'),
        ),
        migrations.AddField(
            model_name='ledgerentry',
            name='union',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='hardship.unit', verbose_name='基层工会'),
        ),
        migrations.RunPython(stamp_posted_rows, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'payment'), _negated=True), ('union__isnull', False), _connector='OR'), name='ledger_payment_names_its_union'),
        ),
        migrations.AddField(
            model_name='aidyeartotal',
            name='scope',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='hardship.unit'),
        ),
        migrations.AddField(
            model_name='fundyeartotal',
            name='fund',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='funds.fund'),
        ),
        migrations.AddConstraint(
            model_name='aidyeartotal',
            constraint=models.UniqueConstraint(fields=('scope', 'year', 'union', 'facet', 'value', 'quantity_unit'), name='aid_year_total_key'),
        ),
        migrations.AddConstraint(
            model_name='aidyeartotal',
            constraint=models.CheckConstraint(condition=models.Q(('paid__gte', 0), ('reversed__gte', 0), ('standing_value__gte', 0)), name='aid_year_total_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='fundyeartotal',
            constraint=models.UniqueConstraint(fields=('fund', 'year', 'flow'), name='fund_year_total_key'),
        ),
        # The totals are summed from the ledger by 0018, after the last column they read.
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
