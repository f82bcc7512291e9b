"""Reads of bank batches, each starting from the user's scope."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404

from bank.models import BatchLine, BatchTemplate, PaymentBatch
from bank.services import batchable_payments
from funds.access import funds_visible_to
from funds.models import DistributionPlan, LedgerEntry
from hardship import access
from hardship.models import Role
from households.models import Household


def reads_batches(user) -> bool:
    return bool(access.scope_paths(user, access.FUND_READERS))


def makes_batches(user) -> bool:
    return access.finance_units(user).exists()


def keeps_books(user, batch: PaymentBatch) -> bool:
    return access.covers(user, {Role.FINANCE}, batch.fund.unit.path)


def batches_visible_to(user):
    return PaymentBatch.objects.filter(fund__in=funds_visible_to(user))


def batch_list(user):
    return (
        batches_visible_to(user)
        .select_related("fund__unit", "plan", "template")
        .annotate(
            line_count=Count("lines"),
            total=Sum("lines__amount"),
            failed=Count("lines", filter=Q(lines__state=BatchLine.State.FAILED)),
        )
        .order_by("-created_at", "-pk")
    )


def get_batch_for(user, pk) -> PaymentBatch:
    """The batch if the user may read it; another union's batch is a 404."""
    return get_object_or_404(
        batches_visible_to(user).select_related(
            "fund__unit", "plan", "template", "created_by", "sent_by", "voucher_uploaded_by"
        ),
        pk=pk,
    )


def batch_lines(batch: PaymentBatch):
    return batch.lines.select_related("household__union", "entry", "reversal").order_by("pk")


def batch_summary(lines) -> dict:
    summary = {"count": 0, "total": Decimal("0"), "paid": Decimal("0"), "failed": Decimal("0")}
    for line in lines:
        summary["count"] += 1
        summary["total"] += line.amount
        if line.state == BatchLine.State.PAID:
            summary["paid"] += line.amount
        elif line.state == BatchLine.State.FAILED:
            summary["failed"] += line.amount
    return summary


def templates():
    return BatchTemplate.objects.filter(active=True).order_by("name")


def plans_to_batch(user):
    """Posted bank plans of the funds the user keeps with payments not yet in a batch."""
    waiting = batchable_payments().filter(plan_line__isnull=False).values("plan_line__plan")
    return (
        DistributionPlan.objects.filter(
            state=DistributionPlan.State.POSTED,
            method=LedgerEntry.Method.BANK,
            fund__unit__in=access.finance_units(user),
            pk__in=waiting,
        )
        .select_related("fund")
        .order_by("-pay_on", "-pk")
    )


def payments_to_batch(user):
    """Individual bank payments (for an application) of the funds the user keeps, not yet in
    a batch and not reversed."""
    return (
        batchable_payments()
        .filter(fund__unit__in=access.finance_units(user), application__isnull=False)
        .select_related("fund", "household__union")
        .order_by("fund__name", "-posted_on", "-pk")
    )


def fixes_cards(user) -> bool:
    return bool(access.scope_paths(user, access.REGISTRY_EDITORS))


def cards_to_fix(user):
    """Households in the user's editing scope whose card the bank returned a payment to."""
    paths = access.scope_paths(user, access.REGISTRY_EDITORS)
    return (
        # By the unions' ids, not a join on the tree path: the partial index on the files
        # with a card problem answers it (households.Household.Meta).
        Household.objects.filter(union_id__in=access.unit_ids_under(user, paths))
        .exclude(card_problem="")
        .select_related("union")
        .order_by("-card_problem_at", "pk")
    )
