"""Every write of the cross-checks except imports (outside.py) and payment verification
(verification.py): explaining a match-report line, opening and closing follow-ups,
deciding a pair of suspected duplicates, marking a cancellation as one for fraud, and the
log of match-report views. Each checks the actor's right again inside its transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Application
from cases.rules import involved_in_household
from crosscheck.models import (
    AccessLog,
    DuplicateDecision,
    FollowUp,
    FraudMark,
    MatchLine,
)
from hardship import access
from hardship.history import acted_by
from hardship.models import Membership, Role
from households.assessment import duplicate_matches
from households.models import Household
from households.responsible import normalise_name


def report_viewed(*, user, outside_list) -> None:
    AccessLog.objects.create(user=user, action=AccessLog.Action.VIEW, outside_list=outside_list)


def _line_path(line) -> str:
    return line.household.union.path if line.household_id else line.outside_list.unit.path


def may_work_on_line(user, line) -> bool:
    return access.covers(user, access.REGISTRY_EDITORS, _line_path(line))


def is_responsible_for(user, household) -> bool:
    """The household's 帮扶责任人, or its worker or a member. While an imported name is not
    yet matched to a user, that name still counts (households.responsible)."""
    if household.responsible_user_id is not None:
        if household.responsible_user_id == user.pk:
            return True
    elif household.responsible_person:
        named = normalise_name(household.responsible_person)
        if named and named in {normalise_name(user.full_name), user.username}:
            return True
    return involved_in_household(user, household)


def line_explain(*, actor, line, reason) -> MatchLine:
    """Mark a line explained, with the reason: never by the household's responsible person
    (帮扶责任人), who would be vouching for their own work, nor by its worker or members."""
    if not may_work_on_line(actor, line):
        raise PermissionDenied(_("只有帮扶专干、基层工会主席和公司工会复核可以说明比对结果。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写情况说明。")})
    with transaction.atomic():
        line = (
            MatchLine.objects.select_for_update(of=("self",))
            .select_related("household__union", "outside_list__unit")
            .get(pk=line.pk)
        )
        if line.household_id and is_responsible_for(actor, line.household):
            raise PermissionDenied(
                _("您是该户的帮扶责任人（或该户职工、家庭成员），比对结果须由其他人说明。")
            )
        if line.explained:
            raise ValidationError(
                _("该条已由 %(who)s 于 %(at)s 说明。")
                % {
                    "who": line.explained_by,
                    "at": timezone.localtime(line.explained_at).strftime("%Y-%m-%d %H:%M"),
                }
            )
        line.explained_reason = reason
        line.explained_by = actor
        line.explained_at = timezone.now()
        acted_by(actor, line, reason=reason[:100])
        line.save(update_fields=["explained_reason", "explained_by", "explained_at"])
    return line


def default_assignee(unit):
    """The caseworker nearest the unit (its own first, then those above it), if any."""
    memberships = [
        m
        for m in Membership.objects.filter(role=Role.CASEWORKER, user__is_active=True)
        .select_related("unit", "user")
        .order_by("user__username")
        if unit.path.startswith(m.unit.path)
    ]
    memberships.sort(key=lambda m: -len(m.unit.path))
    return memberships[0].user if memberships else None


def follow_up_open(*, actor, unit, household, origin, subject) -> FollowUp:
    """A follow-up (跟进事项) for the nearest caseworker; the caller has checked the actor's
    right to open it."""
    follow_up = FollowUp(
        unit=unit,
        household=household,
        origin=origin,
        subject=subject[:300],
        assigned_to=default_assignee(unit),
        opened_by=actor,
    )
    acted_by(actor, follow_up)
    follow_up.save()
    return follow_up


def line_follow_up(*, actor, line) -> FollowUp:
    if not may_work_on_line(actor, line):
        raise PermissionDenied(_("只有帮扶专干、基层工会主席和公司工会复核可以提出跟进事项。"))
    with transaction.atomic():
        line = (
            MatchLine.objects.select_for_update(of=("self",))
            .select_related("household__union", "outside_list__unit")
            .get(pk=line.pk)
        )
        if line.follow_up_id:
            raise ValidationError(_("该条已有跟进事项。"))
        unit = line.household.union if line.household_id else line.outside_list.unit
        line.follow_up = follow_up_open(
            actor=actor,
            unit=unit,
            household=line.household,
            origin=FollowUp.Origin.MATCH,
            subject=f"{line.get_kind_display()}：{line.detail}",
        )
        acted_by(actor, line)
        line.save(update_fields=["follow_up"])
    return line.follow_up


def may_close_follow_up(user, follow_up) -> bool:
    return follow_up.assigned_to_id == user.pk or access.covers(
        user, access.REGISTRY_EDITORS, follow_up.unit.path
    )


def follow_up_close(*, actor, follow_up, outcome) -> FollowUp:
    if not may_close_follow_up(actor, follow_up):
        raise PermissionDenied(
            _("只有跟进人或该单位的帮扶专干、基层工会主席、公司工会复核可以办结。")
        )
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("请填写办理结果。")})
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if follow_up.closed_at:
            raise ValidationError(_("该跟进事项已办结。"))
        follow_up.closed_by = actor
        follow_up.closed_at = timezone.now()
        follow_up.outcome = outcome
        acted_by(actor, follow_up)
        follow_up.save(update_fields=["closed_by", "closed_at", "outcome"])
    return follow_up


def may_decide_pair(user, first, second) -> bool:
    return any(access.covers(user, access.REGISTRY_EDITORS, h.union.path) for h in (first, second))


def duplicate_decide(
    *, actor, first, second, outcome, reason, cancel=None, fraud=False
) -> DuplicateDecision:
    """Decide a pair of suspected duplicates: not a duplicate (it is no longer listed), or a
    cancellation (注销) application filed for `cancel`, one of the two, through the approval
    chain; `fraud` marks that cancellation as one for fraud (the watch list)."""
    if not may_decide_pair(actor, first, second):
        raise PermissionDenied(_("只有帮扶专干、基层工会主席和公司工会复核可以处理疑似重复档案。"))
    first, second = sorted((first, second), key=lambda h: h.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写理由。")})
    if (first.pk, second.pk) not in duplicate_matches(
        Household.objects.filter(pk=first.pk).prefetch_related("members")
    ):
        raise ValidationError(_("这两份档案已不再疑似重复。"))
    with transaction.atomic():
        if DuplicateDecision.objects.filter(first=first, second=second).exists():
            raise ValidationError(_("这一对档案已经处理过。"))
        application = None
        if outcome == DuplicateDecision.Outcome.CANCELLATION:
            if cancel is None or cancel.pk not in (first.pk, second.pk):
                raise ValidationError({"cancel": _("请选择要注销的档案。")})
            if not access.can_file_for(actor, cancel):
                raise PermissionDenied(_("您不能为该户提出注销申请。"))
            application = case_services.application_file(
                actor=actor, household=cancel, kind=Application.Kind.CANCEL, reason=reason
            )
            if fraud:
                fraud_mark(actor=actor, application=application, reason=reason)
        elif outcome != DuplicateDecision.Outcome.NOT_DUPLICATE:
            raise ValidationError({"outcome": _("请选择处理结果。")})
        decision = DuplicateDecision(
            first=first,
            second=second,
            outcome=outcome,
            reason=reason,
            application=application,
            decided_by=actor,
        )
        decision.save()
    return decision


def may_mark_fraud(user, household) -> bool:
    return access.covers(user, access.FRAUD_MARKERS, household.union.path)


def fraud_mark(*, actor, application, reason) -> FraudMark:
    """Mark a cancellation application as one for fraud (骗取帮扶). When it has taken effect
    the ID numbers of the file's worker and members are on the watch list."""
    household = application.household
    if not may_mark_fraud(actor, household):
        raise PermissionDenied(_("只有基层工会主席和公司工会复核可以标记骗取帮扶。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写理由。")})
    if application.kind != Application.Kind.CANCEL:
        raise ValidationError(_("只有注销申请可以标记为骗取帮扶。"))
    if application.state == Application.State.REJECTED:
        raise ValidationError(_("该注销申请未通过，不能标记。"))
    with transaction.atomic():
        if FraudMark.objects.filter(application=application).exists():
            raise ValidationError(_("该注销申请已标记为骗取帮扶。"))
        return FraudMark.objects.create(application=application, reason=reason, marked_by=actor)
