"""Two batch-file templates shipped as examples (an administrator adjusts them to what the
bank's branch actually asks for, or adds others in the admin site). The data migration adds
them to a new database; the demo adds them again where a test database was emptied."""

EXAMPLES = [
    {
        "name": "工商银行代发（示例）",
        "bank_name": "中国工商银行",
        "file_format": "csv",
        "encoding": "gbk",
        "amount_format": "yuan",
        "header_lines": "批次号|{batch}|付款账号|{account}|付款户名|{account_name}\n总笔数|{count}|总金额|{total}|日期|{date}",
        "column_headers": True,
        "return_header_row": 1,
        "return_account": "收款账号",
        "return_amount": "金额",
        "return_status": "处理结果",
        "return_reason": "失败原因",
        "return_paid_values": "成功,处理成功",
        "columns": [
            ("sequence", "序号"),
            ("account", "收款账号"),
            ("name", "收款户名"),
            ("amount", "金额"),
            ("purpose", "用途"),
            ("reference", "备注"),
        ],
    },
    {
        "name": "农业银行代发（示例）",
        "bank_name": "中国农业银行",
        "file_format": "xlsx",
        "encoding": "utf-8",
        "amount_format": "fen",
        "header_lines": "单位名称|{unit}\n代发笔数|{count}|代发金额（分）|{total}",
        "column_headers": True,
        "return_header_row": 1,
        "return_account": "卡号",
        "return_amount": "金额（分）",
        "return_status": "状态",
        "return_reason": "备注",
        "return_paid_values": "成功,已入账",
        "columns": [
            ("account", "卡号"),
            ("name", "姓名"),
            ("id_number", "身份证号"),
            ("amount", "金额（分）"),
            ("purpose", "摘要"),
        ],
    },
]


def add_examples(BatchTemplate, TemplateColumn) -> None:
    """Adds the examples that are missing (by name); an edited example is left as it is."""
    for example in EXAMPLES:
        values = {k: v for k, v in example.items() if k != "columns"}
        template, created = BatchTemplate.objects.get_or_create(
            name=values.pop("name"), defaults=values
        )
        if created:
            TemplateColumn.objects.bulk_create(
                TemplateColumn(template=template, position=position, field=field, header=header)
                for position, (field, header) in enumerate(example["columns"], start=1)
            )
