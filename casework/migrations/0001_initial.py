"""Casework's models, taken over from the apps below without moving their tables."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0008_fill_filing_approval_begun'),
        ('households', '0011_annualreview_moves_to_casework'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Annual reviews come from households with their tables (db_table and the history's
        # table_name keep the old names): only Django's state changes, no table moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AnnualReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reviewed_on', models.DateField(verbose_name='复核日期')),
                        ('outcome', models.CharField(choices=[('continue', '继续在档帮扶'), ('change', '调整困难类别或程度'), ('propose_exit', '提出脱困'), ('propose_cancel', '提出注销')], max_length=16, verbose_name='复核结论')),
                        ('category_before', models.CharField(choices=[('dibao', '低保户'), ('near_dibao', '低保边缘户'), ('accident', '意外致困户')], max_length=16, verbose_name='复核前类别')),
                        ('level_before', models.CharField(choices=[('hardship', '困难'), ('extreme', '特困')], max_length=16, verbose_name='复核前程度')),
                        ('category_after', models.CharField(choices=[('dibao', '低保户'), ('near_dibao', '低保边缘户'), ('accident', '意外致困户')], max_length=16, verbose_name='复核后类别')),
                        ('level_after', models.CharField(choices=[('hardship', '困难'), ('extreme', '特困')], max_length=16, verbose_name='复核后程度')),
                        ('per_capita', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='复核时人均月收入（元）')),
                        ('notes', models.TextField(verbose_name='复核情况说明')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='记录时间')),
                        ('application', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.application', verbose_name='由此提出的申请')),
                        ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='households.household', verbose_name='困难职工档案')),
                        ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='复核人')),
                    ],
                    options={
                        'verbose_name': '年度复核',
                        'verbose_name_plural': '年度复核',
                        'db_table': 'households_annualreview',
                        'ordering': ['-reviewed_on', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalAnnualReview',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('reviewed_on', models.DateField(verbose_name='复核日期')),
                        ('outcome', models.CharField(choices=[('continue', '继续在档帮扶'), ('change', '调整困难类别或程度'), ('propose_exit', '提出脱困'), ('propose_cancel', '提出注销')], max_length=16, verbose_name='复核结论')),
                        ('category_before', models.CharField(choices=[('dibao', '低保户'), ('near_dibao', '低保边缘户'), ('accident', '意外致困户')], max_length=16, verbose_name='复核前类别')),
                        ('level_before', models.CharField(choices=[('hardship', '困难'), ('extreme', '特困')], max_length=16, verbose_name='复核前程度')),
                        ('category_after', models.CharField(choices=[('dibao', '低保户'), ('near_dibao', '低保边缘户'), ('accident', '意外致困户')], max_length=16, verbose_name='复核后类别')),
                        ('level_after', models.CharField(choices=[('hardship', '困难'), ('extreme', '特困')], max_length=16, verbose_name='复核后程度')),
                        ('per_capita', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='复核时人均月收入（元）')),
                        ('notes', models.TextField(verbose_name='复核情况说明')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='记录时间')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('application', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.application', verbose_name='由此提出的申请')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('household', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='households.household', verbose_name='困难职工档案')),
                        ('reviewer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='复核人')),
                    ],
                    options={
                        'verbose_name': 'historical 年度复核',
                        'verbose_name_plural': 'historical 年度复核',
                        'db_table': 'households_historicalannualreview',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
            database_operations=[],
        ),
    ]
