"""Pages of payment verification by sampling (发放核查): the list, drawing a sample, one
verification with its result rate, and recording a household's answer. Finance and the
auditors draw and record (for the auditor it is audit work: the one exception to the
auditor's read-only rule)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crosscheck import selectors, verification
from crosscheck.forms import RecordForm, VerificationForm
from funds.models import DistributionPlan
from hardship import access
from hardship.formtools import form_errors_from
from hardship.models import Unit
from hardship.pagination import paginate


def _require_verifier(user):
    if not access.scope_paths(user, access.VERIFIERS):
        raise PermissionDenied(_("发放核查由财务和审计办理。"))


@login_required
@require_GET
def verification_list(request):
    _require_verifier(request.user)
    paged = paginate(request, selectors.verifications_visible_to(request.user), 50)
    return render(request, "crosscheck/verifications.html", paged)


@login_required
@require_http_methods(["GET", "POST"])
def verification_create(request):
    _require_verifier(request.user)
    paths = access.scope_paths(request.user, access.VERIFIERS)
    units = Unit.objects.filter(access.path_q("path", paths)).order_by("path")
    plans = DistributionPlan.objects.filter(
        access.path_q("unit__path", paths), state=DistributionPlan.State.POSTED
    ).order_by("-pay_on", "-pk")
    if request.method != "POST":
        form = VerificationForm(
            units=units,
            plans=plans,
            initial={"year": datetime.date.today().year, "confidence": "95", "margin": "10"},
        )
        return render(request, "crosscheck/verification_form.html", {"form": form})
    form = VerificationForm(request.POST, units=units, plans=plans)
    if form.is_valid():
        data = form.cleaned_data
        try:
            drawn = verification.verification_draw(
                actor=request.user,
                unit=data["unit"],
                plan=data["plan"],
                year=None if data["plan"] else data["year"],
                confidence=data["confidence"],
                margin=data["margin"],
                fixed_size=data["fixed_size"],
                seed=data["seed"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("已从 %(population)d 户中抽取 %(n)d 户，随机种子 %(seed)d。")
                % {"population": drawn.population, "n": drawn.items.count(), "seed": drawn.seed},
            )
            return redirect(drawn)
    return render(request, "crosscheck/verification_form.html", {"form": form}, status=400)


@login_required
@require_GET
def verification_detail(request, pk):
    drawn = selectors.get_verification_for(request.user, pk)
    items = drawn.items.select_related("household__union", "recorded_by", "follow_up")
    return render(
        request,
        "crosscheck/verification_detail.html",
        {
            "verification": drawn,
            "items": items,
            "results": verification.results(drawn),
            "record_form": RecordForm(),
            "may_record": verification.may_verify(request.user, drawn.unit),
        },
    )


@login_required
@require_POST
def verification_record(request, pk):
    item = selectors.get_item_for(request.user, pk)
    if not verification.may_verify(request.user, item.verification.unit):
        raise PermissionDenied(_("只有该单位的财务和审计可以登记核查结果。"))
    form = RecordForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请选择核实结果和核实方式。"))
        verification.verification_record(
            actor=request.user,
            item=item,
            result=form.cleaned_data["result"],
            method=form.cleaned_data["method"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("已登记 %(name)s 的核实结果。") % {"name": item.household.worker_name}
        )
    return redirect(f"{item.verification.get_absolute_url()}#item-{item.pk}")
