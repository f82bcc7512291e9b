"""The bank's return file: paid rows confirmed, failed rows reversed through the ledger with
the bank's reason and the household's card flagged; the same file twice changes nothing;
totals that disagree, rows that do not match and files of the wrong shape import nothing."""

from decimal import Decimal

import pytest
from bankkit import lines_of, plan_batch, return_file, upload
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from fundkit import balance_of, reverse_entry

from bank import services
from bank.models import BatchLine, PaymentBatch, ReturnFile
from funds.models import LedgerEntry
from households.models import Household

pytestmark = pytest.mark.django_db


def _import(finance, batch, content, name="回盘.csv"):
    return services.return_import(actor=finance, batch=batch, content=content, file_name=name)


@pytest.fixture
def sent(finance_c1, posted_plan, icbc):
    return plan_batch(finance_c1, posted_plan, icbc)


def test_failed_rows_are_reversed_with_the_banks_reason_and_the_cards_flagged(
    finance_c1, sent, fund_c1
):
    lines = lines_of(sent)
    before = balance_of(fund_c1)
    hashes = {line.entry_id: line.entry.row_hash for line in lines}
    failed = {lines[1]: "账户已销户", lines[3]: "户名与账号不符"}
    outcome = _import(finance_c1, sent, return_file(sent, failed))
    assert (outcome.paid, outcome.failed, outcome.repeated) == (2, 2, False)

    lines = lines_of(sent)
    assert [line.state for line in lines] == ["paid", "failed", "paid", "failed"]
    for line in (lines[1], lines[3]):
        reversal = line.reversal
        assert reversal.kind == LedgerEntry.Kind.REVERSAL and reversal.reverses_id == line.entry_id
        assert reversal.amount == Decimal("600.00")
        assert line.reason in reversal.note and sent.number in reversal.note
        household = Household.objects.get(pk=line.household_id)
        assert household.card_problem == line.reason and household.card_problem_at
    assert Household.objects.exclude(card_problem="").count() == 2
    assert balance_of(fund_c1) == before + Decimal("1200")
    # The payments' own rows are untouched: the state is on the batch line.
    for line in lines:
        assert LedgerEntry.objects.get(pk=line.entry_id).row_hash == hashes[line.entry_id]
    sent.refresh_from_db()
    assert sent.state == PaymentBatch.State.SETTLED
    assert services.ledger_net(sent) == Decimal("1200.00")


def test_the_same_file_twice_changes_nothing(finance_c1, sent):
    lines = lines_of(sent)
    content = return_file(sent, {lines[0]: "账户已冻结"})
    _import(finance_c1, sent, content)
    ledger_rows = LedgerEntry.objects.count()
    again = _import(finance_c1, sent, content, name="同一个文件.csv")
    assert again.repeated and (again.paid, again.failed) == (3, 1)
    assert LedgerEntry.objects.count() == ledger_rows
    assert ReturnFile.objects.count() == 1
    # Another file for a settled batch is refused, the first stays.
    with pytest.raises(services.ReturnRefused, match="已经导入过回盘文件"):
        _import(finance_c1, sent, return_file(sent))


def test_totals_that_disagree_import_nothing_and_show_the_difference(finance_c1, sent):
    content = return_file(sent).decode("gbk").replace("600.00", "650.00", 1).encode("gbk")
    with pytest.raises(services.ReturnRefused) as refused:
        _import(finance_c1, sent, content)
    problems = " ".join(refused.value.problems)
    assert "批次合计 2,400.00 元，回盘文件合计 2,450.00 元（相差 50.00 元）" in problems
    assert [row.number for row in refused.value.rows] == [2]  # the first row under the header
    assert "金额 650.00 元与本批次该卡号的金额 600.00 元不符" in refused.value.rows[0].errors[0]
    assert {line.state for line in lines_of(sent)} == {BatchLine.State.SENT}
    assert ReturnFile.objects.count() == 0


def test_a_payment_reversed_in_the_ledger_meanwhile_stops_the_import(finance_c1, sent):
    """The bank paid the whole batch, but someone reversed a line's payment by hand: batch,
    file and ledger no longer agree, and the import says by how much."""
    line = lines_of(sent)[2]
    reverse_entry(finance_c1, line.entry, reason="误以为未到账，手工冲销。")
    ledger_rows = LedgerEntry.objects.count()
    with pytest.raises(services.ReturnRefused) as refused:
        _import(finance_c1, sent, return_file(sent))
    assert "台账净发放 1,800.00 元（相差 -600.00 元）" in " ".join(refused.value.problems)
    assert LedgerEntry.objects.count() == ledger_rows


