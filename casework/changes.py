"""Changes reported (情况变更, 动态管理): who may report and review, reporting, accepting
(the file updated with the report named in its history, an exit proposed where the family
may no longer qualify) and rejecting. Reads of the reports start here too."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Application
from casework.duties import duty_open
from casework.models import ChangeReport, Duty
from hardship import access
from hardship.history import acted_by
from hardship.models import Role
from households import services as household_services
from households.access import households_visible_to
from households.assessment import assess, screening_flags
from households.involvement import involved_in_household, involving
from households.models import Cause, Household

# Reports that at once open the matching must-visit (三必访).
MUST_VISIT = {
    ChangeReport.Kind.HOSPITAL: Duty.Kind.HOSPITAL_VISIT,
    ChangeReport.Kind.DEATH: Duty.Kind.BEREAVEMENT_VISIT,
    ChangeReport.Kind.EMERGENCY: Duty.Kind.EMERGENCY_VISIT,
}
# A cause whose ground the file no longer records (households.assessment.screening_flags).
LAPSED_FLAGS = {"illness_unrecorded": Cause.ILLNESS, "disability_unrecorded": Cause.DISABILITY}


# Who ------------------------------------------------------------------------------------------


def may_report(user, household) -> bool:
    """The worker for their own household, or an editing role over its union (whether the
    file is in file, and so takes a report, is the report's own rule)."""
    return household.worker_account_id == user.pk or access.covers(
        user, access.REGISTRY_EDITORS, household.union.path
    )


def _stands_aside(user, report) -> str | None:
    if report.reported_by_id == user.pk:
        return _("不能审核自己报告的情况变更。")
    if involved_in_household(user, report.household):
        return _("您是该户职工或家庭成员，应当回避，不能审核该户的情况变更。")
    return None


def _responsible_reviews(report) -> bool:
    """The household's responsible person reviews its reports, unless they may not (they
    reported it, are of the family, or no longer edit the file): then any editor does."""
    responsible = report.household.responsible_user
    return (
        responsible is not None
        and access.can_edit_household(responsible, report.household)
        and _stands_aside(responsible, report) is None
    )


def processed_message(report) -> str:
    return _("该报告已由%(who)s于%(when)s处理（%(status)s）。") % {
        "who": report.reviewed_by,
        "when": date_format(timezone.localtime(report.reviewed_at), "Y-m-d H:i"),
        "status": report.get_status_display(),
    }


def review_refusal(user, report) -> str | None:
    """Why `user` may not accept or reject the report, or None."""
    if not report.is_pending:
        return processed_message(report)
    if not access.can_edit_household(user, report.household):
        return _("只有能修改该档案的帮扶专干、基层工会主席和公司工会复核可以审核情况变更。")
    aside = _stands_aside(user, report)
    if aside:
        return aside
    if _responsible_reviews(report) and report.household.responsible_user_id != user.pk:
        return _("该户的帮扶责任人%(who)s负责审核其情况变更。") % {
            "who": report.household.responsible_user
        }
    return None


# Reads ----------------------------------------------------------------------------------------


def reports_visible_to(user):
    """Reports of households the user sees through a role that reads health (the reports
    tell of illness and deaths), and the worker's own household's."""
    paths = access.scope_paths(user, access.HEALTH_READERS)
    condition = Q(household__worker_account=user)
    if paths:
        condition |= Q(household__union_id__in=access.unit_ids_under(user, paths))
    return ChangeReport.objects.filter(
        condition, household__in=households_visible_to(user)
    ).select_related("household__union", "household__responsible_user", "reported_by", "member")


def reads_reports(user) -> bool:
    return bool(access.scope_paths(user, access.HEALTH_READERS)) or (
        Role.WORKER in access.roles_of(user)
    )


def get_report_for(user, pk) -> ChangeReport:
    """A report of a household the user sees (else 404) and may read (else 403)."""
    try:
        report = ChangeReport.objects.select_related(
            "household__union", "household__responsible_user", "reported_by", "reviewed_by"
        ).get(pk=pk, household__in=households_visible_to(user))
    except (ChangeReport.DoesNotExist, ValueError):
        raise Http404 from None
    if not access.can_see_health(user, report.household):
        raise PermissionDenied(_("情况变更报告含健康等敏感信息，您的角色不能查看。"))
    return report


def pending_for(user):
    """Pending reports the user is to review: their own responsibility, or a household
    without a responsible person (or one who stands aside) that they may edit."""
    editable = access.scope_paths(user, access.REGISTRY_EDITORS)
    if not editable:
        return ChangeReport.objects.none()
    unit_ids = access.unit_ids_under(user, editable)
    household_free = (
        Q(household__responsible_user__isnull=True)
        | Q(household__responsible_user=F("reported_by"))
    ) & Q(household__union_id__in=unit_ids)
    return (
        reports_visible_to(user)
        .filter(status=ChangeReport.Status.PENDING)
        .filter(Q(household__responsible_user=user) | household_free)
        .filter(household__status__in=[Household.Status.DRAFT, Household.Status.IN_FILE])
        .exclude(reported_by=user)
        .exclude(involving(user, "household"))
    )


def exit_grounds(household, on=None) -> list[str]:
    """Why the family may no longer qualify after the change: its income per person is not
    below the hardship threshold, or none of its causes is borne out by the file any more."""
    household = Household.objects.prefetch_related(
        "members", "income_items", "causes", "evidence"
    ).get(pk=household.pk)
    grounds = []
    assessment = assess(household, on)
    if assessment.hardship_threshold is not None and assessment.eligible_level is None:
        grounds.append(assessment.explanation)
    lapsed = {
        LAPSED_FLAGS[f.code] for f in screening_flags(household, on) if f.code in LAPSED_FLAGS
    }
    causes = {c.cause for c in household.causes.all()}
    if causes and causes <= lapsed:
        grounds.append(_("登记的致困原因（因病、因残）已无对应的患病或残疾家庭成员。"))
    return grounds


# Writes ---------------------------------------------------------------------------------------


def change_report(*, actor, household, kind, occurred_on, description, member=None):
    """Report a change in the family. Hospitalisation, a death or an emergency opens the
    matching must-visit at once, its deadline running from the day it happened."""
    if not may_report(actor, household):
        raise PermissionDenied(
            _("只有职工本人（本户）和能修改该档案的工作人员可以报告家庭情况变化。")
        )
    if household.status != Household.Status.IN_FILE:
        raise ValidationError(_("只有在档的档案可以报告情况变更。"))
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("发生日期不能晚于今天。")})
    if member is not None and member.household_id != household.pk:
        raise ValidationError({"member": _("所选成员不是本户的家庭成员。")})
    report = ChangeReport(
        household=household,
        kind=kind,
        occurred_on=occurred_on,
        description=description,
        member=member,
        reported_by=actor,
        source=ChangeReport.Source.WORKER
        if household.worker_account_id == actor.pk
        else ChangeReport.Source.CASEWORKER,
    )
    acted_by(actor, report)
    with transaction.atomic():
        report.full_clean()
        report.save()
        report.duty = None
        if kind in MUST_VISIT:
            report.duty = duty_open(
                household=household,
                kind=MUST_VISIT[kind],
                event_on=occurred_on,
                reason=_("情况变更：%(kind)s（报告 #%(id)s）%(text)s")
                % {"kind": report.get_kind_display(), "id": report.pk, "text": description},
            )
    return report


