"""Tamper evidence: ledger rows and approval decisions are hash-chained, and
`verify_integrity` names the first row changed or removed behind the application's back."""

import io
from decimal import Decimal

import pytest
from auditkit import allow_ledger_writes, effective, pay, sql
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from audit import services
from audit.models import IntegrityRun
from audit.services import verify_integrity
from cases.models import Decision
from funds import ledger
from funds.models import LedgerEntry
from hardship import chain
from hardship.models import ChainHead


def run_command():
    out = io.StringIO()
    call_command("verify_integrity", stdout=out)
    return out.getvalue()


def failing_command():
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_integrity", stdout=out)
    return out.getvalue()


@pytest.fixture
def activity(staff, household_g1a, household_g2a, fund_c1, finance_c1):
    """Normal work: applications through the chain (one returned and resubmitted), a
    receipt, two payments and a reversal."""
    from casekit import act, file

    paid = effective(staff, household_g1a, "3000")
    first = pay(finance_c1, fund_c1, paid, "1000", on=timezone.localdate())
    second = pay(finance_c1, fund_c1, paid, "500", on=timezone.localdate())
    ledger.entry_reverse(actor=finance_c1, entry=second, reason="金额有误，冲销。")
    returned = file(staff["caseworker"], household_g1a, "emergency", "800")
    act(staff["chair"], returned, "return", comment="请补充说明。")
    return {"payment": first, "application": paid}


# Normal activity -------------------------------------------------------------------------------


def test_auditor_can_verify_that_untouched_chains_are_intact(activity):
    output = run_command()
    run = IntegrityRun.objects.get()
    assert run.ok is True
    assert run.checked == LedgerEntry.objects.count() + Decision.objects.count()
    assert LedgerEntry.objects.count() == 4 and Decision.objects.count() >= 7
    assert "Integrity check passed" in output and str(run.checked) in output


def test_auditor_can_see_every_row_linked_to_the_one_before(activity):
    for model in (LedgerEntry, Decision):
        rows = list(model.objects.order_by("pk"))
        assert rows[0].prev_hash == chain.GENESIS
        for before, after in zip(rows, rows[1:], strict=False):
            assert after.prev_hash == before.row_hash
        assert ChainHead.objects.get(name=model.CHAIN).last_hash == rows[-1].row_hash


def test_auditor_can_verify_an_empty_system(db):
    run = verify_integrity()
    assert (run.ok, run.checked) == (True, 0)


# Decisions changed or removed in SQL ------------------------------------------------------------


def test_auditor_can_find_a_decision_whose_comment_was_changed_in_sql(activity):
    target = Decision.objects.exclude(comment="").order_by("pk")[2]
    sql("UPDATE cases_decision SET comment = %s WHERE id = %s", ["同意（已改）", target.pk])

    output = failing_command()

    assert f"id={target.pk}" in output
    run = IntegrityRun.objects.get()
    assert run.ok is False
    assert f"审批记录：记录 id={target.pk}（第 {target.chain_position} 条）" in run.report
    assert "被改动" in run.report
    assert "资金台账：4 条记录完整" in run.report


def test_auditor_can_find_a_decision_whose_action_was_changed_in_sql(activity):
    target = Decision.objects.filter(action="return").get()
    sql("UPDATE cases_decision SET action = 'approve' WHERE id = %s", [target.pk])
    assert f"id={target.pk}" in failing_command()


def test_auditor_is_told_which_decision_was_removed_from_the_middle(activity):
    rows = list(Decision.objects.order_by("pk"))
    removed, following = rows[3], rows[4]
    sql("DELETE FROM cases_decision WHERE id = %s", [removed.pk])
    output = failing_command()
    # The removed row itself, by id and position, not the row after it.
    assert (
        f"审批记录：缺少第 {removed.chain_position} 条记录（id={removed.pk}），"
        f"位于 id={rows[2].pk} 与 id={following.pk} 之间：被删除。"
    ) in output
    assert "被改动" not in IntegrityRun.objects.get().report


def test_auditor_can_find_the_last_decision_removed(activity):
    last = Decision.objects.order_by("-pk").first()
    sql("DELETE FROM cases_decision WHERE id = %s", [last.pk])

    failing_command()

    run = IntegrityRun.objects.get()
    assert run.ok is False
    assert (
        f"审批记录：末尾缺少第 {last.chain_position} 条记录（id={last.pk}）：被删除。" in run.report
    )
    assert "资金台账：末尾" not in run.report


