"""Payment verification by sampling (发放核查): the households paid from a distribution plan
or in a year, a sample of them drawn at random (its size from a confidence level and margin
of error, or fixed; the seed recorded so the same draw can be made again), and each
household's answer whether the money arrived. A discrepancy opens a follow-up."""

import random
import secrets
from decimal import ROUND_CEILING, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from crosscheck.models import FollowUp, Verification, VerificationItem
from crosscheck.services import follow_up_open
from funds.models import DistributionPlan, LedgerEntry
from hardship import access, complaints
from hardship.history import acted_by

Z_SCORES = {"90": Decimal("1.645"), "95": Decimal("1.96"), "99": Decimal("2.576")}
MAX_SEED = 2**31 - 1


def sample_size(population: int, confidence: str, margin_percent: Decimal) -> int:
    """Households to ask so that the share confirming receipt is known within ±margin at
    the confidence level: n₀ = z²·p(1−p)/e² with p = 0.5 (the most cautious), corrected for
    a finite population, n = n₀ / (1 + (n₀ − 1)/N), rounded up; never more than N."""
    if population <= 0:
        return 0
    z = Z_SCORES[confidence]
    e = Decimal(margin_percent) / 100
    n0 = z * z * Decimal("0.25") / (e * e)
    n = n0 / (1 + (n0 - 1) / population)
    return min(population, int(n.to_integral_value(rounding=ROUND_CEILING)))


def draw(household_ids, size: int, seed: int) -> list[int]:
    """The sample: the same ids, size and seed always give the same households."""
    ordered = sorted(household_ids)
    return sorted(random.Random(seed).sample(ordered, min(size, len(ordered))))


def paid_households(*, unit, plan=None, year=None) -> dict[int, Decimal]:
    """Household id → net amount paid (money, not goods; reversed payments left out) from
    the plan, or from the funds of the unit's subtree in the year."""
    payments = LedgerEntry.objects.filter(
        kind=LedgerEntry.Kind.PAYMENT, reversed_by__isnull=True
    ).exclude(method=LedgerEntry.Method.IN_KIND)
    if plan is not None:
        payments = payments.filter(plan_line__plan=plan)
    else:
        payments = payments.filter(fund__unit__path__startswith=unit.path, posted_on__year=year)
    rows = payments.values("household_id").annotate(total=Sum("amount"))
    return {row["household_id"]: -row["total"] for row in rows if row["total"]}


def may_verify(user, unit) -> bool:
    return access.covers(user, access.VERIFIERS, unit.path)


def verification_draw(
    *, actor, unit, plan=None, year=None, confidence="", margin=None, fixed_size=None, seed=None
) -> Verification:
    if plan is not None:
        unit = plan.unit
    if not may_verify(actor, unit):
        raise PermissionDenied(_("只有该单位的财务和审计可以抽样核查发放。"))
    errors = {}
    if (plan is None) == (year is None):
        errors["plan"] = _("请选择一个已发放的发放方案，或填写年度（二者选一）。")
    elif plan is not None and plan.state != DistributionPlan.State.POSTED:
        errors["plan"] = _("该发放方案尚未发放。")
    if fixed_size is None and (not confidence or margin is None):
        errors["fixed_size"] = _("请填写固定抽样户数，或选择置信水平并填写允许误差。")
    if fixed_size is not None and fixed_size < 1:
        errors["fixed_size"] = _("抽样户数至少为 1。")
    if margin is not None and not Decimal("0.5") <= margin <= Decimal("50"):
        errors["margin"] = _("允许误差应在 0.5% 到 50% 之间。")
    if errors:
        raise ValidationError(errors)
    if seed is None:
        seed = secrets.randbelow(MAX_SEED)
    with transaction.atomic():
        paid = paid_households(unit=unit, plan=plan, year=year)
        if not paid:
            raise ValidationError(_("所选范围内没有发放记录，无法抽样。"))
        size = fixed_size if fixed_size is not None else sample_size(len(paid), confidence, margin)
        verification = Verification.objects.create(
            unit=unit,
            plan=plan,
            year=year,
            confidence=confidence if fixed_size is None else "",
            margin=margin if fixed_size is None else None,
            fixed_size=fixed_size,
            seed=seed,
            population=len(paid),
            drawn_by=actor,
        )
        VerificationItem.objects.bulk_create(
            VerificationItem(verification=verification, household_id=pk, amount=paid[pk])
            for pk in draw(paid, size, seed)
        )
    return verification


def verification_record(*, actor, item, result, method, note="") -> VerificationItem:
    """Record one household's answer. A discrepancy (not received, or not the amount) opens
    a follow-up for the household's caseworker, who checks the file, and a complaint on the
    front door's register (through hardship.complaints: intake is a sibling), answered to the
    worker within the complaint time limit like any other."""
    if not may_verify(actor, item.verification.unit):
        raise PermissionDenied(_("只有该单位的财务和审计可以登记核查结果。"))
    errors = {}
    if result not in (VerificationItem.Result.CONFIRMED, VerificationItem.Result.DISCREPANCY):
        errors["result"] = _("请选择核实结果。")
    if method not in VerificationItem.Method.values:
        errors["method"] = _("请选择核实方式（电话或上门）。")
    note = (note or "").strip()
    if result == VerificationItem.Result.DISCREPANCY and not note:
        errors["note"] = _("未收到或金额不符时，请说明情况。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = (
            VerificationItem.objects.select_for_update()
            .select_related("household__union", "verification")
            .get(pk=item.pk)
        )
        if item.result != VerificationItem.Result.PENDING:
            raise ValidationError(
                _("该户已于 %(at)s 由 %(who)s 登记核实结果。")
                % {
                    "at": timezone.localtime(item.recorded_at).strftime("%Y-%m-%d %H:%M"),
                    "who": item.recorded_by,
                }
            )
        item.result, item.method, item.note = result, method, note[:300]
        item.recorded_by, item.recorded_at = actor, timezone.now()
        if result == VerificationItem.Result.DISCREPANCY:
            item.follow_up = follow_up_open(
                actor=actor,
                unit=item.household.union,
                household=item.household,
                origin=FollowUp.Origin.VERIFICATION,
                subject=_("发放核查（第%(n)d号）：%(note)s")
                % {"n": item.verification_id, "note": note},
            )
            item.complaint_number = complaints.lodge(
                actor=actor,
                household=item.household,
                summary=_("发放核查时职工反映未收到帮扶款或金额不符（%(amount)s 元）：%(note)s")
                % {"amount": item.amount, "note": note},
                source=_("发放核查（第%(n)d号）") % {"n": item.verification_id},
            )
        acted_by(actor, item)
        item.save()
    return item


def results(verification) -> dict:
    items = list(verification.items.all())
    recorded = [i for i in items if i.result != VerificationItem.Result.PENDING]
    confirmed = sum(1 for i in recorded if i.result == VerificationItem.Result.CONFIRMED)
    rate = (Decimal(confirmed) * 100 / len(recorded)).quantize(Decimal("0.1")) if recorded else None
    return {
        "total": len(items),
        "recorded": len(recorded),
        "confirmed": confirmed,
        "discrepancies": len(recorded) - confirmed,
        "rate": rate,
    }
