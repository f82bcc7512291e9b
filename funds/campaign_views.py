"""Pages of a campaign beyond the plan's own: adjusting a household on the list, the public
notice of the approved list (posted to the company's workforce) and its objections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from funds import campaign_selectors, campaign_services
from funds.access import get_plan_for
from funds.campaign_forms import AdjustmentForm, PlanObjectionForm, PlanObjectionResolveForm
from funds.models import PlanAdjustment, PlanObjection
from hardship.pagination import paginate
from households.models import Household


def _plan_household(plan, pk) -> Household:
    """A household on the plan's list (or taken off it by an adjustment), else 404."""
    household = Household.objects.filter(pk=pk).filter(
        pk__in=plan.lines.values("household_id").union(plan.adjustments.values("household_id"))
    )
    try:
        return household.get()
    except (Household.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
@require_POST
def plan_adjust(request, pk):
    plan = get_plan_for(request.user, pk)
    if plan.created_by_id != request.user.pk:
        raise PermissionDenied(_("只有方案制定人可以调整名单。"))
    form = AdjustmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写调整原因，调整金额时须填写金额。"))
        return redirect(plan)
    household = _plan_household(plan, form.cleaned_data["household"])
    try:
        campaign_services.plan_adjust(
            actor=request.user,
            plan=plan,
            household=household,
            action=form.cleaned_data["action"],
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已调整 %(n)s 的名单记录。") % {"n": household.worker_name})
    return redirect(plan)


@login_required
@require_POST
def plan_adjustment_undo(request, pk, adjustment_pk):
    plan = get_plan_for(request.user, pk)
    adjustment = get_object_or_404(PlanAdjustment, pk=adjustment_pk, plan=plan)
    try:
        campaign_services.plan_adjustment_undo(actor=request.user, adjustment=adjustment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已撤销调整，按规则重新计算。"))
    return redirect(plan)


@login_required
def plan_notice_list(request):
    return render(
        request,
        "funds/plan_notices.html",
        {
            "notices": campaign_selectors.plan_notices_for(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def plan_notice_detail(request, pk):
    notice = campaign_selectors.get_plan_notice_for(request.user, pk)
    listing = paginate(
        request, campaign_selectors.listed_lines(notice.plan), campaign_selectors.LINES_PER_PAGE
    )
    today = timezone.localdate()
    return render(
        request,
        "funds/plan_notice.html",
        {
            "notice": notice,
            "lines": listing["page"],
            **listing,
            "today": today,
            "open": notice.closed_on is None and notice.starts_on <= today <= notice.ends_on,
            "may_object": campaign_services.may_lodge_objection(request.user, notice),
            "objection_form": PlanObjectionForm(),
            "open_objections": notice.objections.filter(status=PlanObjection.Status.OPEN).count(),
        },
    )


@login_required
@require_POST
def plan_objection_lodge(request, pk):
    notice = campaign_selectors.get_plan_notice_for(request.user, pk)
    if not campaign_services.may_lodge_objection(request.user, notice):
        raise PermissionDenied(_("审计只能查看，不能提出异议。"))
    form = PlanObjectionForm(request.POST)
    if form.is_valid():
        household = None
        if form.cleaned_data["household"]:
            household = _plan_household(notice.plan, form.cleaned_data["household"])
        try:
            campaign_services.plan_objection_lodge(
                actor=request.user,
                notice=notice,
                household=household,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("异议已提交，公司工会将进行调查处理。"))
    else:
        messages.error(request, _("请填写异议理由。"))
    return redirect("plan_notice_detail", notice.pk)


@login_required
@require_POST
def plan_objection_resolve(request, pk, objection_pk):
    plan = get_plan_for(request.user, pk)
    objection = get_object_or_404(
        PlanObjection.objects.select_related("notice__plan__unit", "household"),
        pk=objection_pk,
        notice__plan=plan,
    )
    problem = campaign_services.objection_refusal(request.user, objection)
    if problem:
        raise PermissionDenied(problem)
    form = PlanObjectionResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理结果并填写处理意见。"))
        return redirect(plan)
    data = form.cleaned_data
    household = objection.household
    if request.POST.get("household"):
        household = _plan_household(plan, request.POST["household"])
    try:
        campaign_services.plan_objection_resolve(
            actor=request.user,
            objection=objection,
            uphold=data["uphold"],
            resolution=data["resolution"],
            household=household,
            action=data["action"],
            amount=data["amount"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("异议已处理。"))
    return redirect(plan)
