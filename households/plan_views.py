"""The aid plan's pages: the plan with its exit date, and a measure's progress."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hardship.formtools import form_errors_from
from households import plans, services
from households.forms import AidMeasureFormSetFactory, ExitTargetForm, MeasureProgressForm
from households.models import AidMeasure
from households.views import _household


@login_required
def aid_plan_edit(request, pk):
    household = _household(request, pk, write=True)
    causes = list(household.causes.all())
    # The eligible owners, and whoever already owns a measure (a closed row keeps its owner).
    owners = plans.measure_owner_choices(household.union) | get_user_model().objects.filter(
        pk__in=household.measures.values("owner")
    )
    data = request.POST or None
    exit_form = ExitTargetForm(
        data, prefix="plan", initial={"exit_target_on": household.exit_target_on}
    )
    formset = AidMeasureFormSetFactory(
        data,
        instance=household,
        prefix="measures",
        form_kwargs={"causes": causes, "owners": owners.distinct()},
    )
    if request.method == "POST" and all([exit_form.is_valid(), formset.is_valid()]):
        try:
            services.aid_plan_save(
                actor=request.user,
                household=household,
                measures=formset.cleaned_data,
                exit_target_on=exit_form.cleaned_data["exit_target_on"],
            )
        except ValidationError as error:
            form_errors_from(exit_form, error)
        else:
            messages.success(request, _("帮扶计划已保存。"))
            return redirect("household_detail", pk=household.pk)
    return render(
        request,
        "households/aid_plan.html",
        {"household": household, "formset": formset, "exit_form": exit_form, "causes": causes},
    )


@login_required
@require_POST
def measure_progress(request, pk):
    """开始实施 / 完成 / 未达成 for one measure of the household's plan."""
    household = _household(request, pk, write=True)
    form = MeasureProgressForm(request.POST)
    back = f"{household.get_absolute_url()}#plan"
    if not form.is_valid():
        messages.error(request, _("请选择措施的新状态并填写日期。"))
        return redirect(back)
    try:
        measure = household.measures.get(pk=form.cleaned_data["measure"])
    except AidMeasure.DoesNotExist:
        raise Http404 from None
    try:
        measure = services.measure_progress(
            actor=request.user,
            measure=measure,
            status=form.cleaned_data["status"],
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("措施“%(m)s”：%(s)s。")
            % {"m": measure.get_measure_display(), "s": measure.get_status_display()},
        )
    return redirect(back)
