from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hardship import access
from hardship.idnumber import normalise_id_number
from hardship.pagination import keyset_paginate
from households import cards, plans, selectors, services
from households.access import get_evidence_for, get_household_for
from households.assessment import assess, is_zero_employment
from households.expiry import expired_evidence_of
from households.figures import attach_family_figures
from households.forms import (
    EvidenceForm,
    HouseholdFilterForm,
    HouseholdForm,
    IncomeFormSetFactory,
    MemberFormSetFactory,
)
from households.models import Household, RevealLog
from households.reveals import reveal_logged


@login_required
def household_list(request):
    units = access.units_visible_to(request.user).order_by("path")
    form = HouseholdFilterForm(request.GET or None, unions=units)
    filters = form.cleaned_data if form.is_valid() else {}
    # Paged by key, so page 500 costs what page 1 does; the family's figures for the page only.
    rows = selectors.household_list(request.user, filters).select_related("responsible_user")
    count = selectors.household_list_count(request.user, filters)
    page = keyset_paginate(request, rows, count=count)
    attach_family_figures(page["page"].object_list)
    return render(
        request,
        "households/list.html",
        {
            "form": form,
            **page,
            "can_create": access.can_create_households(request.user),
            "searches_identity": access.searches_identity(request.user),
            "can_export": access.reads_registry(request.user),
        },
    )


@login_required
def household_detail(request, pk):
    household = selectors.household_detail(request.user, pk)
    # Screening flags and the change history are the union's working notes, not the worker's.
    internal = access.reads_registry_of(request.user, household)
    health = access.can_see_health(request.user, household)
    card_refusal = (
        cards.confirm_refusal(request.user, household) if household.card_pending else None
    )
    return render(
        request,
        "households/detail.html",
        {
            "household": household,
            "assessment": assess(household),
            "zero_employment": is_zero_employment(household),
            "reads_employment": internal,
            "flags": selectors.flags_for(request.user, household) if internal else [],
            "plan_problems": plans.plan_problems(household, timezone.localdate())
            if internal
            else [],
            "plan_rows": plans.plan_rows(request.user, household),
            "history": selectors.household_history(household) if internal else None,
            "may_reveal": access.can_see_identity(request.user, household),
            "may_reveal_members": health,
            "show_health": health,
            "can_edit": access.can_edit_household(request.user, household),
            "can_upload": access.can_add_evidence(request.user, household),
            "can_apply": household.is_editable and access.can_file_for(request.user, household),
            "applications": household.applications.prefetch_related("appeals__lodged_by").order_by(
                "-filed_at"
            ),
            "visits": household.visits.select_related("recorded_by", "ledger_entry__fund"),
            "aid": selectors.aid_history(household),
            "evidence_form": EvidenceForm(causes=household.causes.all()),
            "expired_evidence": expired_evidence_of(household, timezone.localdate()),
            "card_changes": household.card_changes.select_related("changed_by", "confirmed_by")
            if internal
            else [],
            "can_confirm_card": household.card_pending and card_refusal is None,
            "card_refusal": card_refusal,
        },
    )


@login_required
@require_POST
def card_confirm(request, pk):
    """The second person confirms a changed bank card (双人确认)."""
    household = _household(request, pk)
    if not access.may_confirm_card(request.user, household):
        raise PermissionDenied(cards.confirm_refusal(request.user, household))
    try:
        cards.card_confirm(actor=request.user, household=household)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("银行卡变更已确认，可以银行发放。"))
    return redirect("household_detail", pk=household.pk)


def household_forms(request, household, unions):
    data = request.POST if request.method == "POST" else None
    form = HouseholdForm(data, instance=household, unions=unions)
    worker_id = form.data.get("id_number", "") if data else household.id_number
    members = MemberFormSetFactory(
        data,
        instance=household,
        prefix="members",
        worker_id_number=normalise_id_number(worker_id),
    )
    incomes = IncomeFormSetFactory(data, instance=household, prefix="incomes")
    return form, members, incomes


def log_form_shown(request, household):
    """The edit and review forms show the ID, phone and card numbers and the members' IDs and
    health in full (an editor corrects them there): each showing of an existing file's form
    is logged like a "显示" (docs/architecture.md, Privacy)."""
    reveal_logged(user=request.user, household=household, field=RevealLog.Field.EDIT_FORM)


