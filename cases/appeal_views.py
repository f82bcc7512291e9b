"""Appeal pages: lodge an appeal on an application, an appeal's page with its decision,
and the list of appeals (those waiting for the user first)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import appeal_rules, appeal_selectors, appeals, engine
from cases.access import get_application_for
from cases.appeal_forms import AppealDecisionForm, AppealForm
from cases.models import Appeal
from hardship.formtools import form_errors_from
from hardship.pagination import paginate

PAGE_SIZE = 25


@login_required
def appeal_create(request, pk):
    application = get_application_for(request.user, pk)
    if not appeal_rules.may_lodge(request.user, application):
        raise PermissionDenied(_("只有职工本人，或该户所在工会的帮扶专干可以提出申诉。"))
    problem = appeal_rules.lodge_problem(application)
    appealed = appeal_rules.appealed_decision(application)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and problem is None and form.is_valid():
        try:
            appeal = appeals.appeal_lodge(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("申诉已提出，由%(level)s办理。")
                % {"level": appeal_rules.APPEAL_LEVEL_AT[appeal.state].label},
            )
            return redirect(appeal)
    return render(
        request,
        "cases/appeal_form.html",
        {
            "application": application,
            "form": form,
            "problem": problem,
            "deadline": appeal_rules.deadline(application, appealed) if appealed else None,
        },
    )


def _detail_context(request, appeal, form=None):
    level = appeal_rules.APPEAL_LEVEL_AT.get(appeal.state)
    refusal = appeal_rules.refusal(request.user, appeal, level) if level else None
    may_take_part = appeal_rules.takes_part_refusal(request.user, appeal) is None
    can_decide = level is not None and refusal is None
    levels = appeal_rules.send_back_levels(appeal)
    return {
        "appeal": appeal,
        "application": appeal.application,
        "household": appeal.application.household,
        "level": level,
        "deciding_level": appeal_rules.deciding_level(appeal.application, appeal.decision),
        "can_decide": can_decide,
        # Only someone who decides appeals here is told why not this one.
        "refusal": refusal if level and may_take_part else None,
        "form": form or AppealDecisionForm(levels=levels, initial={"expected_state": appeal.state}),
    }


@login_required
def appeal_detail(request, pk):
    appeal = appeal_selectors.appeal_detail(request.user, pk)
    return render(request, "cases/appeal_detail.html", _detail_context(request, appeal))


@login_required
@require_POST
def appeal_decide(request, pk):
    appeal = appeal_selectors.appeal_detail(request.user, pk)
    problem = appeal_rules.takes_part_refusal(request.user, appeal)
    level = appeal_rules.APPEAL_LEVEL_AT.get(appeal.state)
    if not problem and level and request.POST.get("expected_state") == appeal.state:
        # The step the user saw is still current: say now why they may not decide it. (If
        # it has moved on, the engine says who moved it instead.)
        problem = appeal_rules.refusal(request.user, appeal, level)
    if problem:
        raise PermissionDenied(problem)
    form = AppealDecisionForm(request.POST, levels=appeal_rules.send_back_levels(appeal))
    if form.is_valid():
        try:
            appeals.appeal_decide(
                actor=request.user,
                appeal=appeal,
                uphold=form.cleaned_data["outcome"] == "uphold",
                expected_state=form.cleaned_data["expected_state"],
                comment=form.cleaned_data["comment"],
                send_back_to=form.cleaned_data["send_back_to"],
            )
        except engine.AlreadyHandled as error:
            messages.warning(request, error.messages[0])
            return redirect(appeal)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            appeal.refresh_from_db()
            messages.success(request, _("申诉已处理：%(s)s。") % {"s": appeal.get_state_display()})
            return redirect(appeal)
    appeal = appeal_selectors.appeal_detail(request.user, pk)
    return render(
        request, "cases/appeal_detail.html", _detail_context(request, appeal, form), status=400
    )


@login_required
def appeal_list(request):
    state = request.GET.get("state", "")
    if state not in Appeal.State.values:
        state = ""
    page = paginate(request, appeal_selectors.appeal_list(request.user, state), PAGE_SIZE)
    return render(
        request,
        "cases/appeal_list.html",
        {
            **page,
            "to_decide": appeal_selectors.appeals_to_decide(request.user),
            "states": Appeal.State.choices,
            "state": state,
        },
    )
