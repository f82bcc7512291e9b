"""The data migration that re-chains rows written before chains carried positions and
decision snapshots (audit 0004): what it fills in is what the services write today, and a
chain already broken stops it rather than being re-hashed clean."""

import pytest
from auditkit import effective, pay, sql
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit.services import verify_integrity
from cases.models import Decision
from funds.models import LedgerEntry
from hardship import chain
from hardship.models import ChainHead

pytestmark = [
    # Migrations run outside the test's transaction (the flush afterwards empties the tables).
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="re-chaining runs DDL"),
]

BEFORE = [("audit", "0003_chain_head_rows_and_last_id")]
OLD_LEDGER = (
    "fund_id", "kind", "amount", "voucher", "posted_on", "note", "recorded_by_id",
    "household_id", "aid_type", "application_id", "plan_line_id", "payee_name",
    "payee_id_number", "method", "bank_account", "goods", "reverses_id",
)  # fmt: skip
OLD_DECISION = (
    "application_id", "round", "step", "action", "actor_id", "acting_unit_id", "comment",
    "household_version",
)  # fmt: skip


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def age_rows_as_the_old_code_wrote_them():
    """Hash the rows as the release before wrote them: no positions, no snapshots."""
    sql("ALTER TABLE funds_ledgerentry DISABLE TRIGGER USER")
    for model, fields, table, extra in (
        (LedgerEntry, OLD_LEDGER, "funds_ledgerentry", ""),
        (
            Decision,
            OLD_DECISION,
            "cases_decision",
            ", application_kind = '', application_amount = NULL, resulting_state = ''",
        ),
    ):
        prev = chain.GENESIS
        for row in model.objects.order_by("pk"):
            content = {name: getattr(row, name) for name in fields}
            digest = chain.row_hash(prev, content)
            sql(
                f"UPDATE {table} SET chain_position = NULL, prev_hash = %s, row_hash = %s"
                f"{extra} WHERE id = %s",
                [prev, digest, row.pk],
            )
            prev = digest
        ChainHead.objects.filter(name=model.CHAIN).update(last_hash=prev, rows=0, last_id=None)
    sql("ALTER TABLE funds_ledgerentry ENABLE TRIGGER USER")


@pytest.fixture
def before_the_migration():
    migrate(BEFORE)
    yield
    # Whatever the test left, a consistent old-style chain migrates forward again.
    age_rows_as_the_old_code_wrote_them()
    migrate(latest())


def test_existing_rows_are_rechained_with_what_the_services_write(
    before_the_migration, staff, household_g1a, fund_c1, finance_c1
):
    from casekit import act, file

    application = effective(staff, household_g1a, "3000")
    pay(finance_c1, fund_c1, application, "1000", on=timezone.localdate())
    returned = file(staff["caseworker"], household_g1a, "emergency", "800")
    act(staff["chair"], returned, "return", comment="请补充说明。")
    as_written = {
        model: list(model.objects.order_by("pk").values_list("row_hash", flat=True))
        for model in (LedgerEntry, Decision)
    }
    age_rows_as_the_old_code_wrote_them()
    assert not Decision.objects.exclude(resulting_state="").exists()

    migrate(latest())

    for model, hashes in as_written.items():
        assert list(model.objects.order_by("pk").values_list("row_hash", flat=True)) == hashes
    run = verify_integrity()
    assert run.ok, run.report


def test_a_chain_already_broken_stops_the_migration(
    before_the_migration, staff, household_g1a, fund_c1
):
    application = effective(staff, household_g1a, "3000")
    age_rows_as_the_old_code_wrote_them()
    sql(
        "UPDATE cases_decision SET comment = '改过' WHERE id = %s",
        [application.decisions.order_by("pk").first().pk],
    )

    with pytest.raises(RuntimeError, match="already broken"):
        migrate(latest())
