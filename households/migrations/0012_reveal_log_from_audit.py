"""The reveal log moves from the audit app to the registry, whose pages write it (issue 13,
"one way down"). State only: the table keeps its name (audit_reveallog) and rows, and audit
0008 drops the model from its own state after this."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0011_annualreview_moves_to_casework"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The table is created by the audit app's migrations.
        ("audit", "0003_chain_head_rows_and_last_id"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RevealLog",
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
                            "field",
                            models.CharField(
                                choices=[
                                    ("id_number", "身份证号"),
                                    ("phone", "联系电话"),
                                    ("bank_account", "银行卡号"),
                                    ("health", "健康状况"),
                                    ("members", "家庭成员身份证号与健康状况"),
                                    ("contact_phone", "联系人电话"),
                                    ("evidence", "证明材料"),
                                    (
                                        "edit_form",
                                        "编辑表单（完整身份证号、电话、银行卡号、家庭成员）",
                                    ),
                                ],
                                max_length=16,
                                verbose_name="字段",
                            ),
                        ),
                        (
                            "at",
                            models.DateTimeField(
                                auto_now_add=True, db_index=True, verbose_name="时间"
                            ),
                        ),
                        (
                            "household",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="households.household",
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
                        "verbose_name": "查看敏感信息记录",
                        "verbose_name_plural": "查看敏感信息记录",
                        "db_table": "audit_reveallog",
                        "ordering": ["-at", "-pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
