from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import engine, rules
from cases.access import get_application_for
from cases.forms import DecisionForm
from cases.models import Application
from funds import campaign_selectors, closing, ledger, plan_notices, plans
from funds.access import (
    funds_visible_to,
    get_entry_for,
    get_fund_for,
    get_plan_for,
    plans_visible_to,
)
from funds.campaign_forms import PlanObjectionResolveForm, PlanRuleForm, RuleFormSet
from funds.flows import fund_totals
from funds.forms import (
    FundForm,
    PaymentForm,
    PlanForm,
    ReceiptForm,
    ReversalForm,
    YearCloseForm,
)
from funds.models import DistributionPlan, LedgerEntry
from hardship import access
from hardship.formtools import form_errors_from
from hardship.models import Role
from hardship.pagination import paginate
from hardship.templatetags.money import format_yuan

PAGE_SIZE = 50


def _keeps_books(user, fund) -> bool:
    return access.covers(user, {Role.FINANCE}, fund.unit.path)


def _require_fund_reader(user) -> None:
    """The money pages are for the roles that follow the money; anyone else is refused
    (403), as on every other page outside their role, rather than shown an empty list."""
    if not access.scope_paths(user, access.FUND_READERS):
        raise PermissionDenied(_("资金和发放方案只对财务、审计、党政班子成员和公司工会复核开放。"))


@login_required
def fund_list(request):
    _require_fund_reader(request.user)
    funds = funds_visible_to(request.user).select_related("unit")
    return render(
        request,
        "funds/list.html",
        {"funds": funds, "can_create": access.finance_units(request.user).exists()},
    )


@login_required
def fund_create(request):
    units = access.finance_units(request.user).order_by("path")
    if not units.exists():
        raise PermissionDenied(_("只有财务人员可以建立资金账户。"))
    form = FundForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        fund = ledger.fund_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("资金账户“%(n)s”已建立。") % {"n": fund.name})
        return redirect(fund)
    return render(request, "funds/fund_form.html", {"form": form})


def _totals(totals) -> dict:
    """The fund's totals by kind as the page names them."""
    sums = totals.sums
    return {
        "receipts": sums["receipt"],
        "payments": sums["payment"],
        "reversals": sums["reversal"],
        "loans_out": sums["loan_out"],
        "repayments": sums["loan_repayment"],
    }


@login_required
def fund_detail(request, pk):
    fund = get_fund_for(request.user, pk)
    entries = fund.entries.select_related("household", "reverses", "reversed_by").order_by(
        "-posted_on", "-pk"
    )
    totals = fund_totals(fund)
    kind = request.GET.get("kind")
    if kind in LedgerEntry.Kind.values:
        entries = entries.filter(kind=kind)
        count = totals.counts[kind]
    else:
        count = sum(totals.counts.values())
    return render(
        request,
        "funds/detail.html",
        {
            "fund": fund,
            "totals": _totals(totals),
            **paginate(request, entries, PAGE_SIZE, count=count),
            "kind": kind,
            "keeps_books": _keeps_books(request.user, fund),
            "receipt_form": ReceiptForm(),
            "closings": fund.closings.select_related("closed_by"),
            "year_to_close": closing.year_to_close(fund)
            if closing.may_close(request.user, fund)
            else None,
        },
    )


@login_required
@require_POST
def receipt_add(request, pk):
    fund = get_fund_for(request.user, pk)
    if not _keeps_books(request.user, fund):
        raise PermissionDenied(_("只有该资金账户所属单位的财务人员可以记账。"))
    form = ReceiptForm(request.POST)
    if form.is_valid():
        try:
            ledger.receipt_record(actor=request.user, fund=fund, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("到账已记账。"))
            return redirect(fund)
    messages.error(request, " ".join(f"{e}" for errors in form.errors.values() for e in errors))
    return redirect(fund)