def _locked(actor, report) -> ChangeReport:
    """The report, locked; a second decision is told who made the first."""
    report = (
        ChangeReport.objects.select_for_update(of=("self",))
        .select_related("household__union", "household__responsible_user", "reviewed_by")
        .get(pk=report.pk)
    )
    if not report.is_pending:
        raise ValidationError(processed_message(report))
    refusal = review_refusal(actor, report)
    if refusal:
        raise PermissionDenied(refusal)
    return report


def history_reason(report) -> str:
    """What the file's history says changed it (simple-history keeps 100 characters)."""
    text = _("情况变更 #%(id)s: %(kind)s，%(text)s") % {
        "id": report.pk,
        "kind": report.get_kind_display(),
        "text": report.description,
    }
    return text[:100]


def exit_reason(report, grounds=()) -> str:
    lines = [
        _("情况变更 #%(id)s（%(kind)s，%(on)s）：%(text)s")
        % {
            "id": report.pk,
            "kind": report.get_kind_display(),
            "on": report.occurred_on,
            "text": report.description,
        },
        *grounds,
    ]
    return "\n".join(lines)


def change_accept(
    *, actor, report, household, data, members, incomes, note="", propose_exit=False
) -> ChangeReport:
    """Accept the report: save the file (the household form's and formsets' cleaned data)
    with the report named in its history, and, asked to, file an exit application."""
    if household.pk != report.household_id:
        raise ValueError("the household form is of another file")
    with transaction.atomic():
        report = _locked(actor, report)
        household_services.household_save(
            actor=actor,
            household=household,
            data=data,
            members=members,
            incomes=incomes,
            reason=history_reason(report),
        )
        if propose_exit:
            report.application = case_services.application_file(
                actor=actor,
                household=household,
                kind=Application.Kind.EXIT,
                reason=exit_reason(report, exit_grounds(household)),
            )
        report.status = ChangeReport.Status.ACCEPTED
        report.reviewed_by, report.reviewed_at = actor, timezone.now()
        report.review_note = note
        acted_by(actor, report)
        report.save()
    return report


def change_reject(*, actor, report, note) -> ChangeReport:
    if not note.strip():
        raise ValidationError({"review_note": _("不接受报告时，请写明理由。")})
    with transaction.atomic():
        report = _locked(actor, report)
        report.status = ChangeReport.Status.REJECTED
        report.reviewed_by, report.reviewed_at = actor, timezone.now()
        report.review_note = note.strip()
        acted_by(actor, report)
        report.save()
    return report


def change_exit_propose(*, actor, report) -> Application:
    """File the exit application an accepted report proposes (after the file was saved and
    assessed), once."""
    with transaction.atomic():
        report = (
            ChangeReport.objects.select_for_update(of=("self",))
            .select_related("household__union")
            .get(pk=report.pk)
        )
        if report.status != ChangeReport.Status.ACCEPTED:
            raise ValidationError(_("只有已接受的情况变更可以提出脱困申请。"))
        if report.application_id is not None:
            raise ValidationError(_("该报告已提出脱困申请。"))
        if not access.can_edit_household(actor, report.household):
            raise PermissionDenied
        report.application = case_services.application_file(
            actor=actor,
            household=report.household,
            kind=Application.Kind.EXIT,
            reason=exit_reason(report, exit_grounds(report.household)),
        )
        acted_by(actor, report)
        report.save(update_fields=["application"])
    return report.application
