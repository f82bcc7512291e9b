"""Visits come from cases with their tables (db_table and the history's table_name keep
their names): Django's state only. Then the link to the goods' ledger row, which the ledger
held until now (funds.0010), becomes a column of the visit, filled from the ledger."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def link_goods(apps, schema_editor):
    Visit = apps.get_model("casework", "Visit")
    LedgerEntry = apps.get_model("funds", "LedgerEntry")
    for entry_id, visit_id in LedgerEntry.objects.filter(visit_id__isnull=False).values_list(
        "pk", "visit_id"
    ):
        Visit.objects.filter(pk=visit_id).update(ledger_entry_id=entry_id)


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0001_initial"),
        ("cases", "0009_visit_moves_to_casework"),
        ("funds", "0010_ledger_visit_number"),
        ("households", "0011_annualreview_moves_to_casework"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalVisit',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('visited_on', models.DateField(verbose_name='走访日期')),
                        ('kind', models.CharField(choices=[('regular', '日常走访'), ('festival', '节日慰问'), ('hospital', '住院必访'), ('bereavement', '丧事必访'), ('emergency', '突发事件必访')], max_length=16, verbose_name='走访类型')),
                        ('visitors', models.CharField(max_length=100, verbose_name='走访人')),
                        ('notes', models.TextField(blank=True, verbose_name='走访情况')),
                        ('goods', models.CharField(blank=True, max_length=100, verbose_name='慰问物品')),
                        ('goods_value', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='物品价值（元）')),
                        ('goods_quantity', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='数量')),
                        ('goods_unit', models.CharField(blank=True, max_length=10, verbose_name='计量单位')),
                        ('recorded_at', models.DateTimeField(blank=True, editable=False, verbose_name='记录时间')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('household', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='households.household', verbose_name='困难职工档案')),
                        ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人')),
                    ],
                    options={
                        'verbose_name': 'historical 走访慰问',
                        'verbose_name_plural': 'historical 走访慰问',
                        'db_table': 'cases_historicalvisit',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Visit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('visited_on', models.DateField(verbose_name='走访日期')),
                        ('kind', models.CharField(choices=[('regular', '日常走访'), ('festival', '节日慰问'), ('hospital', '住院必访'), ('bereavement', '丧事必访'), ('emergency', '突发事件必访')], max_length=16, verbose_name='走访类型')),
                        ('visitors', models.CharField(max_length=100, verbose_name='走访人')),
                        ('notes', models.TextField(blank=True, verbose_name='走访情况')),
                        ('goods', models.CharField(blank=True, max_length=100, verbose_name='慰问物品')),
                        ('goods_value', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='物品价值（元）')),
                        ('goods_quantity', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='数量')),
                        ('goods_unit', models.CharField(blank=True, max_length=10, verbose_name='计量单位')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='记录时间')),
                        ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='households.household', verbose_name='困难职工档案')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人')),
                    ],
                    options={
                        'verbose_name': '走访慰问',
                        'verbose_name_plural': '走访慰问',
                        'db_table': 'cases_visit',
                        'ordering': ['-visited_on', '-pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('goods', ''), ('goods_value__isnull', True)), models.Q(models.Q(('goods', ''), _negated=True), ('goods_value__gte', 0)), _connector='OR'), name='visit_goods_have_value'), models.CheckConstraint(condition=models.Q(models.Q(('goods_quantity__isnull', True), ('goods_unit', '')), models.Q(('goods_quantity__gt', 0), models.Q(('goods_unit', ''), _negated=True), models.Q(('goods', ''), _negated=True)), _connector='OR'), name='visit_goods_quantity_has_unit')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="visit",
            name="ledger_entry",
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='visit', to='funds.ledgerentry', verbose_name='资金台账'),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="ledger_entry",
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funds.ledgerentry', verbose_name='资金台账'),
        ),
        migrations.RunPython(link_goods, migrations.RunPython.noop),
    ]
