from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import engine, rules
from cases.forms import DecisionForm
from funds import loan_ledger
from hardship import access
from hardship.formtools import form_errors_from
from hardship.models import Role
from hardship.pagination import paginate
from hardship.templatetags.money import format_yuan
from households.access import get_household_for
from loans import approval, selectors, services, standing
from loans.forms import (
    DisburseForm,
    LoanApplyForm,
    MotionForm,
    RepaymentForm,
    RepaymentReverseForm,
)
from loans.models import Loan, Motion

PAGE_SIZE = 50


def _require_reader(user) -> None:
    if not access.reads_registry(user):
        raise PermissionDenied(_("借款台账只对工会工作人员开放。"))


@login_required
def loan_list(request):
    """The loan portfolio (借款台账): the figures, overdue by age band, every loan in scope."""
    _require_reader(request.user)
    today = timezone.localdate()
    loans = selectors.loans_visible_to(request.user)
    state = request.GET.get("state")
    listed = selectors.with_schedule(loans).select_related("applied_by")
    if state in Loan.State.values:
        listed = listed.filter(state=state)
    page = paginate(request, listed.order_by("-applied_at", "-pk"), PAGE_SIZE)
    page["rows"] = [(loan, standing.standing(loan, today)) for loan in page["page"]]
    to_decide, motions = selectors.to_decide(request.user)
    return render(
        request,
        "loans/list.html",
        {
            "figures": selectors.loan_figures(loans, on=today),
            **page,
            "state": state,
            "states": Loan.State.choices,
            "to_decide": to_decide,
            "motions": motions,
            "today": today,
        },
    )


@login_required
def loan_overdue(request):
    """The overdue list with days late: the reminder for whoever is responsible (the
    caseworkers and chairs of the households' unions see their own scope)."""
    _require_reader(request.user)
    loans = selectors.loans_visible_to(request.user).select_related("household__responsible_user")
    lines = selectors.overdue(loans, timezone.localdate())
    return render(request, "loans/overdue.html", {"lines": lines})


