"""Recording what auditors need to see, and checking the hash chains."""

from django.db import transaction
from django.utils.translation import gettext as _

from audit import chain
from audit.models import ChainHead, ExportLog, IntegrityRun, RevealLog


def reveal_logged(*, user, household, field) -> None:
    RevealLog.objects.create(user=user, household=household, field=field)


def export_logged(*, user, kind, scope, rows=None, full_identity=False) -> None:
    ExportLog.objects.create(
        user=user, kind=kind, scope=scope[:300], rows=rows, full_identity=full_identity
    )


def verify_integrity() -> IntegrityRun:
    """Recompute the ledger and decision chains; record and return the outcome."""
    from cases.models import Decision
    from funds.models import LedgerEntry, YearClosing

    chains = (
        (_("资金台账"), LedgerEntry),
        (_("审批记录"), Decision),
        (_("年度结账"), YearClosing),
    )
    lines, ok, checked = [], True, 0
    for label, model in chains:
        rows = model.objects.order_by("pk").iterator(chunk_size=5000)
        count, broken = chain.verify(rows, lambda row: row.chain_content())
        checked += count
        if broken is None:
            lines.append(_("%(label)s：%(n)d 条记录完整。") % {"label": label, "n": count})
            continue
        ok = False
        why = (
            _("与上一条记录的链接断开（前一条可能被删除）")
            if broken.reason == "link"
            else _("内容与记录时不一致（被改动）")
        )
        lines.append(
            _("%(label)s：第一条不符的记录 id=%(pk)s，%(why)s。")
            % {"label": label, "pk": broken.pk, "why": why}
        )
    # The head must also match the last row, or rows were removed from the end.
    # Writers append under a lock on the head row: holding it, the last row cannot move
    # between the two reads (or a payment landing in between would look like a deletion).
    for label, model in chains:
        with transaction.atomic():
            head = (
                ChainHead.objects.select_for_update()
                .filter(name=model.CHAIN)
                .values_list("last_hash", flat=True)
                .first()
                or ""
            )
            last = model.objects.order_by("-pk").values_list("row_hash", flat=True).first() or ""
        if last != head and (last or head):
            ok = False
            lines.append(
                _("%(label)s：链尾与最后一条记录不一致（末尾记录可能被删除）。") % {"label": label}
            )
    with transaction.atomic():
        return IntegrityRun.objects.create(ok=ok, checked=checked, report="\n".join(lines))