@login_required
def fund_close_year(request, pk):
    """Year-end closing: the year's figures to confirm, then the recorded closing."""
    fund = get_fund_for(request.user, pk)
    if not closing.may_close(request.user, fund):
        raise PermissionDenied(_("只有该资金账户所属单位的财务人员可以年度结账。"))
    year = closing.year_to_close(fund)
    if year is None:
        messages.info(request, _("目前没有可以结账的年度：年度结束后才能结账。"))
        return redirect(fund)
    figures = closing.year_figures(fund, year)
    form = YearCloseForm(
        request.POST or None, initial={"year": year, "expected_closing": figures.closing}
    )
    if request.method == "POST" and form.is_valid():
        try:
            closing.year_close(actor=request.user, fund=fund, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("%(y)s 年度已结账。") % {"y": year})
            return redirect(fund)
    return render(
        request, "funds/close_year.html", {"fund": fund, "figures": figures, "form": form}
    )


@login_required
def entry_reverse(request, pk):
    entry = get_entry_for(request.user, pk)
    if not _keeps_books(request.user, entry.fund):
        raise PermissionDenied(_("只有该资金账户所属单位的财务人员可以冲销。"))
    form = ReversalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ledger.entry_reverse(
                actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("凭证 %(v)s 已冲销。") % {"v": entry.voucher})
            return redirect(entry.fund)
    return render(request, "funds/reverse.html", {"entry": entry, "form": form})


@login_required
def payment_create(request, application_pk):
    application = get_application_for(request.user, application_pk)
    household = application.household
    if not access.covers(request.user, {Role.FINANCE}, household.union.path):
        raise PermissionDenied(_("只有该户所在单位（或其上级）的财务人员可以发放。"))
    aid_type = ledger.KIND_AID_TYPE.get(application.kind)
    funds = ledger.funds_that_may_pay(request.user, household, aid_type)
    remaining = (
        application.amount - ledger.paid_for_application(application)
        if application.amount
        else None
    )
    form = PaymentForm(
        request.POST or None,
        funds=funds,
        aid_type=aid_type,
        # Not the card number: finance sees it masked (the tail is shown beside the form);
        # left empty, a bank payment goes to the card registered on the file.
        initial={"amount": remaining, "method": LedgerEntry.Method.BANK},
    )
    if request.method == "POST" and form.is_valid():
        try:
            ledger.payment_make(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("已发放 %(a)s 元给 %(n)s。")
                % {"a": format_yuan(form.cleaned_data["amount"]), "n": household.worker_name},
            )
            return redirect(application)
    return render(
        request,
        "funds/payment_form.html",
        {
            "form": form,
            "application": application,
            "household": household,
            "remaining": remaining,
            "paid": application.payments.select_related("fund").order_by("posted_on", "pk"),
            "effective": application.state == Application.State.EFFECTIVE,
        },
    )


# Distribution plans ------------------------------------------------------------------


@login_required
def plan_list(request):
    _require_fund_reader(request.user)
    plans = (
        plans_visible_to(request.user)
        .select_related("unit", "fund")
        .annotate(households=Count("lines"), total=Sum("lines__amount"))
    )
    return render(
        request,
        "funds/plan_list.html",
        {"plans": plans, "can_create": access.plan_units(request.user).exists()},
    )


def _plan_form(request, plan):
    units = access.plan_units(request.user).order_by("path")
    funds = funds_visible_to(request.user).filter(unit__in=access.units_visible_to(request.user))
    return PlanForm(request.POST or None, instance=plan, units=units, funds=funds)


