"""What an insider with a SQL prompt (or the ORM) could do, and how `verify_integrity` and
the checkpoints kept outside the database show it. Each test first does the attack the way
such a person would: raw SQL through connection.cursor(), or the chain recomputed through the
ORM so every hash in the database agrees again."""

import datetime
import io
import json
import os
import stat
from decimal import Decimal

import pytest
from auditkit import allow_ledger_writes, effective, pay, sql
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit import checkpoint
from audit.models import IntegrityRun
from audit.registry import installed_chains
from audit.services import verify_integrity
from cases import engine
from cases.models import Application, Decision
from funds import plans
from funds.models import AidType, DistributionPlan, Fund, LedgerEntry, PlanDecision
from hardship import chain
from hardship.models import ChainHead, PolicyParameter

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="TRUNCATE and its trigger exist on PostgreSQL"
)


def failing_command(*args):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_integrity", *args, stdout=out)
    return out.getvalue()


def passing_command(*args):
    out = io.StringIO()
    call_command("verify_integrity", *args, stdout=out)
    return out.getvalue()


def write_checkpoint():
    out = io.StringIO()
    call_command("checkpoint_integrity", stdout=out)
    return checkpoint.latest()


@pytest.fixture
def paid(staff, household_g1a, fund_c1, finance_c1):
    """An emergency application of 3,000 yuan, effective, 1,000 paid from fund_c1."""
    application = effective(staff, household_g1a, "3000")
    entry = pay(finance_c1, fund_c1, application, "1000", on=timezone.localdate())
    return {"application": application, "payment": entry, "fund": fund_c1}


@pytest.fixture
def approved_plan(org, finance_c1, committee_c1, fund_c1, household_g1a):
    """A flat 600-yuan festival plan of C1 in cash (C1's policy allows festival cash),
    submitted and approved by the committee."""
    PolicyParameter.objects.create(
        key=PolicyParameter.Key.CASH_FESTIVAL,
        unit=org.c1,
        value=Decimal("1"),
        valid_from=datetime.date(2020, 1, 1),
    )
    plan = plans.plan_save(
        actor=finance_c1,
        plan=DistributionPlan(
            name="春节送温暖",
            unit=org.c1,
            fund=fund_c1,
            aid_type=AidType.FESTIVAL,
            rule=DistributionPlan.Rule.FLAT,
            flat_amount=Decimal("600"),
            method=LedgerEntry.Method.CASH,
            pay_on=timezone.localdate(),
        ),
    )
    plans.plan_submit(actor=finance_c1, plan=plan)
    return engine.decide(
        chain=plans.PLAN_APPROVAL,
        actor=committee_c1,
        obj=plan,
        action="approve",
        expected_state=DistributionPlan.State.SUBMITTED,
        comment="同意。",
    )


# Money and what a payment relies on, changed in SQL ---------------------------------------


def test_auditor_is_told_a_fund_balance_changed_in_sql(paid):
    fund = paid["fund"]
    sql("UPDATE funds_fund SET balance = balance + 5000 WHERE id = %s", [fund.pk])

    output = failing_command()

    assert (
        f"资金余额：账户“{fund.name}”（{fund.year} 年，id={fund.pk}）记载余额 54000.00 元，"
        "按台账重算为 49000.00 元，相差 5000.00 元。"
    ) in output
    # The chains themselves are intact: only the recomputation shows it.
    assert "资金台账：2 条记录完整。" in output


def test_auditor_is_told_an_application_amount_changed_in_sql(paid):
    application = paid["application"]
    sql("UPDATE cases_application SET amount = 30000 WHERE id = %s", [application.pk])

    output = failing_command()

    last = application.decisions.order_by("-chain_position").first()
    assert (
        f"申请 {application.number}（id={application.pk}）：金额 30000.00 元与最后一条审批记录"
        f"（id={last.pk}）所记 3000.00 元不一致。"
    ) in output
    assert "审批记录：" in output and "条记录完整" in output


def test_auditor_is_told_an_application_state_changed_in_sql(staff, household_g1a, db):
    from casekit import file

    application = file(staff["caseworker"], household_g1a, "emergency", "800")
    sql(
        "UPDATE cases_application SET state = 'effective', effective_on = CURRENT_DATE "
        "WHERE id = %s",
        [application.pk],
    )

    output = failing_command()

    assert f"申请 {application.number}（id={application.pk}）：状态“已生效”" in output
    assert "所记“待基层工会审查”不一致" in output


def test_every_decision_chains_the_application_kind_amount_and_resulting_state(paid):
    application = paid["application"]
    trail = list(application.decisions.order_by("chain_position"))
    assert [d.resulting_state for d in trail] == [
        "submitted",
        "grassroots_approved",
        "company_verified",
        "in_notice",
        "effective",
    ]
    assert {(d.application_kind, d.application_amount) for d in trail} == {
        ("emergency", Decimal("3000.00"))
    }
    # The snapshot is hashed: changing it in SQL breaks the row.
    target = trail[-1]
    sql("UPDATE cases_decision SET application_amount = 30000 WHERE id = %s", [target.pk])
    assert (
        f"审批记录：记录 id={target.pk}（第 {target.chain_position} 条）内容" in failing_command()
    )


