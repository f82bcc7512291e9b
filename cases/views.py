from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import chain, counts, engine, rules, selectors, services
from cases.access import (
    get_application_for,
    get_notice_for,
    get_objection_for,
)
from cases.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    DecisionForm,
    InvestigationForm,
    ObjectionForm,
    ObjectionResolveForm,
    ResubmitForm,
)
from cases.models import Application
from hardship import access
from hardship.formtools import form_errors_from
from hardship.pagination import paginate
from households.access import get_household_for
from households.assessment import assess
from households.forms import EvidenceForm
from households.plans import open_measures

PAGE_SIZE = 25
MAX_SELF_PAID = Decimal("1e10")  # Application.self_paid: 12 digits, 2 decimal places


@login_required
def application_list(request):
    form = ApplicationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.application_list(request.user, filters)
    count = counts.list_count(request.user, filters)
    page = paginate(request, rows, PAGE_SIZE, count=count)
    return render(request, "cases/list.html", {"form": form, **page})


@login_required
def application_create(request, household_pk):
    household = get_household_for(request.user, household_pk)
    if not access.can_file_for(request.user, household):
        raise PermissionDenied(
            _("只有职工本人，或能修改该档案的帮扶专干、基层工会主席、公司工会复核可以提出申请。")
        )
    form = ApplicationForm(request.POST or None, measures=open_measures(household))
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_file(
                actor=request.user, household=household, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("申请 %(n)s 已提交，等待基层工会审查。") % {"n": application.number}
            )
            missing = rules.missing_evidence(application)
            if missing:
                messages.warning(
                    request,
                    _("按政策还需补充证明材料：%(list)s。公司工会复核前须补齐。")
                    % {"list": _("、").join(missing)},
                )
            return redirect(application)
    return render(
        request,
        "cases/form.html",
        {"form": form, "household": household, "title": _("提出申请")},
    )


@login_required
def medical_suggestion(request):
    """The tiered medical-aid suggestion for a self-paid amount (an htmx fragment)."""
    try:
        self_paid = Decimal(request.GET.get("self_paid", ""))
    except InvalidOperation:
        self_paid = None
    # Only what the self-paid field could hold: NaN, infinities and huge exponents are not
    # amounts (and would make the comparison or the rounding raise).
    if self_paid is not None and not (self_paid.is_finite() and 0 < self_paid < MAX_SELF_PAID):
        self_paid = None
    suggestion = rules.medical_suggestion(self_paid) if self_paid else None
    return render(request, "cases/includes/_suggestion.html", {"suggestion": suggestion})


@login_required
def application_resubmit(request, pk):
    application = get_application_for(request.user, pk)
    if (
        application.filed_by_id != request.user.pk
        or application.state != Application.State.RETURNED
    ):
        raise PermissionDenied(_("只有提交人可以修改被退回的申请并重新提交。"))
    form = ResubmitForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_resubmit(
                actor=request.user,
                application=application,
                reason=form.cleaned_data["reason"],
                amount=form.cleaned_data["amount"],
                self_paid=form.cleaned_data["self_paid"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("申请已修改并重新提交。"))
            return redirect(application)
    return render(
        request,
        "cases/form.html",
        {
            "form": form,
            "household": application.household,
            "application": application,
            "title": _("修改后重新提交"),
        },
    )


def _detail_context(page, decision_form=None, investigation_form=None) -> dict:
    """The page object's decisions and the forms the page shows (a failed form re-shown)."""
    household = page.household
    return {
        **page.context(),
        "decision_form": decision_form
        or DecisionForm(initial={"expected_state": page.application.state}),
        "investigation_form": investigation_form
        or InvestigationForm(initial={"visited_on": timezone.localdate()}),
        "evidence_form": EvidenceForm(causes=household.causes.all()),
        "objection_form": ObjectionForm(),
        "resolve_form": ObjectionResolveForm(),
    }


@login_required
def application_detail(request, pk):
    page = selectors.application_page(request.user, pk)
    return render(request, "cases/detail.html", _detail_context(page))


@login_required
@require_POST
def application_act(request, pk):
    application = get_application_for(request.user, pk)
    problem = rules.takes_part_refusal(request.user, application)
    level = chain.level_for(application.state)
    if not problem and level and request.POST.get("expected_state") == application.state:
        # The step the user saw is still current: say now why they may not act on it. (If
        # it has moved on, the service says who moved it instead.)
        problem = rules.refusal(request.user, application, level)
    if problem:
        raise PermissionDenied(problem)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            engine.decide(
                chain=services.APPLICATION_APPROVAL,
                obj=application,
                actor=request.user,
                action=form.cleaned_data["action"],
                expected_state=form.cleaned_data["expected_state"],
                comment=form.cleaned_data["comment"],
            )
        except engine.AlreadyHandled as error:
            messages.warning(request, error.messages[0])
            return redirect(application)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("已办理：%(action)s。")
                % {"action": dict(form.fields["action"].choices)[form.cleaned_data["action"]]},
            )
            return redirect(application)
    page = selectors.application_page(request.user, pk)
    return render(
        request,
        "cases/detail.html",
        _detail_context(page, decision_form=form),
        status=400,
    )


