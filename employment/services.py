"""Every change to employment help goes through one of these functions: permission checked
again inside, one transaction, the acting user recorded for history (acted_by)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employment import selectors
from employment.models import Course, Enrolment, Partner, Placement, Referral, Vacancy
from hardship import access
from hardship.history import acted_by
from hardship.templatetags.money import format_yuan
from households import services as household_services
from households.models import AidMeasure, Household, Member
from households.plans import check_measure_link


def _money(value, field, *, positive=True) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("请填写金额。")}) from None
    if not amount.is_finite() or amount < 0 or (positive and amount == 0):
        raise ValidationError({field: _("金额须大于零。") if positive else _("金额不能为负数。")})
    return amount.quantize(Decimal("0.01"))


def _not_future(day: datetime.date, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})


def _editable_household(actor, household_pk) -> Household:
    """The member's household, locked: the actor edits it and it is in file."""
    household = Household.objects.select_for_update().select_related("union").get(pk=household_pk)
    if not access.can_edit_household(actor, household):
        raise PermissionDenied(selectors.NOT_EDITOR)
    if household.status != Household.Status.IN_FILE:
        raise ValidationError(_("先建档后帮扶：只有在档家庭的成员可以参加培训、推荐就业。"))
    return household


def _may_help(actor, member: Member) -> None:
    """Asked first, before any input is judged: whether the actor edits the member's file."""
    household = Household.objects.select_related("union").get(pk=member.household_id)
    if not access.can_edit_household(actor, household):
        raise PermissionDenied(selectors.NOT_EDITOR)


def partner_create(*, actor, unit, kind, name, contact_person="", phone="", address="") -> Partner:
    if not selectors.may_edit_register(actor, unit):
        raise PermissionDenied(selectors.NOT_EDITOR)
    partner = Partner(
        unit=unit,
        kind=kind,
        name=name.strip(),
        contact_person=contact_person,
        phone=phone,
        address=address,
        created_by=actor,
    )
    partner.full_clean()
    with transaction.atomic():
        acted_by(actor, partner)
        partner.save()
    return partner


def vacancy_create(
    *, actor, employer, position, trade, age_min, age_max, location, monthly_wage, openings=1
) -> Vacancy:
    if not selectors.may_edit_register(actor, employer.unit):
        raise PermissionDenied(selectors.NOT_EDITOR)
    if employer.kind != Partner.Kind.EMPLOYER:
        raise ValidationError({"employer": _("请选择用工单位，而不是培训机构。")})
    if age_min > age_max:
        raise ValidationError({"age_max": _("最高年龄不能低于最低年龄。")})
    vacancy = Vacancy(
        employer=employer,
        position=position,
        trade=trade,
        age_min=age_min,
        age_max=age_max,
        location=location,
        monthly_wage=_money(monthly_wage, "monthly_wage"),
        openings=openings,
        created_by=actor,
    )
    vacancy.full_clean()
    with transaction.atomic():
        acted_by(actor, vacancy)
        vacancy.save()
    return vacancy


