"""Employment pages: parse, authorise (a record outside the scope is a 404, a write the role
may not make is a 403 before any form is read), call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employment import selectors, services
from employment.forms import (
    CourseForm,
    EnrolForm,
    EnrolmentResultForm,
    MatchForm,
    PartnerForm,
    PlacementConfirmForm,
    ReferralForm,
    ReferralResultForm,
    VacancyForm,
)
from employment.models import Partner
from hardship import access
from hardship.formtools import form_errors_from
from hardship.pagination import paginate
from households.models import AidMeasure, Member
from households.plans import open_measures

NOT_READER = _("只有工会工作人员可以查看就业帮扶。")


def _require_reader(user):
    if not selectors.reads_employment(user):
        raise PermissionDenied(NOT_READER)


def _require_editor(user):
    if not selectors.edits_employment(user):
        raise PermissionDenied(selectors.NOT_EDITOR)


def _household_page(household):
    return reverse("employment_household", args=[household.pk])


def _form_page(request, form, *, title, intro="", back, multipart=False):
    return render(
        request,
        "employment/form.html",
        {"form": form, "title": title, "intro": intro, "back": back, "multipart": multipart},
    )


@login_required
def index(request):
    _require_reader(request.user)
    user = request.user
    return render(
        request,
        "employment/index.html",
        {
            "partners": selectors.partners_visible_to(user),
            "vacancies": selectors.vacancies_visible_to(user).filter(is_open=True),
            "courses": selectors.courses_visible_to(user)[:30],
            "pending": selectors.pending_placements(user),
            "referrals": selectors.recent_referrals(user),
            "can_edit": selectors.edits_employment(user),
        },
    )


def _create(request, form, call, *, title, success):
    """POST a valid form to a service; its ValidationError goes back onto the form."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = call(form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, success % {"n": obj})
            return redirect("employment_index")
    return _form_page(request, form, title=title, back=reverse("employment_index"))


@login_required
def partner_create(request):
    _require_editor(request.user)
    form = PartnerForm(request.POST or None, units=selectors.register_units(request.user))
    return _create(
        request,
        form,
        lambda data: services.partner_create(actor=request.user, **data),
        title=_("登记用工单位或培训机构"),
        success=_("“%(n)s”已登记。"),
    )


@login_required
def vacancy_create(request):
    _require_editor(request.user)
    employers = Partner.objects.filter(
        kind=Partner.Kind.EMPLOYER, unit__in=selectors.register_units(request.user)
    )
    form = VacancyForm(request.POST or None, employers=employers)
    return _create(
        request,
        form,
        lambda data: services.vacancy_create(actor=request.user, **data),
        title=_("登记招聘岗位"),
        success=_("岗位“%(n)s”已登记。"),
    )


@login_required
def course_create(request):
    _require_editor(request.user)
    providers = Partner.objects.filter(
        kind=Partner.Kind.PROVIDER, unit__in=selectors.register_units(request.user)
    ).select_related("unit")
    units = {p.unit for p in providers}
    funds = selectors.funds_for_course_units(units)
    form = CourseForm(request.POST or None, providers=providers, funds=funds)
    return _create(
        request,
        form,
        lambda data: services.course_create(actor=request.user, **data),
        title=_("登记培训课程"),
        success=_("培训课程“%(n)s”已登记。"),
    )


@login_required
def course_detail(request, pk):
    course = selectors.get_course_for(request.user, pk)
    enrolments = course.enrolments.filter(
        member__household__in=selectors.households_served(request.user)
    ).select_related("member__household__union")
    return render(
        request,
        "employment/course_detail.html",
        {"course": course, "enrolments": enrolments},
    )


@login_required
def match(request):
    _require_reader(request.user)
    vacancies = selectors.vacancies_visible_to(request.user).filter(is_open=True)
    form = MatchForm(request.GET or None, vacancies=vacancies)
    filters = form.cleaned_data if form.is_valid() else {}
    narrowed = {
        "vacancy": filters.get("vacancy"),
        "trade": filters.get("trade", ""),
        "age_band": filters.get("age_band", ""),
        "location": filters.get("location", ""),
    }
    members = selectors.match_members(request.user, **narrowed)
    count = None if any(narrowed.values()) else selectors.jobseekers_counted(request.user)
    return render(
        request,
        "employment/match.html",
        {
            "form": form,
            "vacancy": filters.get("vacancy"),
            **paginate(request, members, count=count),
            "can_edit": selectors.edits_employment(request.user),
        },
    )


