"""Pages of legal aid (法律援助) and the front door's statistics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hardship import access
from hardship.formtools import form_errors_from
from hardship.pagination import paginate
from intake import figures, legal, scope, selectors, services
from intake.forms import (
    ConcludeForm,
    LegalCaseForm,
    ProviderForm,
    ReferForm,
    StatisticsForm,
)
from intake.models import IntakeRevealLog, LegalAidCase


@login_required
def legal_aid_list(request):
    scope.require_reader(request.user)
    filters = {
        "status": request.GET.get("status", ""),
        "matter": request.GET.get("matter", ""),
    }
    cases = selectors.legal_case_list(request.user, filters)
    return render(
        request,
        "intake/legal_list.html",
        {
            **paginate(request, cases, 25),
            "filters": filters,
            "statuses": LegalAidCase.Status.choices,
            "matters": LegalAidCase.Matter.choices,
            "can_record": scope.may_record(request.user),
        },
    )


@login_required
def legal_aid_create(request):
    if not scope.may_record(request.user):
        raise PermissionDenied(legal.REFUSED)
    contact = None
    initial = {}
    contact_pk = request.GET.get("contact") or request.POST.get("contact")
    if contact_pk:
        contact = scope.get_contact_for(request.user, contact_pk, write=True)
        initial = {
            "unit": contact.unit_id,
            "worker_name": contact.caller_name,
            "id_number": contact.id_number,
            "phone": contact.phone,
            "summary": contact.summary,
        }
    form = LegalCaseForm(
        request.POST or None,
        initial=initial,
        units=scope.reception_units(request.user).order_by("path"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = legal.legal_case_open(actor=request.user, contact=contact, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("法律援助案件 %(n)s 已受理。") % {"n": case.number})
            return redirect(case)
    return render(request, "intake/legal_form.html", {"form": form, "contact": contact})


@login_required
def legal_aid_detail(request, pk):
    case = scope.get_legal_case_for(request.user, pk)
    writable = access.covers(request.user, scope.RECEPTION, case.unit.path)
    return render(
        request,
        "intake/legal_detail.html",
        {
            "case": case,
            "may_write": writable and case.status != LegalAidCase.Status.CONCLUDED,
            "may_reveal": scope.may_reveal(request.user, case.unit),
            "refer_form": ReferForm(
                providers=scope.providers_for(request.user).filter(active=True)
            ),
            "conclude_form": ConcludeForm(),
            "contact_visible": case.contact_id
            and scope.contacts_visible_to(request.user).filter(pk=case.contact_id).exists(),
        },
    )


def _case_post(request, pk, form, call, done):
    case = scope.get_legal_case_for(request.user, pk, write=True)
    form = form(request)
    if form.is_valid():
        try:
            call(case, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(
            request,
            " ".join(f"{form.fields[f].label}：{' '.join(e)}" for f, e in form.errors.items()),
        )
    return redirect(case)


@login_required
@require_POST
def legal_aid_refer(request, pk):
    return _case_post(
        request,
        pk,
        lambda r: ReferForm(r.POST, providers=scope.providers_for(r.user).filter(active=True)),
        lambda case, **data: legal.legal_case_refer(actor=request.user, case=case, **data),
        _("已转介。"),
    )


@login_required
@require_POST
def legal_aid_conclude(request, pk):
    return _case_post(
        request,
        pk,
        lambda r: ConcludeForm(r.POST),
        lambda case, **data: legal.legal_case_conclude(actor=request.user, case=case, **data),
        _("已结案。"),
    )


@login_required
@require_POST
def legal_aid_reveal(request, pk, field):
    if field not in IntakeRevealLog.Field.values:
        raise Http404
    case = scope.get_legal_case_for(request.user, pk)
    if not scope.may_reveal(request.user, case.unit):
        raise PermissionDenied(_("您的角色不能查看该项完整信息。"))
    services.reveal_logged(user=request.user, field=field, legal_case=case)
    return render(
        request,
        "households/includes/_revealed.html",
        {"field": field, "value": getattr(case, field)},
    )


@login_required
def legal_aid_providers(request):
    scope.require_reader(request.user)
    may_add = scope.may_record(request.user)
    if request.method == "POST" and not may_add:
        raise PermissionDenied(legal.REFUSED)
    form = (
        ProviderForm(
            request.POST or None, units=scope.reception_units(request.user).order_by("path")
        )
        if may_add
        else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            provider = legal.provider_save(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("已登记 %(n)s。") % {"n": provider.name})
            return redirect("legal_aid_providers")
    return render(
        request,
        "intake/providers.html",
        {"providers": scope.providers_for(request.user), "form": form},
    )


@login_required
def intake_statistics(request):
    scope.require_reader(request.user)
    units = access.units_visible_to(request.user).order_by("path")
    top = units.first()
    today = timezone.localdate()
    form = StatisticsForm(
        request.GET or {"unit": top.pk, "year": today.year},
        units=units,
    )
    if form.is_valid():
        unit, year, month = (form.cleaned_data[k] for k in ("unit", "year", "month"))
    else:
        unit, year, month = top, today.year, None
    return render(
        request,
        "intake/statistics.html",
        {
            "form": form,
            "unit": unit,
            "year": year,
            "month": month,
            "figures": figures.front_door_figures(unit, year, month),
            "months": [] if month else figures.monthly(unit, year),
        },
    )
