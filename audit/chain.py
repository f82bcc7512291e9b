"""Hash chains over ledger rows and approval decisions.

Each row stores sha256(previous row's hash + its own canonical content). Changing a row
changes its hash; removing one breaks the link from the next. `verify()` walks a chain in
primary-key order and names the first row that no longer matches.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction

from audit.models import ChainHead

GENESIS = "0" * 64


def _canonical(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def row_hash(prev: str, content: dict) -> str:
    payload = json.dumps(
        {k: _canonical(v) for k, v in sorted(content.items())}, ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256((prev + payload).encode("utf-8")).hexdigest()


def link(chain_name: str, instance, content: dict) -> None:
    """Set prev_hash and row_hash on an unsaved row; the caller saves it in the same
    transaction. Locks the chain head until the transaction ends."""
    head = ChainHead.objects.select_for_update().filter(name=chain_name).first()
    if head is None:  # first row ever (or a database flushed by tests): start the chain
        try:
            with transaction.atomic():
                ChainHead.objects.create(name=chain_name)
        except IntegrityError:  # another writer started it a moment ago
            pass
        head = ChainHead.objects.select_for_update().get(name=chain_name)
    instance.prev_hash = head.last_hash or GENESIS
    instance.row_hash = row_hash(instance.prev_hash, content)
    head.last_hash = instance.row_hash
    head.save(update_fields=["last_hash"])


@dataclass
class Broken:
    pk: int
    reason: str


def verify(rows, content_of) -> tuple[int, Broken | None]:
    """Walk rows (in pk order); return (rows checked, first broken row or None)."""
    prev = GENESIS
    checked = 0
    for row in rows:
        checked += 1
        if row.prev_hash != prev:
            return checked, Broken(row.pk, "link")
        if row.row_hash != row_hash(prev, content_of(row)):
            return checked, Broken(row.pk, "content")
        prev = row.row_hash
    return checked, None