@login_required
def household(request, pk):
    household = selectors.get_household_for(request.user, pk)
    can_edit = access.can_edit_household(request.user, household)
    return render(
        request,
        "employment/household.html",
        {
            "household": household,
            "members": selectors.household_employment(household),
            "can_edit": can_edit and household.status == household.Status.IN_FILE,
            "courses": list(selectors.courses_open_for(request.user)) if can_edit else [],
            "measures": list(open_measures(household)) if can_edit else [],
        },
    )


@login_required
@require_POST
def enrol(request, pk):
    member = selectors.get_member_for(request.user, pk, write=True)
    form = EnrolForm(
        request.POST,
        courses=selectors.courses_open_for(request.user),
        measures=open_measures(member.household),
    )
    if form.is_valid():
        try:
            services.enrolment_create(
                actor=request.user,
                member=member,
                course=form.cleaned_data["course"],
                measure=form.cleaned_data["measure"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(m)s 已报名“%(c)s”。") % {"m": member.name, "c": form.cleaned_data["course"]},
            )
    else:
        messages.error(request, _("请选择一个尚未结业的培训课程。"))
    return redirect(_household_page(member.household))


@login_required
def enrolment_result(request, pk):
    enrolment = selectors.get_enrolment_for(request.user, pk, write=True)
    form = EnrolmentResultForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_result(
                actor=request.user,
                enrolment=enrolment,
                result=form.cleaned_data["result"],
                certificate_number=form.cleaned_data["certificate_number"],
                upload=form.cleaned_data["certificate"] or None,
                content_type=form.content_type,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("培训结果已登记。"))
            return redirect(_household_page(enrolment.member.household))
    return _form_page(
        request,
        form,
        title=_("登记培训结果：%(m)s · %(c)s") % {"m": enrolment.member, "c": enrolment.course},
        back=_household_page(enrolment.member.household),
        multipart=True,
    )


@login_required
def certificate(request, pk):
    enrolment = selectors.get_enrolment_for(request.user, pk)
    if not enrolment.certificate:
        raise Http404
    try:
        handle = enrolment.certificate.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type=enrolment.certificate_type, filename=enrolment.certificate_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def referral_create(request, pk):
    member = selectors.get_member_for(request.user, pk, write=True)
    employers = selectors.partners_visible_to(request.user, Partner.Kind.EMPLOYER)
    vacancies = selectors.vacancies_visible_to(request.user).filter(is_open=True)
    initial = {}
    vacancy = vacancies.filter(pk=request.GET.get("vacancy") or 0).first()
    if vacancy is not None:
        initial = {
            "employer": vacancy.employer,
            "vacancy": vacancy,
            "position": vacancy.position,
            "wage_offered": vacancy.monthly_wage,
        }
    form = ReferralForm(
        request.POST or None,
        initial=initial,
        employers=employers,
        vacancies=vacancies,
        measures=open_measures(member.household),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("已推荐 %(m)s 到“%(e)s”。")
                % {"m": member.name, "e": form.cleaned_data["employer"]},
            )
            return redirect(_household_page(member.household))
    return _form_page(
        request,
        form,
        title=_("职业介绍：%(m)s") % {"m": member.name},
        back=_household_page(member.household),
    )


@login_required
def referral_result(request, pk):
    referral = selectors.get_referral_for(request.user, pk, write=True)
    form = ReferralResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_result(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("推荐结果已登记。"))
            return redirect(_household_page(referral.member.household))
    return _form_page(
        request,
        form,
        title=_("登记推荐结果：%(m)s → %(e)s") % {"m": referral.member, "e": referral.employer},
        intro=_("已录用的，确认后才写入档案（成员就业情况和月收入）。"),
        back=_household_page(referral.member.household),
    )


@login_required
def placement_confirm(request, pk):
    placement = selectors.get_placement_for(request.user, pk, write=True)
    member = placement.referral.member
    household = member.household
    measures = AidMeasure.objects.filter(
        household=household, measure=AidMeasure.Measure.EMPLOYMENT, completed_on__isnull=True
    )
    # Every field is optional: a POST without one still confirms.
    data = request.POST if request.method == "POST" else None
    form = PlacementConfirmForm(data, measures=measures)
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_confirm(
                actor=request.user, placement=placement, measure=form.cleaned_data["measure"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("已确认 %(m)s 的就业安置，档案中的就业情况和月收入已更新。") % {"m": member.name},
            )
            return redirect(household)
    return render(
        request,
        "employment/placement_confirm.html",
        {
            "form": form,
            "placement": placement,
            "member": member,
            "household": household,
            "employed_label": Member.Employment.EMPLOYED.label,
        },
    )