# Ledger rows changed in SQL -----------------------------------------------------------------------


def test_finance_cannot_change_a_ledger_row_in_sql(activity):
    entry = activity["payment"]
    with pytest.raises(DatabaseError), transaction.atomic():
        sql("UPDATE funds_ledgerentry SET amount = -1 WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("-1000.00")


def test_auditor_can_find_a_ledger_amount_changed_with_the_trigger_off(activity):
    entry = activity["payment"]
    allow_ledger_writes()
    sql("UPDATE funds_ledgerentry SET amount = -100 WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("-100.00")

    output = failing_command()

    assert f"id={entry.pk}" in output
    run = IntegrityRun.objects.get()
    assert f"资金台账：记录 id={entry.pk}（第 {entry.chain_position} 条）内容" in run.report
    assert "审批记录：" in run.report and "条记录完整" in run.report


def test_auditor_can_find_the_last_ledger_row_removed_with_the_trigger_off(activity):
    last = LedgerEntry.objects.order_by("-pk").first()
    allow_ledger_writes()
    sql("DELETE FROM funds_ledgerentry WHERE id = %s", [last.pk])
    failing_command()
    assert (
        f"资金台账：末尾缺少第 {last.chain_position} 条记录（id={last.pk}）"
        in IntegrityRun.objects.get().report
    )


def test_finance_cannot_delete_a_ledger_row_after_a_test_switched_the_trigger_off(activity):
    """The previous test's DROP/DISABLE was rolled back with its transaction."""
    with pytest.raises(DatabaseError), transaction.atomic():
        sql("DELETE FROM funds_ledgerentry WHERE id = %s", [activity["payment"].pk])


def test_auditor_can_find_changed_or_missing_rows_in_memory_copies(activity):
    rows = list(LedgerEntry.objects.order_by("pk"))
    content = LedgerEntry.chain_content
    walk = chain.verify(rows, content)
    assert (walk.checked, walk.problems) == (len(rows), [])

    changed = list(LedgerEntry.objects.order_by("pk"))
    changed[2].payee_name = "别人"
    walk = chain.verify(changed, content)
    assert [(p.kind, p.pk, p.position) for p in walk.problems] == [("content", changed[2].pk, 3)]

    missing = rows[:1] + rows[2:]
    (gap,) = chain.verify(missing, content).problems
    assert (gap.kind, gap.position, gap.candidate_pks) == ("missing", 2, (rows[1].pk,))
    assert (gap.before_pk, gap.after_pk) == (rows[0].pk, rows[2].pk)

    # Ids skipped by the sequence (a rolled-back insert) make the id uncertain, never wrong:
    # the position is still exact and the id is given as a range.
    rows[2].pk += 5
    (gap,) = chain.verify(missing, content).problems
    assert (gap.position, gap.candidate_pks) == (2, ())
    assert (
        services._problem_line("资金台账", gap)
        == f"资金台账：缺少第 2 条记录（原 id 在 {rows[0].pk} 与 {rows[2].pk} 之间），"
        f"位于 id={rows[2].pk} 之前：被删除。"
    )


# The auditors' page --------------------------------------------------------------------------------


def test_auditor_can_see_the_last_verification_and_its_result(client, activity, auditor_fed):
    run_command()
    client.force_login(auditor_fed)
    page = client.get(reverse("auditor_page")).content.decode()
    assert "完整" in page and "发现篡改" not in page

    target = Decision.objects.order_by("pk")[1]
    sql("UPDATE cases_decision SET comment = 'x' WHERE id = %s", [target.pk])
    failing_command()
    response = client.get(reverse("auditor_page"))
    last = response.context["last_run"]
    assert last == IntegrityRun.objects.order_by("-at", "-pk").first() and last.ok is False
    page = response.content.decode()
    assert "发现篡改" in page
    assert f"id={target.pk}" in page


def test_auditor_can_see_that_verification_never_ran(client, db, auditor_fed):
    client.force_login(auditor_fed)
    page = client.get(reverse("auditor_page")).content.decode()
    assert "尚未运行过完整性校验" in page