@login_required
def loan_apply(request, household_pk):
    household = get_household_for(request.user, household_pk, write=True)
    terms = services.loan_terms(household, timezone.localdate())
    form = LoanApplyForm(
        request.POST or None, initial={"term_months": min(12, terms["term"]), "schedule": "monthly"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            loan = services.loan_apply(actor=request.user, household=household, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("借款申请 %(n)s 已提交基层工会审查。") % {"n": loan.number})
            return redirect(loan)
    return render(
        request,
        "loans/apply.html",
        {
            "form": form,
            "household": household,
            "terms": terms,
            "overdue": approval.overdue_loans(household, timezone.localdate()),
        },
    )


def _may_act(user, loan) -> bool:
    return any(
        rules.membership_at(user, loan.household.union.path, level) for level in approval.LOAN_CHAIN
    )


@login_required
def loan_detail(request, pk):
    loan = selectors.get_loan_for(request.user, pk)
    today = timezone.localdate()
    level = approval.LOAN_APPROVAL.level_for(loan.state)
    now = standing.standing(loan, today)
    owed = services.owed_now(loan)
    motions = list(loan.motions.select_related("requested_by").prefetch_related("decisions__actor"))
    for motion in motions:
        motion.can_act = (
            motion.state == Motion.State.SUBMITTED
            and approval.motion_refusal(request.user, motion, approval.MOTION_CHAIN[0]) is None
        )
    return render(
        request,
        "loans/detail.html",
        {
            "loan": loan,
            "now": now,
            "owed": owed,
            "level": level,
            "can_act": level is not None
            and approval.loan_refusal(request.user, loan, level) is None,
            "refusal": approval.loan_refusal(request.user, loan, level)
            if level and _may_act(request.user, loan)
            else None,
            "decision_form": DecisionForm(initial={"expected_state": loan.state}),
            "decisions": loan.trail.select_related("actor", "acting_unit", "motion"),
            "can_disburse": loan.state == Loan.State.APPROVED
            and services.keeps_books_for(request.user, loan),
            "can_repay": loan.state == Loan.State.CURRENT
            and services.keeps_books_for(request.user, loan),
            "can_propose": services.may_propose(request.user, loan),
            "motions": motions,
            "repayments": loan.repayments.select_related("entry__recorded_by", "reversal"),
            "can_reverse": services.keeps_books_for(request.user, loan)
            and loan.state != Loan.State.WRITTEN_OFF,
        },
    )


@login_required
@require_POST
def loan_act(request, pk):
    loan = selectors.get_loan_for(request.user, pk)
    if not _may_act(request.user, loan):
        raise PermissionDenied(_("您在该借款的审批环节中没有办理职责。"))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审批意见。"))
        return redirect(loan)
    try:
        engine.decide(
            chain=approval.LOAN_APPROVAL, obj=loan, actor=request.user, **form.cleaned_data
        )
    except engine.AlreadyHandled as error:
        messages.warning(request, error.messages[0])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已办理。"))
    return redirect(loan)


@login_required
def loan_disburse(request, pk):
    loan = selectors.get_loan_for(request.user, pk)
    if not access.covers(request.user, {Role.FINANCE}, loan.household.union.path):
        raise PermissionDenied(_("只有该户所在单位（或其上级）的财务人员可以借出。"))
    if loan.state != Loan.State.APPROVED:
        messages.info(request, _("该借款现在不能借出（%(s)s）。") % {"s": loan.get_state_display()})
        return redirect(loan)
    form = DisburseForm(
        request.POST or None, funds=loan_ledger.loan_funds_for(request.user, loan.household)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.loan_disburse(actor=request.user, loan=loan, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("已借出 %(a)s 元给 %(n)s。")
                % {"a": format_yuan(loan.amount), "n": loan.household.worker_name},
            )
            return redirect(loan)
    return render(request, "loans/disburse.html", {"loan": loan, "form": form})


@login_required
def loan_repay(request, pk):
    loan = selectors.get_loan_for(request.user, pk)
    if not services.keeps_books_for(request.user, loan):
        raise PermissionDenied(_("只有借款资金所属单位的财务人员可以登记还款。"))
    if loan.state != Loan.State.CURRENT:
        messages.info(request, _("该借款不在还款中（%(s)s）。") % {"s": loan.get_state_display()})
        return redirect(loan)
    owed = services.owed_now(loan)
    form = RepaymentForm(request.POST or None, initial={"expected_outstanding": owed})
    if request.method == "POST" and form.is_valid():
        try:
            services.repayment_record(actor=request.user, loan=loan, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("已登记还款 %(a)s 元。") % {"a": format_yuan(form.cleaned_data["amount"])},
            )
            return redirect(loan)
    return render(request, "loans/repay.html", {"loan": loan, "form": form, "owed": owed})


@login_required
def repayment_reverse(request, pk):
    """冲销还款: a repayment entered wrongly, reversed with its reason."""
    repayment = selectors.get_repayment_for(request.user, pk)
    loan = repayment.loan
    if not services.keeps_books_for(request.user, loan):
        raise PermissionDenied(_("只有借款资金所属单位的财务人员可以冲销还款。"))
    form = RepaymentReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.repayment_reverse(actor=request.user, repayment=repayment, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("已冲销 %(a)s 元的还款。") % {"a": format_yuan(repayment.amount)}
            )
            return redirect(loan)
    return render(
        request,
        "loans/repayment_reverse.html",
        {"loan": loan, "repayment": repayment, "form": form},
    )


@login_required
def motion_create(request, pk):
    loan = selectors.get_loan_for(request.user, pk)
    editor = access.can_edit_household(request.user, loan.household)
    if not (editor or services.keeps_books_for(request.user, loan)):
        raise PermissionDenied(_("只有档案经办人员或借款资金的财务人员可以提出展期或核销。"))
    if loan.state != Loan.State.CURRENT:
        messages.info(request, _("该借款不在还款中，不能展期或核销。"))
        return redirect(loan)
    form = MotionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            motion = services.motion_propose(actor=request.user, loan=loan, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("%(k)s已提交党政班子会审定。") % {"k": motion.get_kind_display()}
            )
            return redirect(loan)
    return render(request, "loans/motion_form.html", {"loan": loan, "form": form})


@login_required
@require_POST
def motion_act(request, pk):
    try:
        motion = (
            Motion.objects.filter(loan__in=selectors.loans_visible_to(request.user))
            .select_related("loan__household__union")
            .get(pk=pk)
        )
    except (Motion.DoesNotExist, ValueError):
        raise Http404 from None
    if not any(
        rules.membership_at(request.user, motion.loan.household.union.path, level)
        for level in approval.MOTION_CHAIN
    ):
        raise PermissionDenied(_("只有党政班子成员可以审定借款展期或核销。"))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审批意见。"))
        return redirect(motion.loan)
    try:
        engine.decide(
            chain=approval.MOTION_APPROVAL, obj=motion, actor=request.user, **form.cleaned_data
        )
    except engine.AlreadyHandled as error:
        messages.warning(request, error.messages[0])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已办理。"))
    return redirect(motion.loan)
