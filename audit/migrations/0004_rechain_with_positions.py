"""Re-chain the rows written before chains carried positions and decision snapshots.

Ledger rows, decisions and plan decisions now hash their position in the chain, and
decisions also hash what a payment relies on (the application's kind, amount and the state
the decision left it in); plan decisions join a chain of their own. This migration walks
each chain in id order and

1. checks the existing ledger and decision chains with the content they were hashed with
   (the field lists below, frozen as they were): a chain already broken stops the migration,
   so that re-hashing never launders a change made behind the application's back (run
   `manage.py verify_integrity` on the previous release to see what is wrong);
2. fills the new fields: positions 1, 2, 3, … in id order; a decision's amount from the
   application's change history as it stood when the decision was taken (its current amount
   when no history row is older), its kind from the application, the state it left the
   application in from its step and action (an upheld objection: back to verification, or
   the application's current state when that was the last decision and it is rejected); a
   plan decision's resulting state from its action and the plan's current lines as digest;
3. recomputes every hash and the chain heads.

The ledger's append-only trigger is switched off for the length of this transaction only.
Field lists and rules are copied here, not imported, so later changes to the models do not
change what this migration did.
"""

import hashlib
import json

from django.db import migrations

from hardship.chain import GENESIS, row_hash

BATCH = 2000

OLD_LEDGER_FIELDS = (
    "fund_id", "kind", "amount", "voucher", "posted_on", "note", "recorded_by_id",
    "household_id", "aid_type", "application_id", "plan_line_id", "payee_name",
    "payee_id_number", "method", "bank_account", "goods", "reverses_id",
)  # fmt: skip
LEDGER_FIELDS = (*OLD_LEDGER_FIELDS, "chain_position")
OLD_DECISION_FIELDS = (
    "application_id", "round", "step", "action", "actor_id", "acting_unit_id", "comment",
    "household_version",
)  # fmt: skip
DECISION_FIELDS = (
    *OLD_DECISION_FIELDS, "application_kind", "application_amount", "resulting_state",
    "chain_position",
)  # fmt: skip
PLAN_DECISION_FIELDS = (
    "plan_id", "step", "action", "actor_id", "comment", "resulting_state", "plan_digest",
    "chain_position",
)  # fmt: skip

APPROVE_TO = {
    "submitted": "grassroots_approved",
    "grassroots_approved": "company_verified",
    "company_verified": "in_notice",
}
VERIFICATION_STATE = "grassroots_approved"
SQLITE_LEDGER_TRIGGERS = [
    """CREATE TRIGGER funds_ledger_no_update BEFORE UPDATE ON funds_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'funds_ledgerentry is append-only: post a reversal instead'); END;""",
    """CREATE TRIGGER funds_ledger_no_delete BEFORE DELETE ON funds_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'funds_ledgerentry is append-only: post a reversal instead'); END;""",
]


class BrokenChain(RuntimeError):
    pass


def _content(row, fields):
    return {name: getattr(row, name) for name in fields}


def _check_old_chain(label, rows, fields):
    prev = GENESIS
    for row in rows:
        if row.prev_hash != prev or row.row_hash != row_hash(prev, _content(row, fields)):
            raise BrokenChain(
                f"The {label} hash chain is already broken at id={row.pk}: it was changed "
                "outside the application. Investigate with verify_integrity on the previous "
                "release before upgrading; this migration will not re-hash a broken chain."
            )
        prev = row.row_hash


def _rechain(apps, chain_name, rows, fields, model, update_fields):
    """Set positions and hashes on `rows` (already filled) and save them in batches."""
    ChainHead = apps.get_model("audit", "ChainHead")
    prev, position, batch, last = GENESIS, 0, [], None
    for row in rows:
        position += 1
        row.chain_position = position
        row.prev_hash = prev
        row.row_hash = prev = row_hash(prev, _content(row, fields))
        batch.append(row)
        last = row
        if len(batch) >= BATCH:
            model.objects.bulk_update(batch, update_fields)
            batch = []
    if batch:
        model.objects.bulk_update(batch, update_fields)
    ChainHead.objects.update_or_create(
        name=chain_name,
        defaults={
            "last_hash": last.row_hash if last else "",
            "rows": position,
            "last_id": last.pk if last else None,
        },
    )


