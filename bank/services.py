"""Every write of bank batch payments: a batch from a posted plan or from chosen payments,
the batch sent to the bank, the bank's return file imported, the signed roster uploaded.

Each takes data, re-checks the actor's right inside one transaction and records who acted.
Money moves only through funds.ledger: a failed payment is reversed by the ledger's reversal
service, never by changing its row.
"""

import hashlib
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bank import batchfile
from bank.models import BatchLine, BatchTemplate, PaymentBatch, ReturnFile
from funds import ledger
from funds.models import DistributionPlan, Fund, LedgerEntry
from hardship import access
from hardship.history import acted_by
from hardship.models import Role
from hardship.templatetags.money import format_yuan
from households.models import Household
from households.uploads import sniff_evidence


class ReturnRefused(ValidationError):
    """A return file that cannot be imported: `problems` for the file as a whole, `rows` the
    rows with what is wrong in each. Nothing was written."""

    def __init__(self, problems, rows=()):
        super().__init__(problems)
        self.problems = list(problems)
        self.rows = list(rows)


@dataclass
class ReturnOutcome:
    paid: int
    failed: int
    repeated: bool  # the same file was imported before: nothing changed
    imported: ReturnFile


def _require_books(actor, fund: Fund) -> None:
    if not access.covers(actor, {Role.FINANCE}, fund.unit.path):
        raise PermissionDenied(_("只有该资金账户所属单位的财务人员可以办理银行代发。"))


def batchable_payments():
    """Bank payments not reversed and not yet in a batch."""
    return LedgerEntry.objects.filter(
        kind=LedgerEntry.Kind.PAYMENT,
        method=LedgerEntry.Method.BANK,
        reversed_by__isnull=True,
        bank_line__isnull=True,
    )


def _create(actor, fund, template, purpose, entries, plan=None) -> PaymentBatch:
    if not template.active or not template.columns.exists():
        raise ValidationError({"template": _("该代发文件模板已停用或没有设置列。")})
    if not fund.account_number:
        raise ValidationError(
            _("资金账户“%(f)s”尚未登记专户账号，不能生成代发批次。") % {"f": fund.name}
        )
    batch = PaymentBatch(
        fund=fund, plan=plan, template=template, purpose=purpose[:100], created_by=actor
    )
    acted_by(actor, batch)
    batch.save()
    try:
        with transaction.atomic():
            BatchLine.objects.bulk_create(
                BatchLine(
                    batch=batch,
                    entry=entry,
                    household_id=entry.household_id,
                    account=entry.bank_account,
                    amount=entry.magnitude,
                )
                for entry in entries
            )
    except IntegrityError as error:  # a concurrent batch took one of the payments
        raise ValidationError(_("其中有发放记录已被另一个代发批次使用，请刷新后重试。")) from error
    return batch


def batch_from_plan(*, actor, plan: DistributionPlan, template: BatchTemplate) -> PaymentBatch:
    """A batch of every bank payment of a posted plan not yet in a batch."""
    with transaction.atomic():
        plan = DistributionPlan.objects.select_related("fund__unit").get(pk=plan.pk)
        _require_books(actor, plan.fund)
        fund = Fund.objects.select_for_update().select_related("unit").get(pk=plan.fund_id)
        if plan.state != DistributionPlan.State.POSTED:
            raise ValidationError(_("方案尚未执行发放，不能生成代发批次。"))
        entries = list(
            batchable_payments().filter(plan_line__plan=plan).select_related("household")
        )
        if not entries:
            raise ValidationError(
                _("该方案没有待代发的银行卡发放（已全部生成批次、已冲销或不是银行卡发放）。")
            )
        return _create(actor, fund, template, plan.name, entries, plan=plan)


def batch_from_payments(*, actor, entries, template: BatchTemplate, purpose="") -> PaymentBatch:
    """A batch of chosen individual bank payments, all from one fund."""
    ids = [entry.pk for entry in entries]
    if not ids:
        raise ValidationError(_("请至少选择一笔发放。"))
    with transaction.atomic():
        chosen = list(batchable_payments().filter(pk__in=ids).select_related("fund__unit"))
        if len(chosen) != len(set(ids)):
            raise ValidationError(_("所选发放中有已冲销、已在批次中或不是银行卡发放的记录。"))
        funds = {entry.fund_id for entry in chosen}
        if len(funds) != 1:
            raise ValidationError(_("一个代发批次只能从一个资金账户付款，请按资金账户分别生成。"))
        _require_books(actor, chosen[0].fund)
        fund = Fund.objects.select_for_update().select_related("unit").get(pk=funds.pop())
        return _create(actor, fund, template, purpose or _("帮扶资金"), chosen)