@login_required
@require_POST
def investigation_add(request, pk):
    application = get_application_for(request.user, pk)
    problem = rules.takes_part_refusal(
        request.user,
        application,
        [level for level in chain.CHAIN if chain.NEEDS_INVESTIGATION in level.requires],
    )
    if problem:
        raise PermissionDenied(problem)
    form = InvestigationForm(request.POST)
    if form.is_valid():
        try:
            services.investigation_record(
                actor=request.user, application=application, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("调查情况已登记。"))
            return redirect(application)
    page = selectors.application_page(request.user, pk)
    return render(
        request,
        "cases/detail.html",
        _detail_context(page, investigation_form=form),
        status=400,
    )


@login_required
def household_snapshot(request, pk, decision_pk):
    application = selectors.application_detail(request.user, pk)
    decision = get_object_or_404(application.decisions.all(), pk=decision_pk)
    snapshot = selectors.household_at_decision(application, decision)
    if snapshot is None:
        raise Http404
    return render(
        request,
        "cases/snapshot.html",
        {
            "application": application,
            "snapshot": snapshot,
        },
    )


@login_required
def application_print(request, pk):
    application = selectors.application_detail(request.user, pk)
    return render(
        request,
        "cases/print.html",
        {
            "application": application,
            "household": application.household,
            "assessment": assess(application.household),
            "printed_at": timezone.localtime(),
        },
    )


@login_required
def notice_list(request):
    notices = list(selectors.notices_for(request.user))
    return render(
        request,
        "cases/notices.html",
        {
            "notices": notices,
            # The auditor reads the notices and objects to none of them.
            "may_object": {n.pk for n in notices if rules.may_lodge_objection(request.user, n)},
            "objection_form": ObjectionForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def objection_lodge(request, notice_pk):
    notice = get_notice_for(request.user, notice_pk)
    if not rules.may_lodge_objection(request.user, notice):
        raise PermissionDenied(_("审计只能查看，不能提出异议。"))
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.objection_lodge(
                actor=request.user, notice=notice, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("异议已提交，公司工会将进行调查处理。"))
    else:
        messages.error(request, _("请填写异议理由。"))
    return redirect("notice_list")


@login_required
@require_POST
def objection_resolve(request, pk):
    objection = get_objection_for(request.user, pk)
    application = objection.notice.application
    problem = rules.objection_refusal(request.user, objection)
    if problem:
        raise PermissionDenied(problem)
    form = ObjectionResolveForm(request.POST)
    if form.is_valid():
        try:
            services.objection_resolve(
                actor=request.user,
                objection=objection,
                uphold=form.cleaned_data["outcome"] != "dismiss",
                resolution=form.cleaned_data["resolution"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("异议已处理。"))
    else:
        messages.error(request, _("请选择处理结果并填写处理意见。"))
    return redirect(application)