def _save_plan(request, plan, title):
    form = _plan_form(request, plan)
    initial = [PlanRuleForm.initial_for(r) for r in plan.rules.all()] if plan.pk else []
    # A post without the rules' part (a client of the plan form before campaigns) keeps them.
    with_rules = request.method != "POST" or "rules-TOTAL_FORMS" in request.POST
    rule_forms = RuleFormSet(
        request.POST if with_rules and request.method == "POST" else None,
        initial=initial,
        prefix="rules",
    )
    if request.method == "POST" and form.is_valid() and (not with_rules or rule_forms.is_valid()):
        try:
            plan = plans.plan_save(
                actor=request.user,
                plan=form.save(commit=False),
                rules=rule_forms.rules() if with_rules else None,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            count = plan.lines.count()
            if count:
                messages.success(request, _("方案已保存，共 %(n)d 户。") % {"n": count})
            else:
                messages.warning(request, _("方案已保存，但没有家庭符合全部条件，请检查规则。"))
            return redirect(plan)
    return render(
        request,
        "funds/plan_form.html",
        {"form": form, "rule_forms": rule_forms, "title": title, "plan": plan},
    )


@login_required
def plan_create(request):
    if not access.plan_units(request.user).exists():
        raise PermissionDenied(_("只有财务人员和公司工会复核可以制定发放方案。"))
    return _save_plan(request, DistributionPlan(), _("新建发放方案"))


@login_required
def plan_edit(request, pk):
    plan = get_plan_for(request.user, pk)
    if plan.created_by_id != request.user.pk or plan.state not in (
        DistributionPlan.State.DRAFT,
        DistributionPlan.State.RETURNED,
    ):
        raise PermissionDenied(_("只有制定人可以修改草稿或被退回的方案。"))
    return _save_plan(request, plan, _("修改发放方案"))


@login_required
def plan_detail(request, pk):
    plan = get_plan_for(request.user, pk)
    count, total = campaign_selectors.list_size(plan)
    campaign = campaign_selectors.plan_page(request.user, plan, total)
    level = plans.PLAN_APPROVAL.level_for(plan.state)
    listing = paginate(
        request,
        campaign_selectors.listed_lines(plan),
        campaign_selectors.LINES_PER_PAGE,
        count=count,
    )
    return render(
        request,
        "funds/plan_detail.html",
        {
            "plan": plan,
            "lines": listing["page"],
            **listing,
            "total": total,
            "short": total - plan.fund.balance if total > plan.fund.balance else None,
            "can_edit": plan.created_by_id == request.user.pk
            and plan.state in (DistributionPlan.State.DRAFT, DistributionPlan.State.RETURNED),
            "can_act": level is not None and rules.plan_refusal(request.user, plan, level) is None,
            "level": level,
            "can_post": plan.state == DistributionPlan.State.APPROVED
            and _keeps_books(request.user, plan.fund),
            # Posted on or after its pay date: until then the button says when.
            "post_from": plan.pay_on if plan.pay_on > timezone.localdate() else None,
            "decision_form": DecisionForm(initial={"expected_state": plan.state}),
            "decisions": plan.decisions.select_related("actor"),
            "post_refusal": plan_notices.posting_refusal(plan)
            if plan.state == DistributionPlan.State.APPROVED
            else None,
            **campaign,
            # One form per objection the user may settle, each with its own ids.
            "objection_rows": [
                (o, PlanObjectionResolveForm(auto_id=f"id_objection{o.pk}_%s"))
                if o.pk in campaign["may_resolve"]
                else (o, None)
                for o in campaign["objections"]
            ],
        },
    )


@login_required
@require_POST
def plan_submit(request, pk):
    plan = get_plan_for(request.user, pk)
    try:
        plans.plan_submit(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("方案已提交党政班子会审定。"))
    return redirect(plan)


@login_required
@require_POST
def plan_act(request, pk):
    plan = get_plan_for(request.user, pk)
    if not any(
        rules.membership_at(request.user, plan.unit.path, lvl) for lvl in plans.PLAN_APPROVAL.levels
    ):
        raise PermissionDenied(_("只有党政班子成员可以审定发放方案。"))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审批意见。"))
        return redirect(plan)
    try:
        engine.decide(chain=plans.PLAN_APPROVAL, obj=plan, actor=request.user, **form.cleaned_data)
    except engine.AlreadyHandled as error:
        messages.warning(request, error.messages[0])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已办理。"))
    return redirect(plan)


@login_required
@require_POST
def plan_post(request, pk):
    plan = get_plan_for(request.user, pk)
    try:
        entries = plans.plan_post(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(
            request, _("方案未发放，没有写入任何记录：%(why)s") % {"why": " ".join(error.messages)}
        )
    else:
        if entries:
            messages.success(request, _("已发放 %(n)d 笔。") % {"n": len(entries)})
        else:
            messages.info(request, _("该方案已经发放过，没有重复发放。"))
    return redirect(plan)