def batch_file(*, actor, batch: PaymentBatch) -> bytes:
    """The bank's file for the batch (its full card numbers): finance of the fund only."""
    _require_books(actor, batch.fund)
    lines = list(batch.lines.select_related("entry").order_by("pk"))
    return batchfile.write(batch, lines)


def batch_mark_sent(*, actor, batch: PaymentBatch) -> PaymentBatch:
    """The file went to the bank: the batch and its lines are sent."""
    with transaction.atomic():
        batch = (
            PaymentBatch.objects.select_for_update().select_related("fund__unit").get(pk=batch.pk)
        )
        _require_books(actor, batch.fund)
        if batch.state != PaymentBatch.State.PREPARED:
            raise ValidationError(_("该批次已经送银行。"))
        batch.state = PaymentBatch.State.SENT
        batch.sent_by = actor
        batch.sent_at = timezone.now()
        acted_by(actor, batch)
        batch.save(update_fields=["state", "sent_by", "sent_at"])
        batch.lines.update(state=BatchLine.State.SENT)
    return batch


def ledger_net(batch: PaymentBatch) -> Decimal:
    """What the ledger says the batch's payments still pay: the payments less any reversal."""
    ids = list(batch.lines.values_list("entry_id", flat=True))
    total = LedgerEntry.objects.filter(Q(pk__in=ids) | Q(reverses_id__in=ids)).aggregate(
        total=Sum("amount")
    )["total"]
    return -(total or Decimal("0"))


def _match(lines, rows) -> dict:
    """Each valid row to the batch line it answers (same card, same amount), each line once;
    what does not match is written on the row."""
    pool: dict[str, list] = {}
    for line in lines:
        pool.setdefault(line.account, []).append(line)
    matched = {}
    for row in rows:
        if row.errors:
            continue
        candidates = pool.get(row.account)
        if not candidates:
            row.errors.append(_("卡号尾号 %(t)s 不在本批次中。") % {"t": row.account[-4:]})
            continue
        line = next((c for c in candidates if c.amount == row.amount), None)
        if line is None:
            row.errors.append(
                _("金额 %(a)s 元与本批次该卡号的金额 %(b)s 元不符。")
                % {"a": format_yuan(row.amount), "b": format_yuan(candidates[0].amount)}
            )
            continue
        candidates.remove(line)
        matched[row.number] = line
    return matched


def _totals_problem(batch_total, file_total, ledger_total) -> str | None:
    if batch_total == file_total == ledger_total:
        return None
    return _(
        "合计不一致，不能导入：批次合计 %(b)s 元，回盘文件合计 %(f)s 元（相差 %(df)s 元），"
        "台账净发放 %(l)s 元（相差 %(dl)s 元）。"
    ) % {
        "b": format_yuan(batch_total),
        "f": format_yuan(file_total),
        "df": format_yuan(file_total - batch_total),
        "l": format_yuan(ledger_total),
        "dl": format_yuan(ledger_total - batch_total),
    }