def _save_household(request, household, template_title):
    existing = household.pk is not None  # a failed first save may leave a pk on the instance
    form, members, incomes = household_forms(
        request, household, access.editable_units(request.user).order_by("path")
    )
    if request.method == "POST" and all([form.is_valid(), members.is_valid(), incomes.is_valid()]):
        try:
            saved = services.household_save(
                actor=request.user,
                household=household,
                data=form.cleaned_data,
                members=members.cleaned_data,
                incomes=incomes.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("档案 %(n)s 已保存。") % {"n": saved.file_number})
            return redirect("household_detail", pk=saved.pk)
    if existing:
        log_form_shown(request, household)
    return render(
        request,
        "households/form.html",
        {
            "form": form,
            "members": members,
            "incomes": incomes,
            "household": household,
            "title": template_title,
        },
    )


@login_required
def household_create(request):
    if not access.can_create_households(request.user):
        raise PermissionDenied(_("只有帮扶专干、基层工会主席和公司工会复核可以新建档案。"))
    return _save_household(request, Household(), _("新建困难职工档案"))


def _household(request, pk, *, write=False) -> Household:
    """The file alone (with its causes) for a page that changes it: the forms and formsets
    read their own rows, so the detail page's prefetches would be read twice."""
    queryset = Household.objects.prefetch_related("causes")
    return get_household_for(request.user, pk, write=write, queryset=queryset)


@login_required
def household_edit(request, pk):
    household = _household(request, pk, write=True)
    return _save_household(request, household, _("编辑档案 %(n)s") % {"n": household.file_number})


@login_required
@require_POST
def evidence_upload(request, pk):
    household = _household(request, pk)
    if not access.can_add_evidence(request.user, household):
        raise PermissionDenied(
            _(
                "只有能修改该档案的帮扶专干、基层工会主席、公司工会复核，或职工本人，"
                "可以为草稿或在档的档案上传证明材料。"
            )
        )
    form = EvidenceForm(request.POST, request.FILES, causes=household.causes.all())
    if form.is_valid():
        try:
            services.evidence_add(
                actor=request.user,
                household=household,
                cause=form.cleaned_data["cause"],
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                content_type=form.content_type,
                valid_until=form.cleaned_data["valid_until"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("证明材料已上传。"))
            back = request.POST.get("next", "")
            if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                return redirect(back)
            return redirect(f"{household.get_absolute_url()}#evidence")
    return render(
        request,
        "households/evidence_form.html",
        {"household": household, "form": form},
        status=400,
    )


@login_required
def evidence_download(request, pk):
    evidence = get_evidence_for(request.user, pk)
    if not access.can_see_health(request.user, evidence.household):
        raise PermissionDenied(
            _("证明材料含健康等敏感信息，您的角色不能打开（财务和审计只查看脱敏信息）。")
        )
    reveal_logged(user=request.user, household=evidence.household, field="evidence")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type=evidence.content_type, filename=evidence.original_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = get_evidence_for(request.user, pk, write=True)
    services.evidence_delete(actor=request.user, evidence=evidence)
    messages.success(request, _("证明材料“%(n)s”已删除。") % {"n": evidence.original_name})
    return redirect(f"{evidence.household.get_absolute_url()}#evidence")


REVEALABLE = {
    "id_number": ("id_number", access.can_see_identity),
    "phone": ("phone", access.can_see_identity),
    "bank_account": ("bank_account", access.can_see_identity),
    "contact_phone": ("contact_phone", access.can_see_identity),
    "members": (None, access.can_see_health),
}


@login_required
@require_POST
def household_reveal(request, pk, field):
    """Show one masked value in full to a role that needs it, and log that it was seen."""
    if field not in REVEALABLE:
        raise Http404
    attribute, allowed = REVEALABLE[field]
    # Revealing members re-renders their table; any other field is one value.
    household = (
        selectors.household_detail(request.user, pk)
        if attribute is None
        else _household(request, pk)
    )
    if not allowed(request.user, household):
        raise PermissionDenied(_("您的角色不能查看该项完整信息。"))
    reveal_logged(user=request.user, household=household, field=field)
    if attribute is None:
        return render(
            request, "households/includes/_members.html", {"household": household, "revealed": True}
        )
    return render(
        request,
        "households/includes/_revealed.html",
        {"field": field, "value": getattr(household, attribute)},
    )
