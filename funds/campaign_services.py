"""The state changes of a campaign's list besides the plan's own (funds.plans): per-household
exclusions and adjustments before submission, objections to the notice of the approved list
and their resolution (an upheld objection takes the line off or changes its amount, with a
decision in the plan's hash chain, so the payments rely on what was decided)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Decision
from funds import plans
from funds.models import (
    DistributionPlan,
    PlanAdjustment,
    PlanLine,
    PlanNotice,
    PlanObjection,
)
from hardship import access
from hardship.history import acted_by
from hardship.models import Role
from households.involvement import involved_in_household

EDITABLE = (DistributionPlan.State.DRAFT, DistributionPlan.State.RETURNED)


def _check_amount(action, amount):
    if action == PlanAdjustment.Action.AMOUNT and (amount is None or amount <= 0):
        raise ValidationError({"amount": _("调整金额须大于零。")})
    if action == PlanAdjustment.Action.EXCLUDE:
        return None
    return amount


def plan_adjust(*, actor, plan, household, action, amount=None, reason) -> PlanAdjustment:
    """Exclude a household from a draft (or returned) plan, or set its amount, with a
    reason; the list is rebuilt. Only whoever drew the plan up, before submission."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写调整原因。")})
    amount = _check_amount(action, amount)
    with transaction.atomic():
        plan = DistributionPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
        if plan.created_by_id != actor.pk:
            raise PermissionDenied(_("只有方案制定人可以调整名单。"))
        if plan.state not in EDITABLE:
            raise ValidationError(_("方案提交后不能再调整名单。"))
        known = (
            plan.lines.filter(household=household).exists()
            or plan.adjustments.filter(household=household).exists()
        )
        if not known:
            raise ValidationError(_("该家庭不在方案名单中。"))
        plan.adjustments.filter(household=household).delete()
        adjustment = PlanAdjustment(
            plan=plan,
            household=household,
            action=action,
            amount=amount,
            reason=reason,
            created_by=actor,
        )
        acted_by(actor, adjustment)
        adjustment.full_clean()
        adjustment.save()
        plans.rebuild_lines(plan)
    return adjustment


def plan_adjustment_undo(*, actor, adjustment) -> None:
    """Withdraw an adjustment of a draft plan: the household is listed as its rules say."""
    with transaction.atomic():
        plan = DistributionPlan.objects.select_for_update().get(pk=adjustment.plan_id)
        if plan.created_by_id != actor.pk:
            raise PermissionDenied(_("只有方案制定人可以调整名单。"))
        if plan.state not in EDITABLE:
            raise ValidationError(_("方案提交后不能再调整名单。"))
        # Read again under the plan's lock: the same undo sent twice finds it gone.
        adjustment = plan.adjustments.filter(pk=adjustment.pk).first()
        if adjustment is None:
            raise ValidationError(_("该调整已经撤销。"))
        acted_by(actor, adjustment)
        adjustment.delete()
        plans.rebuild_lines(plan)


def may_lodge_objection(user, notice) -> bool:
    """Anyone the notice is posted to may object, except through an auditor's or an
    administrator's role (as for an application's notice)."""
    return any(notice.unit.path.startswith(path) for path in _objecting_paths(user))


def _objecting_paths(user) -> set[str]:
    paths = set()
    for membership in access.memberships_of(user):
        if membership.role in (Role.AUDITOR, Role.ADMINISTRATOR):
            continue
        unit = membership.unit
        # Notices go to the whole company: a grassroots role sees its company's notices.
        paths.add(
            unit.path.rsplit("/", 2)[0] + "/"
            if unit.kind == unit.Kind.GRASSROOTS and unit.parent_id
            else unit.path
        )
    return paths


def plan_objection_lodge(*, actor, notice, reason, household=None) -> PlanObjection:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写异议理由。")})
    with transaction.atomic():
        notice = (
            PlanNotice.objects.select_for_update()
            .select_related("plan__unit", "unit")
            .get(pk=notice.pk)
        )
        if not may_lodge_objection(actor, notice):
            raise PermissionDenied(_("审计只能查看，不能提出异议。"))
        today = timezone.localdate()
        if notice.closed_on or not (notice.starts_on <= today <= notice.ends_on):
            raise ValidationError(_("只能在公示期内提出异议。"))
        if household is not None and not notice.plan.lines.filter(household=household).exists():
            raise ValidationError({"household": _("该家庭不在公示名单中。")})
        objection = PlanObjection(
            notice=notice, household=household, reason=reason, lodged_by=actor
        )
        acted_by(actor, objection)
        objection.save()
    return objection


