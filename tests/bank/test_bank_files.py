"""The bank's file in the bank's template: GBK CSV and xlsx, amounts in yuan or in fen, the
header lines filled in, a name GBK cannot hold refused; the download is for finance and is
logged; the templates are data in the admin site."""

import io

import pytest
from bankkit import lines_of, plan_batch, read_csv, return_file
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from bank import batchfile, services
from bank.examples import add_examples
from bank.models import BatchTemplate, TemplateColumn
from hardship.models import ExportLog

pytestmark = pytest.mark.django_db


def test_the_icbc_file_is_gbk_with_its_header_lines_and_yuan(finance_c1, posted_plan, icbc):
    batch = plan_batch(finance_c1, posted_plan, icbc, sent=False)
    content = services.batch_file(actor=finance_c1, batch=batch)
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    rows = read_csv(content, "gbk")
    assert rows[0] == [
        "批次号",
        batch.number,
        "付款账号",
        "0200001234567890123",
        "付款户名",
        "第一公司工会帮扶资金专户",
    ]
    assert rows[1][:4] == ["总笔数", "4", "总金额", "2400.00"]
    assert rows[2] == ["序号", "收款账号", "收款户名", "金额", "用途", "备注"]
    lines = lines_of(batch)
    assert rows[3:] == [
        [
            str(i),
            line.account,
            line.entry.payee_name,
            "600.00",
            posted_plan.name,
            line.entry.voucher,
        ]
        for i, line in enumerate(lines, start=1)
    ]
    # Rare characters of names survive the round trip through GBK.
    assert {"李堃", "赵喆", "钱赟"} <= {row[2] for row in rows[3:]}


def test_gbk_round_trip_of_the_return_file(finance_c1, posted_plan, icbc):
    batch = plan_batch(finance_c1, posted_plan, icbc)
    line = lines_of(batch)[1]
    content = return_file(batch, {line: "户名与账号不符（堃）"})
    rows = batchfile.read_return(icbc, content)
    assert [(r.account, r.paid) for r in rows][1] == (line.account, False)
    assert rows[1].reason == "户名与账号不符（堃）"


def test_a_name_gbk_cannot_hold_stops_the_export_and_names_the_row(
    finance_c1, org, committee_c1, fund_c1, icbc
):
    """A name with a character outside GBK (an extension-B character) would reach the bank
    as a question mark: the file is refused, naming the row."""
    from factories import HouseholdFactory
    from fundkit import approve, new_plan, submit

    from funds import plans

    HouseholdFactory(
        in_file=True, union=org.g1b, worker_name="王𠀾", bank_account="6222020000000000995"
    )
    plan = approve(submit(new_plan(finance_c1, fund_c1, org.g1b)), committee_c1)
    plans.plan_post(actor=finance_c1, plan=plan)
    batch = plan_batch(finance_c1, plan, icbc, sent=False)
    with pytest.raises(ValidationError, match="第 4 行的“𠀾”无法用 GBK 编码写入银行文件"):
        services.batch_file(actor=finance_c1, batch=batch)


def test_the_abc_file_is_xlsx_in_fen_with_card_numbers_as_text(finance_c1, posted_plan, abc):
    batch = plan_batch(finance_c1, posted_plan, abc, sent=False)
    sheet = load_workbook(io.BytesIO(services.batch_file(actor=finance_c1, batch=batch))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["单位名称", "第一公司工会"]
    assert rows[1] == ["代发笔数", "4", "代发金额（分）", "240000", None]
    assert rows[2] == ["卡号", "姓名", "身份证号", "金额（分）", "摘要"]
    line = lines_of(batch)[0]
    assert rows[3][0] == line.account and isinstance(rows[3][0], str)
    assert rows[3][2] == line.entry.payee_id_number and rows[3][3] == "60000"


def test_fen_amounts_are_read_back_in_fen(finance_c1, posted_plan, abc):
    batch = plan_batch(finance_c1, posted_plan, abc)
    outcome = services.return_import(
        actor=finance_c1, batch=batch, content=return_file(batch), file_name="回盘.xlsx"
    )
    assert (outcome.paid, outcome.failed) == (4, 0)
    assert outcome.imported.total == 2400


def test_an_administrator_configures_a_template_in_the_admin_site(admin_client):
    # The examples bank.0002 ships, as the migration adds them: a transactional test run
    # earlier in the same process flushes what the migrations wrote.
    add_examples(BatchTemplate, TemplateColumn)
    response = admin_client.get(reverse("admin:bank_batchtemplate_changelist"))
    assert response.status_code == 200
    assert "工商银行代发（示例）" in response.content.decode()
    template = BatchTemplate.objects.create(
        name="建设银行代发",
        bank_name="中国建设银行",
        encoding=BatchTemplate.Encoding.UTF8_BOM,
        amount_format=BatchTemplate.AmountFormat.FEN,
        column_headers=False,
        return_account="账号",
        return_amount="金额",
        return_status="状态",
        return_reason="原因",
    )
    for position, field in enumerate(["amount", "account", "name"], start=1):
        TemplateColumn.objects.create(
            template=template, position=position, field=field, header=field
        )
    assert (
        admin_client.get(reverse("admin:bank_batchtemplate_change", args=[template.pk])).status_code
        == 200
    )


def test_a_template_in_the_order_the_administrator_set(finance_c1, posted_plan):
    template = BatchTemplate.objects.create(
        name="建设银行代发",
        bank_name="中国建设银行",
        encoding=BatchTemplate.Encoding.UTF8_BOM,
        amount_format=BatchTemplate.AmountFormat.FEN,
        column_headers=False,
        return_account="账号",
        return_amount="金额",
        return_status="状态",
        return_reason="原因",
    )
    for position, field in ((3, "name"), (1, "amount"), (2, "account")):
        TemplateColumn.objects.create(
            template=template, position=position, field=field, header=field
        )
    batch = plan_batch(finance_c1, posted_plan, template, sent=False)
    content = services.batch_file(actor=finance_c1, batch=batch)
    assert content.startswith("\ufeff".encode())
    line = lines_of(batch)[0]
    assert read_csv(content, "utf-8-sig")[0] == ["60000", line.account, line.entry.payee_name]


def test_the_download_is_logged_and_for_finance_only(
    client, finance_c1, committee_c1, posted_plan, icbc
):
    batch = plan_batch(finance_c1, posted_plan, icbc, sent=False)
    client.force_login(committee_c1)
    assert client.get(reverse("bank_batch_file", args=[batch.pk])).status_code == 403
    client.force_login(finance_c1)
    response = client.get(reverse("bank_batch_file", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).decode("gbk").count("600.00") == 4
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.rows, log.full_identity) == (
        finance_c1,
        ExportLog.Kind.BANK_FILE,
        4,
        True,
    )
    assert batch.number in log.scope
