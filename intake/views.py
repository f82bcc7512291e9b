"""Pages of the intake register: thin (parse, authorise, call a service, render)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import applications_visible_to
from cases.forms import ApplicationForm
from cases.models import Application
from hardship import access
from hardship.formtools import form_errors_from
from hardship.idnumber import gender_of, normalise_id_number
from hardship.pagination import paginate
from households.access import households_visible_to
from households.forms import HouseholdForm, IncomeFormSetFactory, MemberFormSetFactory
from households.models import Household
from intake import scope, selectors, services
from intake.forms import (
    ActionForm,
    CloseForm,
    ContactFilterForm,
    ContactForm,
    FollowUpForm,
    OnlineContactForm,
)
from intake.models import IntakeRevealLog

PAGE_SIZE = 25


def _list(request, contacts, title, *, form=None):
    return render(
        request,
        "intake/list.html",
        {
            "title": title,
            "form": form,
            **paginate(request, contacts, PAGE_SIZE),
            "can_record": scope.may_record(request.user),
        },
    )


@login_required
def contact_register(request):
    scope.require_reader(request.user)
    units = access.units_visible_to(request.user).order_by("path")
    form = ContactFilterForm(request.GET or None, units=units)
    filters = form.cleaned_data if form.is_valid() else {}
    contacts = selectors.contact_register(request.user, filters)
    return _list(request, contacts, _("来电来访来信登记"), form=form)


@login_required
def contact_mine(request):
    scope.require_reader(request.user)
    return _list(request, selectors.my_contacts(request.user), _("我承办的来访"))


@login_required
def contact_overdue(request):
    scope.require_reader(request.user)
    return _list(request, selectors.overdue_contacts(request.user), _("超期未办结的来访"))


@login_required
def contact_create(request):
    if not scope.may_record(request.user):
        raise PermissionDenied(scope.REFUSED)
    form = ContactForm(
        request.POST or None,
        request.FILES or None,
        units=scope.reception_units(request.user).order_by("path"),
        complaint_units=scope.complaint_units(request.user).order_by("path"),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            contact = services.contact_record(
                actor=request.user, attachment_type=form.attachment_type, **data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("已登记 %(n)s，交%(unit)s %(who)s办理，时限 %(due)s。")
                % {
                    "n": contact.number,
                    "unit": contact.unit.name,
                    "who": contact.handler or _("（待指派）"),
                    "due": contact.due_on,
                },
            )
            if scope.contacts_visible_to(request.user).filter(pk=contact.pk).exists():
                return redirect(contact)
            return redirect("intake_register")  # routed up, out of the recorder's sight
    return render(request, "intake/form.html", {"form": form})


@login_required
def contact_detail(request, pk):
    contact = scope.get_contact_for(request.user, pk)
    may_handle = scope.may_handle(request.user, contact)
    households = households_visible_to(request.user)
    return render(
        request,
        "intake/detail.html",
        {
            "contact": contact,
            "actions": contact.actions.select_related("actor"),
            "legal_cases": selectors.legal_cases_of(contact),
            "may_handle": may_handle,
            "may_reveal": scope.may_reveal(request.user, contact.unit),
            "household_visible": contact.household_id
            and households.filter(pk=contact.household_id).exists(),
            "application_visible": contact.application_id
            and applications_visible_to(request.user).filter(pk=contact.application_id).exists(),
            "action_form": ActionForm(),
            "close_form": CloseForm(),
            "follow_up_form": FollowUpForm(),
        },
    )


@login_required
@require_POST
def contact_reveal(request, pk, field):
    if field not in IntakeRevealLog.Field.values:
        raise Http404
    contact = scope.get_contact_for(request.user, pk)
    if not scope.may_reveal(request.user, contact.unit):
        raise PermissionDenied(_("您的角色不能查看该项完整信息。"))
    services.reveal_logged(user=request.user, field=field, contact=contact)
    return render(
        request,
        "households/includes/_revealed.html",
        {"field": field, "value": getattr(contact, field)},
    )


def _handled(request, pk, form_class, call, done):
    """A POST of the contact page: the handler's right first (403), then the form."""
    contact = scope.get_contact_for(request.user, pk, write=True)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(contact, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(
            request,
            " ".join(f"{form.fields[f].label}：{' '.join(e)}" for f, e in form.errors.items()),
        )
    return redirect(contact)


@login_required
@require_POST
def contact_act(request, pk):
    return _handled(
        request,
        pk,
        ActionForm,
        lambda contact, note: services.contact_act(actor=request.user, contact=contact, note=note),
        _("办理情况已记录。"),
    )


@login_required
@require_POST
def contact_close(request, pk):
    return _handled(
        request,
        pk,
        CloseForm,
        lambda contact, **data: services.contact_close(actor=request.user, contact=contact, **data),
        _("已办结。"),
    )


@login_required
@require_POST
def contact_follow_up(request, pk):
    return _handled(
        request,
        pk,
        FollowUpForm,
        lambda contact, **data: services.contact_follow_up(
            actor=request.user, contact=contact, **data
        ),
        _("回访结果已记录。"),
    )


@login_required
def contact_household(request, pk):
    """A draft household file pre-filled from the contact (the registry's own form)."""
    contact = scope.get_contact_for(request.user, pk, write=True)
    if contact.household_id is not None:
        messages.info(request, _("该登记已关联档案。"))
        return redirect(contact)
    unions = access.editable_units(request.user).order_by("path")
    data = request.POST if request.method == "POST" else None
    initial = {
        "worker_name": contact.caller_name,
        "id_number": contact.id_number,
        "phone": contact.phone,
        "address": contact.address,
        "gender": gender_of(contact.id_number) if contact.id_number else "",
        "union": contact.worker_unit_id
        if contact.worker_unit_id and unions.filter(pk=contact.worker_unit_id).exists()
        else None,
        "notes": _("来自来访登记 %(n)s：%(s)s") % {"n": contact.number, "s": contact.summary[:300]},
    }
    household = Household()
    form = HouseholdForm(data, instance=household, unions=unions, initial=initial)
    worker_id = form.data.get("id_number", "") if data else contact.id_number
    members = MemberFormSetFactory(
        data, instance=household, prefix="members", worker_id_number=normalise_id_number(worker_id)
    )
    incomes = IncomeFormSetFactory(data, instance=household, prefix="incomes")
    if data is not None and all([form.is_valid(), members.is_valid(), incomes.is_valid()]):
        try:
            saved = services.contact_to_household(
                actor=request.user,
                contact=contact,
                household=form.instance,
                data=form.cleaned_data,
                members=members.cleaned_data,
                incomes=incomes.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("已建立草稿档案 %(n)s，并关联到本登记。") % {"n": saved.file_number}
            )
            return redirect(contact)
    if contact.id_number:
        # The form shows the caller's ID number in full: logged like a "显示".
        services.reveal_logged(user=request.user, field="id_number", contact=contact)
    return render(
        request,
        "households/form.html",
        {
            "form": form,
            "members": members,
            "incomes": incomes,
            "household": household,
            "title": _("由来访登记 %(n)s 建立档案") % {"n": contact.number},
        },
    )


@login_required
def contact_application(request, pk):
    """An application for the contact's household, its reason pre-filled from the summary."""
    contact = scope.get_contact_for(request.user, pk, write=True)
    if contact.application_id is not None or contact.household_id is None:
        messages.info(
            request,
            _("该登记已关联申请。")
            if contact.application_id
            else _("请先为该登记建立或关联困难职工档案。"),
        )
        return redirect(contact)
    household = contact.household
    establish = household.status == Household.Status.DRAFT
    form = ApplicationForm(
        request.POST or None,
        initial={
            "kind": Application.Kind.ESTABLISH if establish else "",
            "reason": contact.summary,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.contact_to_application(
                actor=request.user, contact=contact, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("申请 %(n)s 已提交，并关联到本登记。") % {"n": application.number}
            )
            return redirect(application)
    return render(
        request,
        "cases/form.html",
        {
            "form": form,
            "household": household,
            "title": _("由来访登记 %(n)s 提出申请") % {"n": contact.number},
        },
    )


@login_required
def contact_attachment(request, pk):
    contact = scope.get_contact_for(request.user, pk)
    if not contact.attachment:
        raise Http404
    if not scope.may_reveal(request.user, contact.unit):
        raise PermissionDenied(_("来信扫描件含个人信息，您的角色不能打开。"))
    try:
        handle = contact.attachment.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type=contact.attachment_type, filename=contact.attachment_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def online_contact(request):
    """The worker's own page: send a request or question, and see what became of earlier
    ones."""
    if not scope.is_worker(request.user):
        raise PermissionDenied(_("只有职工本人可以在线提交求助或咨询。"))
    form = OnlineContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_submit_online(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("已收到，登记编号 %(n)s，将在 %(due)s 前答复您。")
                % {"n": contact.number, "due": contact.due_on},
            )
            return redirect("online_contact")
    return render(
        request,
        "intake/online.html",
        {"form": form, "contacts": selectors.own_contacts(request.user)},
    )
