"""Pages of the results (绩效评价): the units and their sheets, a unit's indicator sheet with
its outcomes, setting targets, and the satisfaction surveys. Thin: parse, authorise through
evaluation.access, call a service or a selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation import access, selectors, services
from evaluation.forms import AnswerForm, SurveyForm, TargetForm
from evaluation.indicators import indicator_sheet
from evaluation.outcomes import outcomes
from hardship.formtools import form_errors_from
from hardship.pagination import paginate


def _year(request) -> int:
    year = request.GET.get("year", "")
    return int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year


@login_required
@require_GET
def evaluation_index(request):
    access.require_reader(request.user)
    year = _year(request)
    context = paginate(request, selectors.units_with_results(request.user, year), 50)
    context.update(year=year, weights=selectors.weights_in_force(year))
    return render(request, "evaluation/index.html", context)


@login_required
@require_GET
def evaluation_sheet(request, pk):
    unit = access.get_unit_for(request.user, pk)
    year = _year(request)
    return render(
        request,
        "evaluation/sheet.html",
        {
            "unit": unit,
            "year": year,
            "sheet": indicator_sheet(unit, year),
            "outcomes": outcomes(unit, year),
            "may_set_targets": access.may_set_targets(request.user, unit),
            "may_draw": access.may_draw(request.user, unit),
            "survey": selectors.survey_of(request.user, unit, year),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request, pk):
    unit = access.get_unit_for(request.user, pk, set_targets=True)
    year = _year(request)
    target = selectors.target_of(unit, year)
    if request.method != "POST":
        form = TargetForm(instance=target, initial=selectors.TARGET_DEFAULTS)
        return render(request, "evaluation/target_form.html", _target_context(unit, year, form))
    form = TargetForm(request.POST, instance=target)
    if form.is_valid():
        try:
            services.target_save(actor=request.user, unit=unit, year=year, data=form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("已保存 %(year)d 年绩效目标。") % {"year": year})
            return redirect(f"{reverse('evaluation_sheet', args=[unit.pk])}?year={year}")
    return render(
        request, "evaluation/target_form.html", _target_context(unit, year, form), status=400
    )


def _target_context(unit, year, form):
    return {"unit": unit, "year": year, "form": form}


@login_required
@require_GET
def survey_list(request):
    access.require_reader(request.user)
    context = paginate(request, selectors.surveys_with_counts(request.user), 50)
    context["may_draw"] = access.draws_surveys(request.user)
    return render(request, "evaluation/surveys.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request):
    if not access.draws_surveys(request.user):
        raise PermissionDenied(_("满意度回访的抽样由公司工会复核办理。"))
    units = access.draw_units(request.user).order_by("path")
    if request.method != "POST":
        initial = {"year": timezone.localdate().year, "size": 20}
        if request.GET.get("unit", "").isdigit():
            initial["unit"] = int(request.GET["unit"])
        form = SurveyForm(units=units, initial=initial)
        return render(request, "evaluation/survey_form.html", {"form": form})
    form = SurveyForm(request.POST, units=units)
    if form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_draw(
                actor=request.user,
                unit=data["unit"],
                year=data["year"],
                size=data["size"],
                seed=data["seed"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("已从 %(population)d 户中抽取 %(n)d 户，随机种子 %(seed)d。")
                % {"population": survey.population, "n": survey.size, "seed": survey.seed},
            )
            return redirect(survey)
    return render(request, "evaluation/survey_form.html", {"form": form}, status=400)


@login_required
@require_GET
def survey_detail(request, pk):
    survey = access.get_survey_for(request.user, pk)
    return render(
        request,
        "evaluation/survey_detail.html",
        selectors.survey_page(request.user, survey) | {"answer_form": AnswerForm()},
    )


@login_required
@require_POST
def survey_answer(request, pk):
    item = access.get_item_for(request.user, pk)
    form = AnswerForm(request.POST)
    target = f"{item.survey.get_absolute_url()}#item-{item.pk}"
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(target)
    try:
        services.survey_answer(actor=request.user, item=item, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已登记回访结果。"))
    return redirect(target)
