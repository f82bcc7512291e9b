"""Pages of the changes reported (情况变更): report, list, the report, accept, reject."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import changes
from casework.change_forms import AcceptForm, ChangeReportForm, RejectForm
from casework.models import ChangeReport
from hardship import access
from hardship.formtools import form_errors_from
from households.access import get_household_for
from households.models import Household
from households.views import household_forms, log_form_shown

HANDLED_SHOWN = 50


@login_required
def change_list(request):
    """Pending reports for me to review, the rest pending in my scope, and the latest
    handled; the worker sees their own household's."""
    if not changes.reads_reports(request.user):
        raise PermissionDenied(_("您的角色不能查看家庭情况变更报告。"))
    reports = changes.reports_visible_to(request.user)
    mine = list(changes.pending_for(request.user).select_related("household__union"))
    pending = reports.filter(status=ChangeReport.Status.PENDING).exclude(
        pk__in=[r.pk for r in mine]
    )
    return render(
        request,
        "casework/changes.html",
        {
            "mine": mine,
            "pending": pending,
            "handled": reports.exclude(status=ChangeReport.Status.PENDING).select_related(
                "reviewed_by"
            )[:HANDLED_SHOWN],
        },
    )


@login_required
def change_create(request, household_pk):
    household = get_household_for(request.user, household_pk)
    if not changes.may_report(request.user, household):
        raise PermissionDenied(
            _("只有职工本人（本户）和能修改该档案的工作人员可以报告家庭情况变化。")
        )
    form = ChangeReportForm(
        request.POST or None, household=household, initial={"occurred_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = changes.change_report(
                actor=request.user, household=household, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("情况变更已报告，等待帮扶责任人审核。"))
            if report.duty is not None:
                messages.info(
                    request,
                    _("已生成“%(kind)s”任务，须在 %(due)s 前走访。")
                    % {"kind": report.duty.get_kind_display(), "due": report.duty.due_on},
                )
            return redirect(report)
    return render(
        request,
        "casework/change_form.html",
        {
            "form": form,
            "household": household,
            "in_file": household.status == Household.Status.IN_FILE,
        },
    )


@login_required
def change_detail(request, pk, reject_form=None, status=200):
    report = changes.get_report_for(request.user, pk)
    household = report.household
    refusal = changes.review_refusal(request.user, report)
    may_propose = (
        report.status == ChangeReport.Status.ACCEPTED
        and report.application_id is None
        and household.status == Household.Status.IN_FILE
        and access.can_edit_household(request.user, household)
    )
    return render(
        request,
        "casework/change_detail.html",
        {
            "report": report,
            "household": household,
            "may_review": refusal is None,
            "refusal": refusal
            if report.is_pending and access.reads_registry_of(request.user, household)
            else None,
            "reject_form": reject_form or RejectForm(),
            "grounds": changes.exit_grounds(household) if may_propose else [],
        },
        status=status,
    )


def _reviewable(request, pk) -> ChangeReport | None:
    """The report if the user may review it; None (with the reason as a message) when it
    was already handled; 403 for anyone else."""
    report = changes.get_report_for(request.user, pk)
    if not report.is_pending:
        messages.error(request, changes.processed_message(report))
        return None
    refusal = changes.review_refusal(request.user, report)
    if refusal:
        raise PermissionDenied(refusal)
    return report


@login_required
def change_accept(request, pk):
    """Accept: the file's own edit form, pre-filled, with the report above it."""
    report = _reviewable(request, pk)
    if report is None:
        return redirect("change_detail", pk=pk)
    household = get_household_for(
        request.user,
        report.household_id,
        write=True,
        queryset=Household.objects.prefetch_related("causes"),
    )
    form, members, incomes = household_forms(
        request, household, access.editable_units(request.user).order_by("path")
    )
    grounds = changes.exit_grounds(household)
    accept = AcceptForm(
        request.POST or None, initial={"propose_exit": bool(grounds)}, prefix="accept"
    )
    if request.method == "POST" and all(
        [form.is_valid(), members.is_valid(), incomes.is_valid(), accept.is_valid()]
    ):
        try:
            report = changes.change_accept(
                actor=request.user,
                report=report,
                household=form.instance,
                data=form.cleaned_data,
                members=members.cleaned_data,
                incomes=incomes.cleaned_data,
                **accept.cleaned_data,
            )
        except ValidationError as error:
            accept.add_error(None, error.messages)
        else:
            messages.success(request, _("情况变更已接受，档案已更新。"))
            if report.application_id:
                messages.info(
                    request,
                    _("已提出脱困申请 %(n)s，进入审批。") % {"n": report.application.number},
                )
            return redirect(report)
    log_form_shown(request, household)
    return render(
        request,
        "casework/change_accept.html",
        {
            "form": form,
            "members": members,
            "incomes": incomes,
            "household": household,
            "report": report,
            "accept_form": accept,
            "grounds": grounds,
            "title": _("接受情况变更 #%(id)s：更新档案 %(n)s")
            % {"id": report.pk, "n": household.file_number},
        },
    )


@login_required
@require_POST
def change_reject(request, pk):
    report = _reviewable(request, pk)
    if report is None:
        return redirect("change_detail", pk=pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            changes.change_reject(
                actor=request.user, report=report, note=form.cleaned_data["review_note"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("已不接受该情况变更报告。"))
            return redirect(report)
    return change_detail(request, pk, reject_form=form, status=400)


@login_required
@require_POST
def change_exit_propose(request, pk):
    """File the exit application an accepted report proposes."""
    report = changes.get_report_for(request.user, pk)
    if not access.can_edit_household(request.user, report.household):
        raise PermissionDenied(_("只有能修改该档案的工作人员可以提出脱困申请。"))
    try:
        application = changes.change_exit_propose(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    messages.success(request, _("已提出脱困申请 %(n)s，进入审批。") % {"n": application.number})
    return redirect(application)
