"""The daily run checks the hash chains once: `daily_maintenance` verifies and, when the
check passes, writes the checkpoint from the same walk (verify_integrity --write-checkpoint);
over a broken chain it writes none and fails."""

import io
import json

import pytest
from auditkit import sql
from django.core.management import CommandError, call_command

from audit import checkpoint, services
from audit.models import IntegrityRun
from funds.models import LedgerEntry


@pytest.fixture
def walks(monkeypatch):
    """Counts the walks over each chain."""
    counted = []
    walk = services._walk

    def counting(spec):
        counted.append(spec.name)
        return walk(spec)

    monkeypatch.setattr(services, "_walk", counting)
    return counted


def test_daily_maintenance_walks_each_chain_once_and_checkpoints_it(fund_c1, walks):
    out = io.StringIO()
    call_command("daily_maintenance", stdout=out)

    assert sorted(walks) == sorted(set(walks)) and "ledger" in walks
    run = IntegrityRun.objects.get()
    assert run.ok is True
    (path,) = checkpoint.checkpoint_files()
    heads = {head["name"]: head for head in json.loads(path.read_text())["chains"]}
    last = LedgerEntry.objects.order_by("-chain_position").first()
    assert (heads["ledger"]["last_id"], heads["ledger"]["last_hash"]) == (last.pk, last.row_hash)
    text = out.getvalue()
    assert "== verify_integrity" in text and f"Checkpoint written: {path}" in text
    assert "Daily maintenance finished." in text


def test_daily_maintenance_writes_no_checkpoint_over_a_broken_chain(fund_c1, walks):
    sql("UPDATE funds_fund SET balance = 0 WHERE id = %s", [fund_c1.pk])
    err = io.StringIO()
    with pytest.raises(CommandError, match="verify_integrity failed"):
        call_command("daily_maintenance", stdout=io.StringIO(), stderr=err)

    assert "No checkpoint written" in err.getvalue()
    assert checkpoint.checkpoint_files() == []
    assert IntegrityRun.objects.get().ok is False
    assert sorted(walks) == sorted(set(walks))