def course_create(*, actor, provider, name, trade, starts_on, ends_on, cost, fund=None) -> Course:
    """A course; a cost above zero names the fund it is charged to: a fund of the provider's
    union or of a union above it, of the year the course starts. The cost is recorded, not
    posted: the provider is paid through the ledger by finance (see docs/architecture.md)."""
    if not selectors.may_edit_register(actor, provider.unit):
        raise PermissionDenied(selectors.NOT_EDITOR)
    if provider.kind != Partner.Kind.PROVIDER:
        raise ValidationError({"provider": _("请选择培训机构，而不是用工单位。")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结业日期不能早于开班日期。")})
    cost = _money(cost, "cost", positive=False)
    if cost > 0 and fund is None:
        raise ValidationError({"fund": _("培训费用大于零时须选择资金来源。")})
    if fund is not None:
        if not selectors.funds_for_course(provider.unit).filter(pk=fund.pk).exists():
            raise ValidationError(
                {"fund": _("资金来源须是培训机构登记单位或其上级单位的资金账户。")}
            )
        if fund.year != starts_on.year:
            raise ValidationError(
                {
                    "fund": _("资金账户“%(f)s”是 %(y)d 年度的，课程在 %(s)d 年开班。")
                    % {"f": fund.name, "y": fund.year, "s": starts_on.year}
                }
            )
    course = Course(
        provider=provider,
        name=name,
        trade=trade,
        starts_on=starts_on,
        ends_on=ends_on,
        cost=cost,
        fund=fund,
        created_by=actor,
    )
    course.full_clean()
    with transaction.atomic():
        acted_by(actor, course)
        course.save()
    return course


def enrolment_create(*, actor, member: Member, course: Course, measure=None) -> Enrolment:
    """Enrol a member on a course; `measure`: the open measure of the member's household's
    plan the training carries out."""
    _may_help(actor, member)
    check_measure_link(member.household_id, measure)
    if not selectors.courses_visible_to(actor).filter(pk=course.pk).exists():
        raise ValidationError({"course": _("找不到该培训课程。")})
    if course.ends_on < timezone.localdate():
        raise ValidationError(
            {"course": _("该课程已于 %(d)s 结业，不能再报名。") % {"d": course.ends_on}}
        )
    try:
        with transaction.atomic():
            _editable_household(actor, member.household_id)
            enrolment = Enrolment(course=course, member=member, measure=measure, enrolled_by=actor)
            acted_by(actor, enrolment)
            enrolment.save()
    except IntegrityError as error:
        if "enrolment_once_per_course" in str(error):
            raise ValidationError({"course": _("该成员已报名此课程。")}) from error
        raise
    return enrolment


def enrolment_result(
    *, actor, enrolment: Enrolment, result, certificate_number="", upload=None, content_type=""
) -> Enrolment:
    """Record the attendance result. 结业合格 needs the certificate: an upload already checked
    by `households.uploads.sniff_evidence` (its content type given), or one stored before."""
    _may_help(actor, enrolment.member)
    if result not in Enrolment.Result.values or result == Enrolment.Result.ENROLLED:
        raise ValidationError({"result": _("请选择培训结果。")})
    if result == Enrolment.Result.COMPLETED and upload is None and not enrolment.certificate:
        raise ValidationError({"certificate": _("结业合格须上传结业证书（PDF、JPEG 或 PNG）。")})
    with transaction.atomic():
        _editable_household(actor, enrolment.member.household_id)
        enrolment = (
            Enrolment.objects.select_for_update().select_related("member").get(pk=enrolment.pk)
        )
        enrolment.result = result
        enrolment.certificate_number = certificate_number
        stored = None
        if upload is not None:
            enrolment.certificate.save(upload.name, upload, save=False)
            stored = enrolment.certificate
            enrolment.certificate_name = upload.name[-200:]
            enrolment.certificate_type = content_type
        acted_by(actor, enrolment)
        try:
            enrolment.save()
        except Exception:
            if stored is not None:
                stored.delete(save=False)
            raise
    return enrolment


def referral_create(
    *,
    actor,
    member: Member,
    employer: Partner,
    position,
    wage_offered,
    referred_on,
    vacancy=None,
    measure=None,
) -> Referral:
    _may_help(actor, member)
    check_measure_link(member.household_id, measure)
    if employer.kind != Partner.Kind.EMPLOYER or not (
        selectors.partners_visible_to(actor).filter(pk=employer.pk).exists()
    ):
        raise ValidationError({"employer": _("请从本单位及上级单位登记的用工单位中选择。")})
    if vacancy is not None:
        if vacancy.employer_id != employer.pk:
            raise ValidationError({"vacancy": _("所选岗位不属于该用工单位。")})
        if not vacancy.is_open:
            raise ValidationError({"vacancy": _("该岗位已停止招聘。")})
        age = selectors.age_on(member.birth_date, referred_on)
        if not vacancy.age_min <= age <= vacancy.age_max:
            raise ValidationError(
                {
                    "vacancy": _("%(name)s %(age)d 岁，不在该岗位要求的 %(a)d–%(b)d 岁之间。")
                    % {"name": member.name, "age": age, "a": vacancy.age_min, "b": vacancy.age_max}
                }
            )
    _not_future(referred_on, "referred_on", _("推荐日期"))
    with transaction.atomic():
        _editable_household(actor, member.household_id)
        referral = Referral(
            member=member,
            employer=employer,
            vacancy=vacancy,
            position=position,
            wage_offered=_money(wage_offered, "wage_offered"),
            referred_on=referred_on,
            measure=measure,
            referred_by=actor,
        )
        acted_by(actor, referral)
        referral.save()
    return referral


def referral_result(
    *, actor, referral: Referral, result, result_on, start_on=None, monthly_wage=None
) -> Referral:
    """How a referral ended. 已录用 records the placement (start date, monthly wage), which
    changes the file only when a caseworker confirms it (`placement_confirm`)."""
    _may_help(actor, referral.member)
    if result not in Referral.Result.values or result == Referral.Result.PENDING:
        raise ValidationError({"result": _("请选择推荐结果。")})
    _not_future(result_on, "result_on", _("结果日期"))
    if result_on < referral.referred_on:
        raise ValidationError({"result_on": _("结果日期不能早于推荐日期。")})
    if result == Referral.Result.HIRED:
        if start_on is None:
            raise ValidationError({"start_on": _("已录用须填写上岗日期。")})
        if start_on < referral.referred_on:
            raise ValidationError({"start_on": _("上岗日期不能早于推荐日期。")})
        wage = _money(monthly_wage, "monthly_wage")
    with transaction.atomic():
        _editable_household(actor, referral.member.household_id)
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.result != Referral.Result.PENDING:
            raise ValidationError(
                _("该推荐已登记结果“%(r)s”。") % {"r": referral.get_result_display()}
            )
        referral.result = result
        referral.result_on = result_on
        acted_by(actor, referral)
        referral.save(update_fields=["result", "result_on"])
        if result == Referral.Result.HIRED:
            placement = Placement(
                referral=referral, start_on=start_on, monthly_wage=wage, recorded_by=actor
            )
            acted_by(actor, placement)
            placement.save()
    return referral


def placement_confirm(*, actor, placement: Placement, measure: AidMeasure | None = None):
    """The caseworker confirms a placement: the member is 在业 with the wage as monthly income
    on the file (with the reason in its history), the chosen 就业帮扶 measure of the aid plan
    is marked done, and a vacancy whose openings are all filled stops. All or nothing."""
    with transaction.atomic():
        placement = (
            Placement.objects.select_for_update(of=("self",))
            .select_related("referral__member", "referral__employer", "referral__vacancy")
            .get(pk=placement.pk)
        )
        member = placement.referral.member
        household = _editable_household(actor, member.household_id)
        if placement.confirmed_at is not None:
            raise ValidationError(_("该就业安置已经确认。"))
        employer = placement.referral.employer
        reason = _("就业安置：%(e)s %(p)s，月工资 %(w)s 元，%(d)s 上岗") % {
            "e": employer.name,
            "p": placement.referral.position,
            "w": format_yuan(placement.monthly_wage),
            "d": placement.start_on,
        }
        household_services.member_employment_set(
            actor=actor,
            member=member,
            employment=Member.Employment.EMPLOYED,
            monthly_income=placement.monthly_wage,
            reason=reason[:100],
        )
        if measure is not None:
            if measure.household_id != household.pk or measure.measure != (
                AidMeasure.Measure.EMPLOYMENT
            ):
                raise ValidationError({"measure": _("只能完成本户帮扶计划中的“就业帮扶”措施。")})
            household_services.measure_complete(
                actor=actor, measure=measure, on=timezone.localdate(), note=reason
            )
            placement.measure = measure
        placement.confirmed_by = actor
        placement.confirmed_at = timezone.now()
        acted_by(actor, placement)
        placement.save(update_fields=["confirmed_by", "confirmed_at", "measure"])
        vacancy = placement.referral.vacancy
        if vacancy is not None:
            vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
            filled = Placement.objects.filter(
                referral__vacancy=vacancy, confirmed_at__isnull=False
            ).count()
            if vacancy.is_open and filled >= vacancy.openings:
                vacancy.is_open = False
                acted_by(actor, vacancy, reason=_("招聘人数已满"))
                vacancy.save(update_fields=["is_open"])
    return placement