def _ledger(apps, schema_editor):
    LedgerEntry = apps.get_model("funds", "LedgerEntry")
    _check_old_chain("ledger", LedgerEntry.objects.order_by("pk").iterator(), OLD_LEDGER_FIELDS)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("ALTER TABLE funds_ledgerentry DISABLE TRIGGER USER")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS funds_ledger_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS funds_ledger_no_delete")
    rows = LedgerEntry.objects.order_by("pk").iterator(chunk_size=BATCH)
    _rechain(
        apps,
        "ledger",
        rows,
        LEDGER_FIELDS,
        LedgerEntry,
        ["chain_position", "prev_hash", "row_hash"],
    )
    if vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("ALTER TABLE funds_ledgerentry ENABLE TRIGGER USER")
    elif vendor == "sqlite":
        for statement in SQLITE_LEDGER_TRIGGERS:
            schema_editor.execute(statement)


def _decision_state(decision, later_exists, application_state):
    if decision.action in ("submit", "resubmit"):
        return "submitted"
    if decision.action == "approve":
        return APPROVE_TO.get(decision.step, decision.step)
    if decision.action == "return":
        return "returned"
    if decision.action == "reject":
        return "rejected"
    if decision.action == "effective":
        return "effective"
    # An upheld objection sent the application back to verification, or rejected it.
    if not later_exists and application_state == "rejected":
        return "rejected"
    return VERIFICATION_STATE


def _decisions(apps):
    Application = apps.get_model("cases", "Application")
    Decision = apps.get_model("cases", "Decision")
    HistoricalApplication = apps.get_model("cases", "HistoricalApplication")
    _check_old_chain("decision", Decision.objects.order_by("pk").iterator(), OLD_DECISION_FIELDS)
    applications = {
        pk: (kind, amount, state)
        for pk, kind, amount, state in Application.objects.values_list(
            "pk", "kind", "amount", "state"
        )
    }
    # Each application's amounts over time, oldest first.
    amounts = {}
    for pk, at, amount in HistoricalApplication.objects.order_by("history_date").values_list(
        "id", "history_date", "amount"
    ):
        amounts.setdefault(pk, []).append((at, amount))
    last_of = dict(Decision.objects.order_by("pk").values_list("application_id", "pk"))

    def filled():
        for row in Decision.objects.order_by("pk").iterator(chunk_size=BATCH):
            kind, amount, state = applications[row.application_id]
            history = amounts.get(row.application_id, [])
            then = [value for at, value in history if at <= row.created_at]
            row.application_kind = kind
            row.application_amount = then[-1] if then else amount
            row.resulting_state = _decision_state(row, last_of[row.application_id] != row.pk, state)
            yield row

    _rechain(
        apps,
        "decisions",
        filled(),
        DECISION_FIELDS,
        Decision,
        [
            "application_kind",
            "application_amount",
            "resulting_state",
            "chain_position",
            "prev_hash",
            "row_hash",
        ],
    )


def _plan_digest(plan, lines):
    payload = json.dumps(
        {
            "fund": plan.fund_id,
            "aid_type": plan.aid_type,
            "method": plan.method,
            "goods": plan.goods,
            "pay_on": plan.pay_on.isoformat(),
            "lines": [[household, f"{amount:.2f}"] for household, amount in lines],
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _plan_decisions(apps):
    DistributionPlan = apps.get_model("funds", "DistributionPlan")
    PlanLine = apps.get_model("funds", "PlanLine")
    PlanDecision = apps.get_model("funds", "PlanDecision")
    rows = list(PlanDecision.objects.order_by("pk"))
    digests = {}
    for plan in DistributionPlan.objects.filter(pk__in={row.plan_id for row in rows}):
        lines = (
            PlanLine.objects.filter(plan=plan)
            .order_by("household_id")
            .values_list("household_id", "amount")
        )
        digests[plan.pk] = _plan_digest(plan, lines)
    results = {"submit": "submitted", "approve": "approved", "return": "returned"}
    for row in rows:
        row.resulting_state = results.get(row.action, "rejected")
        row.plan_digest = digests[row.plan_id]
    _rechain(
        apps,
        "plan_decisions",
        rows,
        PLAN_DECISION_FIELDS,
        PlanDecision,
        ["resulting_state", "plan_digest", "chain_position", "prev_hash", "row_hash"],
    )


def rechain(apps, schema_editor):
    _ledger(apps, schema_editor)
    _decisions(apps)
    _plan_decisions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_chain_head_rows_and_last_id"),
        ("cases", "0006_decision_snapshot_and_chain_position"),
        ("funds", "0005_chain_positions_and_plan_decision_chain"),
    ]
    # Going back leaves the filled fields as they are (the old code ignores them) but the old
    # code would find every re-hashed row changed: restore from a backup instead.
    operations = [migrations.RunPython(rechain, migrations.RunPython.noop)]
