"""Hash chains over ledger rows and approval decisions.

Each row stores its position in the chain (1, 2, 3, …) and sha256(previous row's hash + its
own canonical content, position included). Changing a row changes its hash; removing one
leaves a gap in the positions and breaks the link from the next, so the missing row is named
by its position. `verify()` walks a chain in position order and names every row that no
longer matches.

A chained model inherits `ChainedRecord` (the three fields and the head's bookkeeping), names
its chain in `CHAIN` and what is hashed in `CHAINED_FIELDS`; its service calls `link()` before
saving a row. Which chains exist, and how they are verified and checkpointed, is the audit
app's (audit.registry, audit.services.verify_integrity).
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, models, transaction

from hardship.models import ChainHead

GENESIS = "0" * 64
# How many problems one chain reports before it stops listing them.
MAX_PROBLEMS = 20


_PLAIN = frozenset((str, int, bool, type(None)))


def _canonical(value):
    if type(value) in _PLAIN:  # most of a row: skips the checks below
        return value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def row_hash(prev: str, content: dict) -> str:
    payload = json.dumps(
        {k: _canonical(v) for k, v in content.items()}, ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256((prev + payload).encode("utf-8")).hexdigest()


def _has_position(instance) -> bool:
    return any(f.name == "chain_position" for f in instance._meta.concrete_fields)


def link(chain_name: str, instance, content: dict | None = None) -> None:
    """Set chain_position, prev_hash and row_hash on an unsaved row; the caller saves it in
    the same transaction. Locks the chain head until the transaction ends.

    The hashed content is read from `instance.chain_content()` once the position is set (a
    dict passed by an older caller is ignored when the row has a position: it could not
    contain it)."""
    head = ChainHead.objects.select_for_update().filter(name=chain_name).first()
    if head is None:  # first row ever (or a database flushed by tests): start the chain
        try:
            with transaction.atomic():
                ChainHead.objects.create(name=chain_name)
        except IntegrityError:  # another writer started it a moment ago
            pass
        head = ChainHead.objects.select_for_update().get(name=chain_name)
    head.rows += 1
    if _has_position(instance):
        instance.chain_position = head.rows
        content = instance.chain_content()
    elif content is None:
        content = instance.chain_content()
    instance.prev_hash = head.last_hash or GENESIS
    instance.row_hash = row_hash(instance.prev_hash, content)
    head.last_hash = instance.row_hash
    head.last_id = None  # set once the row is saved (ChainedRecord.save)
    head.save(update_fields=["last_hash", "rows", "last_id"])


def record_saved(chain_name: str, instance) -> None:
    """The row that `link()` chained is saved: the head learns its id, so a row removed from
    the end of the chain can be named."""
    ChainHead.objects.filter(name=chain_name, last_hash=instance.row_hash).update(
        last_id=instance.pk
    )


class ChainedRecord(models.Model):
    """A row of a hash chain: its position, the previous row's hash and its own. Subclasses
    set CHAIN (the ChainHead's name) and CHAINED_FIELDS (the hashed content; override
    `chain_content()` for more)."""

    CHAIN: str
    CHAINED_FIELDS: tuple = ()

    # Tamper evidence: sha256 over the previous row's hash and this row's content, and the
    # row's position in the chain (a deleted row leaves a gap that names it).
    prev_hash = models.CharField(max_length=64, editable=False, default="")
    row_hash = models.CharField(max_length=64, editable=False, default="")
    chain_position = models.PositiveBigIntegerField(null=True, editable=False, unique=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding and self.row_hash:
            # The row that link() chained is saved: the head learns its id.
            record_saved(self.CHAIN, self)

    def chain_content(self) -> dict:
        return {name: getattr(self, name) for name in self.CHAINED_FIELDS}


class BulkLinker:
    """Chains rows written with bulk_create (bench data, data migrations): call `add()` for
    each row in order, then `finish()` to store the head. The caller keeps the writes in one
    transaction."""

    def __init__(self, chain_name: str):
        self.head, _created = ChainHead.objects.get_or_create(name=chain_name)
        self.prev = self.head.last_hash or GENESIS
        self.rows = self.head.rows

    def add(self, instance) -> None:
        if _has_position(instance):
            instance.chain_position = self.rows + 1
        instance.prev_hash = self.prev
        instance.row_hash = self.next(instance.chain_content())

    def next(self, content: dict) -> str:
        """Chain the next row by its content (for rows written as tuples, whose content
        holds `chain_position`, `self.rows + 1`): its hash, which links the row after."""
        self.rows += 1
        self.prev = row_hash(self.prev, content)
        return self.prev

    def finish(self, last_id=None) -> None:
        ChainHead.objects.filter(pk=self.head.pk).update(
            last_hash="" if self.prev == GENESIS else self.prev, rows=self.rows, last_id=last_id
        )


@dataclass
class Problem:
    """One thing wrong with a chain. `kind`: "content" (the row was changed), "link" (its
    link to the row before does not match), "missing" (positions absent: rows deleted),
    "position" (a position repeated or out of order)."""

    kind: str
    pk: int | None
    position: int | None
    # For "missing": the last position missing, and the rows on either side.
    last_position: int | None = None
    before_pk: int | None = None
    after_pk: int | None = None
    candidate_pks: tuple = ()


@dataclass
class Walk:
    checked: int
    problems: list
    last_pk: int | None = None
    last_position: int = 0
    last_hash: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(rows, content_of) -> Walk:
    """Walk rows in chain order (position, then pk); name every changed row, every missing
    run of positions and every broken link, up to MAX_PROBLEMS."""
    walk = Walk(checked=0, problems=[])
    prev_hash, prev_pk, prev_position = GENESIS, None, 0
    for row in rows:
        walk.checked += 1
        position = getattr(row, "chain_position", walk.checked)
        problems = []
        if position is None:  # a row written without joining the chain
            problems.append(Problem("position", row.pk, None))
            position = prev_position
        elif position > prev_position + 1:
            gap = range(prev_position + 1, position)
            # The ids a removed row can have lie between its neighbours'; when there are
            # exactly as many as rows missing, they are the removed rows.
            low = (prev_pk or 0) + 1
            candidates = tuple(range(low, row.pk)) if row.pk - low == len(gap) else ()
            problems.append(
                Problem(
                    "missing",
                    None,
                    gap.start,
                    last_position=gap.stop - 1,
                    before_pk=prev_pk,
                    after_pk=row.pk,
                    candidate_pks=candidates,
                )
            )
        elif position <= prev_position:
            problems.append(Problem("position", row.pk, position))
        elif row.prev_hash != prev_hash:
            problems.append(Problem("link", row.pk, position))
        if row.row_hash != row_hash(row.prev_hash, content_of(row)):
            problems.append(Problem("content", row.pk, position))
        walk.problems.extend(problems)
        # Carry on from this row so that later, independent changes are named too.
        prev_hash, prev_pk, prev_position = row.row_hash, row.pk, max(position, prev_position)
        if len(walk.problems) >= MAX_PROBLEMS:
            break
    walk.last_pk, walk.last_position, walk.last_hash = prev_pk, prev_position, prev_hash
    return walk