def test_one_bad_row_imports_no_row(finance_c1, sent):
    lines = lines_of(sent)
    text = return_file(sent, {lines[0]: "账户已销户"}).decode("gbk")
    text = text.replace(lines[2].account, "62220200000000009999", 1)  # 20 digits
    with pytest.raises(services.ReturnRefused) as refused:
        _import(finance_c1, sent, text.encode("gbk"))
    (row,) = refused.value.rows
    assert row.number == 4 and "12至19位数字" in row.errors[0]
    assert Household.objects.exclude(card_problem="").count() == 0
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSAL).count() == 0


def test_a_failed_row_needs_the_banks_reason(finance_c1, sent):
    lines = lines_of(sent)
    text = return_file(sent, {lines[0]: "卡已挂失"}).decode("gbk").replace("卡已挂失", "")
    with pytest.raises(services.ReturnRefused) as refused:
        _import(finance_c1, sent, text.encode("gbk"))
    assert "失败的行须有银行给出的失败原因" in refused.value.rows[0].errors[0]


def test_files_of_the_wrong_encoding_or_shape_get_a_clear_message(finance_c1, sent, abc):
    utf8 = return_file(sent).decode("gbk").encode("utf-8")
    with pytest.raises(ValidationError, match="文件不是 GBK 编码"):
        _import(finance_c1, sent, utf8)
    wrong_columns = "账号,金额,结果\r\n".encode("gbk")
    with pytest.raises(ValidationError, match="缺少列：收款账号、处理结果、失败原因"):
        _import(finance_c1, sent, wrong_columns)
    xlsx = return_file(plan_batch_like(sent, abc))
    with pytest.raises(ValidationError, match="上传的是 Excel 文件"):
        _import(finance_c1, sent, xlsx)
    with pytest.raises(ValidationError, match="文件是空的"):
        _import(finance_c1, sent, b"")


def plan_batch_like(batch, template):
    """The same batch as if made with another template (not saved): its return file shape."""
    batch.template = template
    return batch


def test_a_batch_not_yet_sent_takes_no_return_file(finance_c1, posted_plan, icbc):
    batch = plan_batch(finance_c1, posted_plan, icbc, sent=False)
    with pytest.raises(services.ReturnRefused, match="尚未送银行"):
        _import(finance_c1, batch, return_file(batch))


def test_only_finance_imports(auditor_fed, reviewer_c1, sent):
    for actor in (auditor_fed, reviewer_c1):
        with pytest.raises(PermissionDenied):
            _import(actor, sent, return_file(sent))


def test_the_import_page_shows_the_row_report(client, finance_c1, sent):
    client.force_login(finance_c1)
    content = return_file(sent).decode("gbk").replace("600.00", "60.00", 1).encode("gbk")
    response = client.post(
        reverse("bank_return_import", args=[sent.pk]), {"file": upload("回盘.csv", content)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "回盘文件没有导入，没有写入任何记录" in html and "相差 -540.00 元" in html


def test_the_card_flag_shows_on_the_file_and_the_caseworkers_list_until_the_card_changes(
    client, finance_c1, caseworker_g1a, reviewer_c1, sent, org
):
    lines = lines_of(sent)
    _import(finance_c1, sent, return_file(sent, {lines[0]: "账户已销户"}))
    household = Household.objects.get(pk=lines[0].household_id)
    client.force_login(reviewer_c1)
    page = client.get(reverse("household_detail", args=[household.pk])).content.decode()
    assert 'id="card-problem"' in page and "账户已销户" in page
    listed = client.get(reverse("bank_cards_to_fix"))
    assert list(listed.context["page"]) == [household]
    assert listed.context["nav_cards_to_fix"] == 1
    # The caseworker of G1a sees none of G1b's cards.
    client.force_login(caseworker_g1a)
    assert list(client.get(reverse("bank_cards_to_fix")).context["page"]) == []


def test_a_flagged_card_takes_no_bank_payment_until_it_is_changed(finance_c1, sent):
    from households import cards

    line = lines_of(sent)[0]
    _import(finance_c1, sent, return_file(sent, {line: "账户已销户"}))
    household = Household.objects.get(pk=line.household_id)
    assert "银行退回" in cards.pending_card_refusal(household)
    stored = Household.objects.get(pk=household.pk)
    household.bank_account = "6217000099998888777"
    cards.note_card_change(actor=finance_c1, stored=stored, household=household)
    assert household.card_problem == "" and household.card_problem_at is None


def test_a_file_too_large_is_refused_before_it_is_read(client, finance_c1, sent, monkeypatch):
    from bank import batchfile

    monkeypatch.setattr(batchfile, "MAX_RETURN_BYTES", 100)
    client.force_login(finance_c1)
    response = client.post(
        reverse("bank_return_import", args=[sent.pk]),
        {"file": upload("回盘.csv", return_file(sent))},
    )
    assert response.status_code == 400 and "文件过大" in response.content.decode()
    assert ReturnFile.objects.count() == 0