def test_auditor_is_told_plan_lines_raised_after_approval(approved_plan):
    line = approved_plan.lines.get()
    sql("UPDATE funds_planline SET amount = 6000 WHERE id = %s", [line.pk])

    output = failing_command()

    assert f"发放方案“{approved_plan.name}”（id={approved_plan.pk}）：发放名单、金额" in output


def test_plan_decisions_are_a_hash_chain_of_their_own(approved_plan):
    rows = list(PlanDecision.objects.order_by("chain_position"))
    assert [(r.chain_position, r.resulting_state) for r in rows] == [
        (1, "submitted"),
        (2, "approved"),
    ]
    assert rows[0].prev_hash == chain.GENESIS and rows[1].prev_hash == rows[0].row_hash
    assert ChainHead.objects.get(name=PlanDecision.CHAIN).last_hash == rows[1].row_hash
    sql("UPDATE funds_plandecision SET action = 'reject' WHERE id = %s", [rows[1].pk])
    assert f"发放方案审批记录：记录 id={rows[1].pk}" in failing_command()


# Rows removed ------------------------------------------------------------------------------


def test_auditor_is_told_which_ledger_row_was_removed_with_the_trigger_off(paid, finance_c1):
    fund = paid["fund"]
    extra = pay(finance_c1, fund, paid["application"], "100", on=timezone.localdate())
    rows = list(LedgerEntry.objects.order_by("chain_position"))
    removed = paid["payment"]
    assert rows[-1] == extra and removed in rows
    allow_ledger_writes()
    sql("DELETE FROM funds_ledgerentry WHERE id = %s", [removed.pk])

    output = failing_command()

    assert f"资金台账：缺少第 {removed.chain_position} 条记录（id={removed.pk}）" in output


# TRUNCATE -------------------------------------------------------------------------------------


@postgres_only
@pytest.mark.parametrize(
    # Every hash-chained table the integrity check walks, so a new chain cannot be forgotten.
    "table",
    [chain.model_class._meta.db_table for chain in installed_chains()],
)
def test_truncate_is_refused_on_the_ledger_and_the_decision_tables(paid, table):
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own pending checks would block TRUNCATE
    with pytest.raises(DatabaseError, match="TRUNCATE is refused"), transaction.atomic():
        sql(f"TRUNCATE {table} CASCADE")
    assert LedgerEntry.objects.exists() and Decision.objects.exists()


@postgres_only
def test_truncate_of_the_applications_cannot_empty_the_decisions_by_cascade(paid):
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="TRUNCATE is refused"), transaction.atomic():
        sql("TRUNCATE cases_application CASCADE")
    assert Application.objects.exists()


# Checkpoints outside the database -------------------------------------------------------------


def _rechain_through_the_orm(model):
    """What an insider who knows the code does after editing rows: recompute every hash and
    the head, so the chain in the database is consistent again."""
    prev = chain.GENESIS
    for row in model.objects.order_by("chain_position"):
        row.prev_hash = prev
        row.row_hash = prev = chain.row_hash(prev, row.chain_content())
        model.objects.filter(pk=row.pk).update(prev_hash=row.prev_hash, row_hash=row.row_hash)
    ChainHead.objects.filter(name=model.CHAIN).update(last_hash=prev)


def test_checkpoint_reveals_decisions_edited_and_rechained_through_the_orm(paid):
    written = write_checkpoint()
    application = paid["application"]
    # Raise the approved amount, and every decision's record of it, then re-hash.
    sql("UPDATE cases_application SET amount = 30000 WHERE id = %s", [application.pk])
    sql(
        "UPDATE cases_decision SET application_amount = 30000 WHERE application_id = %s",
        [application.pk],
    )
    _rechain_through_the_orm(Decision)

    output = failing_command()

    last = Decision.objects.order_by("-chain_position").first()
    # Everything inside the database agrees again ...
    assert f"审批记录：{last.chain_position} 条记录完整。" in output
    assert "份申请的类型、金额和状态与最后一条审批记录一致" in output
    # ... but not with the checkpoint kept outside it.
    assert f"外部检查点 {written.name}" in output and "签名（HMAC-SHA256）有效" in output
    assert (f"审批记录：第 {last.chain_position} 条（id={last.pk}）的哈希与检查点不一致") in output
    payment = paid["payment"]
    assert f"资金台账：第 2 条（id={payment.pk}）的哈希与检查点一致" in output


def test_checkpoint_reveals_the_last_decision_removed_and_the_head_rewound(paid):
    write_checkpoint()
    last = Decision.objects.order_by("-chain_position").first()
    before = Decision.objects.get(chain_position=last.chain_position - 1)
    sql("DELETE FROM cases_decision WHERE id = %s", [last.pk])
    ChainHead.objects.filter(name=Decision.CHAIN).update(
        last_hash=before.row_hash, rows=before.chain_position, last_id=before.pk
    )
    sql("UPDATE cases_application SET state = 'in_notice' WHERE id = %s", [last.application_id])
    sql("UPDATE cases_application SET effective_on = NULL WHERE id = %s", [last.application_id])

    output = failing_command()

    assert (
        f"审批记录：检查点记录的第 {last.chain_position} 条（id={last.pk}）已不在数据库中"
    ) in output