def objection_refusal(user, objection) -> str | None:
    """Why `user` may not resolve the objection: as for an application's, a company
    reviewer over the plan who had no part in it (not its drafter, not a committee member
    who decided it, not whoever objected, not the household concerned)."""
    plan = objection.notice.plan
    if not access.covers(user, {Role.COMPANY_REVIEWER}, plan.unit.path):
        return _("只有该方案所属公司工会的复核人员可以处理公示异议。")
    if objection.notice.objections.filter(lodged_by=user).exists():
        return _("提出异议的人不能处理该公示的异议。")
    decided = plan.decisions.filter(actor=user).exclude(action=Decision.Action.OBJECTION_UPHELD)
    if plan.created_by_id == user.pk or decided.exists():
        return _("您制定或审定过该方案，不能处理对它的异议。")
    if objection.household_id and involved_in_household(user, objection.household):
        return _("您是该户职工或家庭成员，应当回避。")
    return None


def plan_objection_resolve(
    *, actor, objection, uphold: bool, resolution, household=None, action="", amount=None
) -> PlanObjection:
    """Dismiss an objection (the notice goes on) or uphold it: the household's line is taken
    off the list or given another amount, recorded as an adjustment with the resolution as
    its reason and as a decision in the plan's chain (its digest is the changed list)."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("请填写处理意见。")})
    with transaction.atomic():
        objection = (
            PlanObjection.objects.select_for_update(of=("self",))
            .select_related("notice__plan__unit", "household")
            .get(pk=objection.pk)
        )
        plan = DistributionPlan.objects.select_for_update().get(pk=objection.notice.plan_id)
        problem = objection_refusal(actor, objection)
        if problem:
            raise PermissionDenied(problem)
        if objection.status != PlanObjection.Status.OPEN:
            raise ValidationError(_("该异议已经处理。"))
        if uphold:
            # An objection about a household changes that household's line, none other; for
            # one about the whole list the resolver chooses, and must not be of that family.
            household = objection.household or household
            if household is not None and involved_in_household(actor, household):
                raise PermissionDenied(_("您是该户职工或家庭成员，应当回避。"))
            _uphold(actor, plan, objection, household, action, amount, resolution)
            # The changed list must still keep within the budget and the fund's balance.
            over = plans.approval_blockers(plan, None)
            if over:
                raise ValidationError(over)
        objection.status = PlanObjection.Status.UPHELD if uphold else PlanObjection.Status.DISMISSED
        objection.resolution = resolution
        objection.resolved_by = actor
        objection.resolved_at = timezone.now()
        acted_by(actor, objection)
        objection.save()
    return objection


def _uphold(actor, plan, objection, household, action, amount, resolution) -> None:
    if plan.state != DistributionPlan.State.APPROVED:
        raise ValidationError(_("方案已经发放，异议成立须另行冲销处理。"))
    if household is None:
        raise ValidationError({"household": _("异议成立时须选择名单中要调整的家庭。")})
    if action not in PlanAdjustment.Action.values:
        raise ValidationError({"action": _("请选择移出名单或调整金额。")})
    amount = _check_amount(action, amount)
    line = PlanLine.objects.select_for_update().filter(plan=plan, household=household).first()
    if line is None:
        raise ValidationError({"household": _("该家庭不在公示名单中。")})
    plan.adjustments.filter(household=household).delete()
    adjustment = PlanAdjustment(
        plan=plan,
        household=household,
        action=action,
        amount=amount,
        reason=_("公示异议成立：%(r)s") % {"r": resolution[:180]},
        objection=objection,
        created_by=actor,
    )
    acted_by(actor, adjustment)
    adjustment.full_clean()
    adjustment.save()
    if action == PlanAdjustment.Action.EXCLUDE:
        line.delete()
    else:
        explanation = dict(line.explanation or {})
        explanation["amount"] = [
            *explanation.get("amount", []),
            [adjustment.reason, f"{amount:.2f}"],
        ]
        line.amount, line.explanation = amount, explanation
        line.save(update_fields=["amount", "explanation"])
    plans.record_decision(
        plan,
        step=DistributionPlan.State.APPROVED,
        action=Decision.Action.OBJECTION_UPHELD,
        actor=actor,
        result=DistributionPlan.State.APPROVED,
        comment=resolution,
    )
