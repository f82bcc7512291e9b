"""The chain head and the export log move from the audit app to the core: every ledger writes
to the chains and pages below audit write the export log (issue 13, "one way down"). State
only: the tables keep their names (audit_chainhead, audit_exportlog), rows and triggers, and
audit 0008 drops the models from its own state after this."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hardship", "0009_counter_names_for_file_numbers"),
        # The tables exist from the audit app's early migrations (the heads as they now stand
        # from 0003): later audit migrations must not hold the registry's own migrations back.
        ("audit", "0003_chain_head_rows_and_last_id"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ChainHead",
                    fields=[
                        (
                            "name",
                            models.CharField(max_length=40, primary_key=True, serialize=False),
                        ),
                        ("last_hash", models.CharField(default="", max_length=64)),
                        ("rows", models.PositiveBigIntegerField(default=0)),
                        ("last_id", models.BigIntegerField(blank=True, null=True)),
                    ],
                    options={"db_table": "audit_chainhead"},
                ),
                migrations.CreateModel(
                    name="ExportLog",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("roster", "困难职工台账"),
                                    ("annual_xlsx", "年度报表 Excel"),
                                    ("annual_pdf", "年度报表 PDF"),
                                    ("notice_pdf", "公示名单 PDF"),
                                    ("application_pdf", "申请审批表 PDF"),
                                ],
                                max_length=20,
                                verbose_name="导出内容",
                            ),
                        ),
                        ("scope", models.CharField(max_length=300, verbose_name="范围")),
                        (
                            "rows",
                            models.PositiveIntegerField(blank=True, null=True, verbose_name="行数"),
                        ),
                        (
                            "full_identity",
                            models.BooleanField(default=False, verbose_name="含完整身份信息"),
                        ),
                        (
                            "at",
                            models.DateTimeField(
                                auto_now_add=True, db_index=True, verbose_name="时间"
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "导出记录",
                        "verbose_name_plural": "导出记录",
                        "db_table": "audit_exportlog",
                        "ordering": ["-at", "-pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