def test_auditor_is_told_a_checkpoint_file_was_altered(paid):
    written = write_checkpoint()
    body = json.loads(written.read_text())
    body["chains"][0]["last_hash"] = "0" * 64
    os.chmod(written, 0o600)
    written.write_text(json.dumps(body))

    output = failing_command()

    assert f"外部检查点 {written.name} 的签名（HMAC-SHA256）无效" in output


def test_checkpoint_signed_with_another_key_is_not_trusted(paid, settings):
    settings.INTEGRITY_HMAC_KEY = "a key an insider chose, not the one kept outside the db"
    write_checkpoint()
    settings.INTEGRITY_HMAC_KEY = "the operator's real key, kept outside the database"
    assert "签名（HMAC-SHA256）无效" in failing_command()


def test_auditor_is_told_an_earlier_checkpoint_was_replaced(paid, finance_c1):
    first = write_checkpoint()
    pay(finance_c1, paid["fund"], paid["application"], "100", on=timezone.localdate())
    write_checkpoint()
    first.write_text(first.read_text().replace('"format": 1', '"format": 1 '))

    assert f"上一个检查点 {first.name} 在写入后被改动过" in failing_command()


def test_checkpoints_are_new_owner_only_files_each_naming_the_one_before(paid, checkpoint_dir):
    first = write_checkpoint()
    second = write_checkpoint()

    assert first != second and sorted(checkpoint_dir.iterdir()) == [first, second]
    for path in (first, second):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(checkpoint_dir.stat().st_mode) == 0o700
    body = json.loads(second.read_text())
    assert body["previous"] == first.name
    heads = {head["name"]: head for head in body["chains"]}
    last = LedgerEntry.objects.order_by("-chain_position").first()
    assert heads["ledger"] == {
        "name": "ledger",
        "rows": LedgerEntry.objects.count(),
        "position": last.chain_position,
        "last_id": last.pk,
        "last_hash": last.row_hash,
    }


def test_no_checkpoint_is_written_over_a_broken_chain(paid, checkpoint_dir):
    sql("UPDATE funds_fund SET balance = 0 WHERE id = %s", [paid["fund"].pk])
    with pytest.raises(CommandError):
        call_command("checkpoint_integrity", stdout=io.StringIO())
    assert checkpoint.checkpoint_files() == []


def test_auditor_can_check_against_an_off_site_copy(paid, tmp_path):
    written = write_checkpoint()
    copy = tmp_path / "offsite.json"
    copy.write_bytes(written.read_bytes())
    written.unlink()

    output = passing_command("--checkpoint", str(copy))

    assert "外部检查点 offsite.json" in output and "签名（HMAC-SHA256）有效" in output
    assert IntegrityRun.objects.latest("at").ok is True


def test_verification_says_when_there_is_no_checkpoint_yet(paid):
    output = passing_command()
    assert "尚无外部检查点" in output and "checkpoint_integrity" in output


# The key --------------------------------------------------------------------------------------


def test_production_refuses_to_start_without_an_integrity_key(monkeypatch):
    from hardship import settings as project_settings

    monkeypatch.setattr(project_settings, "DEBUG", False)
    monkeypatch.delenv("INTEGRITY_HMAC_KEY", raising=False)
    monkeypatch.delenv("INTEGRITY_KEY_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="INTEGRITY_HMAC_KEY"):
        project_settings._integrity_key()
    monkeypatch.setenv("INTEGRITY_HMAC_KEY", project_settings.DEV_INTEGRITY_HMAC_KEY)
    with pytest.raises(ImproperlyConfigured, match="development"):
        project_settings._integrity_key()


def test_the_integrity_key_can_live_in_a_file(monkeypatch, tmp_path):
    from hardship import settings as project_settings

    key_file = tmp_path / "integrity.key"
    key_file.write_text("k" * 48 + "\n")
    monkeypatch.setattr(project_settings, "DEBUG", False)
    monkeypatch.delenv("INTEGRITY_HMAC_KEY", raising=False)
    monkeypatch.setenv("INTEGRITY_KEY_FILE", str(key_file))
    assert project_settings._integrity_key() == "k" * 48


def test_a_fresh_system_with_activity_verifies_clean(paid, approved_plan):
    run = verify_integrity()
    assert run.ok, run.report
    assert Fund.objects.get(pk=paid["fund"].pk).balance == Decimal("49000.00")


def test_auditor_is_told_when_the_newest_checkpoint_is_days_old(paid):
    checkpoint.write(now=timezone.now() - datetime.timedelta(days=3))

    output = passing_command()

    assert "最近的检查点写于 3 天前" in output