def return_import(*, actor, batch: PaymentBatch, content: bytes, file_name: str) -> ReturnOutcome:
    """Import the bank's return file of a sent batch, all or nothing: paid rows confirmed,
    failed rows reversed through the ledger with the bank's reason and their household's
    card flagged. The same file again changes nothing. Totals of the batch, the file and the
    ledger must agree, or nothing is imported and the difference is shown."""
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        batch = (
            PaymentBatch.objects.select_for_update()
            .select_related("fund__unit", "template")
            .get(pk=batch.pk)
        )
        _require_books(actor, batch.fund)
        earlier = ReturnFile.objects.filter(sha256=digest).first()
        if earlier is not None:
            if earlier.batch_id != batch.pk:
                raise ReturnRefused(
                    [
                        _("该文件已作为批次 %(n)s 的回盘文件导入过，不能用于本批次。")
                        % {"n": earlier.batch.number}
                    ]
                )
            return ReturnOutcome(earlier.paid, earlier.failed, repeated=True, imported=earlier)
        if batch.state == PaymentBatch.State.PREPARED:
            raise ReturnRefused([_("该批次尚未送银行，不能导入回盘文件。")])
        if batch.state == PaymentBatch.State.SETTLED:
            raise ReturnRefused([_("该批次已经导入过回盘文件，不能再导入另一个文件。")])
        rows = batchfile.read_return(batch.template, content)
        lines = list(batch.lines.select_related("entry__fund", "household").order_by("pk"))
        matched = _match(lines, rows)
        batch_total = sum((line.amount for line in lines), Decimal("0"))
        file_total = sum((row.amount for row in rows if row.amount), Decimal("0"))
        problems = []
        totals = _totals_problem(batch_total, file_total, ledger_net(batch))
        if totals:
            problems.append(totals)
        answered = set(matched.values())
        for line in lines:
            if line not in answered and not any(r.errors for r in rows):
                problems.append(
                    _("本批次卡号尾号 %(t)s 的 %(a)s 元在回盘文件中没有。")
                    % {"t": line.account[-4:], "a": format_yuan(line.amount)}
                )
        bad_rows = [row for row in rows if row.errors]
        if problems or bad_rows:
            if bad_rows and not problems:
                problems.append(
                    _("回盘文件中有 %(n)d 行有问题，没有导入任何一行。") % {"n": len(bad_rows)}
                )
            raise ReturnRefused(problems, bad_rows)
        now = timezone.now()
        paid = failed = 0
        for row in rows:
            line = matched[row.number]
            line.settled_at = now
            if row.paid:
                line.state = BatchLine.State.PAID
                paid += 1
            else:
                _fail(actor, line, row.reason, now)
                failed += 1
            line.save(update_fields=["state", "reason", "reversal", "settled_at"])
        imported = ReturnFile.objects.create(
            batch=batch,
            sha256=digest,
            file_name=file_name[-200:],
            rows=len(rows),
            paid=paid,
            failed=failed,
            total=file_total,
            imported_by=actor,
        )
        batch.state = PaymentBatch.State.SETTLED
        acted_by(actor, batch, reason=_("导入银行回盘文件"))
        batch.save(update_fields=["state"])
    return ReturnOutcome(paid, failed, repeated=False, imported=imported)


def _fail(actor, line: BatchLine, reason: str, now) -> None:
    """A payment the bank returned: reversed with the bank's reason, the card flagged."""
    note = (_("银行退回：%(why)s（代发批次 %(n)s）") % {"why": reason, "n": line.batch.number})[
        : LedgerEntry._meta.get_field("note").max_length
    ]
    line.reversal = ledger.entry_reverse(actor=actor, entry=line.entry, reason=note)
    line.state = BatchLine.State.FAILED
    line.reason = reason[: BatchLine._meta.get_field("reason").max_length]
    household = Household.objects.select_for_update().get(pk=line.household_id)
    household.card_problem = line.reason[: Household._meta.get_field("card_problem").max_length]
    household.card_problem_at = now
    acted_by(actor, household, reason=_("银行退回发放"))
    household.save(update_fields=["card_problem", "card_problem_at", "updated_at"])


def voucher_upload(*, actor, batch: PaymentBatch, upload) -> PaymentBatch:
    """The signed roster (签字的发放花名册) scanned back as the batch's voucher: a PDF, JPEG
    or PNG checked by its content. A new scan replaces the old one on the batch; the old
    file stays on disk, as the batch's history names it."""
    _require_books(actor, batch.fund)
    content_type = sniff_evidence(upload)
    stored = default_storage.save(f"bank-vouchers/{batch.pk}/{uuid.uuid4().hex}", upload)
    try:
        with transaction.atomic():
            batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
            batch.voucher_file = stored
            batch.voucher_name = upload.name[-200:]
            batch.voucher_content_type = content_type
            batch.voucher_uploaded_by = actor
            batch.voucher_uploaded_at = timezone.now()
            acted_by(actor, batch, reason=_("上传签字花名册"))
            batch.save(
                update_fields=[
                    "voucher_file",
                    "voucher_name",
                    "voucher_content_type",
                    "voucher_uploaded_by",
                    "voucher_uploaded_at",
                ]
            )
    except Exception:
        default_storage.delete(stored)
        raise
    return batch
