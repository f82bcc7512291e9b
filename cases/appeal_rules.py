"""Who may appeal what, until when, and who may decide an appeal. Nothing here writes.

The rule for where an appeal is decided: one tier of the union tree above the level whose
decision is appealed. A rejection at 基层工会审查 (held at a grassroots union) is decided at
the company union above it by a 公司工会复核 (the company's reviewer); a rejection at
公司工会复核 or 党政班子会审定, and a cancellation (注销, signed off by the company's
committee), are decided at the federation above the company by a 党政班子成员 holding that
role at the federation. The people who decide are never those who took part in the decision
appealed (`refusal`).
"""

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from cases import chain, rules
from cases.models import Appeal, Application, Decision, Objection
from hardship import access
from hardship.models import PolicyParameter, Role, Unit
from hardship.policy import policy_value_or_default
from households.involvement import involved_in_household
from households.models import Household

State = Application.State
Action = Decision.Action

# The appeal's own chain: one level per tier above a deciding level (cases.engine reads it).
APPEAL_LEVELS = (
    chain.Level(
        state=Appeal.State.AT_COMPANY,
        role=Role.COMPANY_REVIEWER,
        unit_kind=Unit.Kind.COMPANY,
        approve_to=Appeal.State.UPHELD,
        label=pgettext_lazy("approval level", "公司工会复查"),
    ),
    chain.Level(
        state=Appeal.State.AT_FEDERATION,
        role=Role.COMMITTEE,
        unit_kind=Unit.Kind.FEDERATION,
        approve_to=Appeal.State.UPHELD,
        label=pgettext_lazy("approval level", "上级工会复查"),
    ),
)
APPEAL_LEVEL_AT = {level.state: level for level in APPEAL_LEVELS}
# The tier of the deciding level → the appeal level above it.
LEVEL_ABOVE = {
    Unit.Kind.GRASSROOTS: APPEAL_LEVELS[0],
    Unit.Kind.COMPANY: APPEAL_LEVELS[1],
}
# Decisions that make their actor a party to what is appealed (the filer's own submission
# is excluded through `filed_by`; an earlier appeal's outcome is not a part in this one).
TAKING_PART = (Action.APPROVE, Action.RETURN, Action.REJECT, Action.OBJECTION_UPHELD)


@dataclass(frozen=True)
class Appealed:
    """The decision a worker may appeal against on an application."""

    decision: Decision  # the rejection, or the cancellation's taking effect
    level: chain.Level  # the level of the application's chain that decided
    decided_on: datetime.date
    appeal_level: chain.Level


def deciding_level(application: Application, decision: Decision) -> chain.Level:
    """The level whose decision is appealed: where the rejection was taken; for a
    cancellation, the committee that signed it off (the chain's last level)."""
    if decision.action == Action.REJECT:
        return chain.level_for(decision.step)
    return chain.CHAIN[-1]


def appealed_decision(application: Application) -> Appealed | None:
    """What may be appealed on this application now: its rejection, or its effect when it
    cancelled the file; None for anything else."""
    decisions = list(application.decisions.all())
    if application.state == State.REJECTED:
        action = Action.REJECT
    elif application.kind == Application.Kind.CANCEL and application.state == State.EFFECTIVE:
        action = Action.EFFECTIVE
    else:
        return None
    decision = next((d for d in reversed(decisions) if d.action == action), None)
    if decision is None:
        return None
    level = deciding_level(application, decision)
    decided_on = (
        application.effective_on
        if action == Action.EFFECTIVE
        else timezone.localdate(decision.created_at)
    )
    return Appealed(decision, level, decided_on, LEVEL_ABOVE[level.unit_kind])


def appeal_days(union: Unit, on: datetime.date) -> int:
    return int(policy_value_or_default(PolicyParameter.Key.APPEAL_DAYS, union, on))


def deadline(application: Application, appealed: Appealed) -> datetime.date:
    """The last day on which the decision may be appealed (policy `appeal_days`)."""
    days = appeal_days(application.household.union, appealed.decided_on)
    return appealed.decided_on + datetime.timedelta(days=days)


def may_lodge(user, application: Application) -> bool:
    """The household's own worker, or a caseworker (帮扶专干) of its union on the worker's
    behalf. Nobody else: an auditor reads and changes nothing."""
    household = application.household
    return household.worker_account_id == user.pk or access.covers(
        user, {Role.CASEWORKER}, household.union.path
    )


def lodge_problem(application: Application, today: datetime.date | None = None) -> str | None:
    """Why this application cannot be appealed now, or None."""
    today = today or timezone.localdate()
    appealed = appealed_decision(application)
    if appealed is None:
        return _("只有未通过的申请和已生效的注销可以申诉。")
    if Appeal.objects.filter(application=application, decision=appealed.decision).exists():
        return _("对该决定已经提出过申诉，不能重复申诉。")
    last_day = deadline(application, appealed)
    if today > last_day:
        return _(
            "申诉期已过：原决定于 %(on)s 作出，申诉期为 %(days)d 天，最后一天是 %(last)s。"
        ) % {
            "on": formats.date_format(appealed.decided_on, "Y-m-d"),
            "days": (last_day - appealed.decided_on).days,
            "last": formats.date_format(last_day, "Y-m-d"),
        }
    ancestors = access.ancestor_ids(application.household.union.path)
    if not Unit.objects.filter(pk__in=ancestors, kind=appealed.appeal_level.unit_kind).exists():
        return _("该户所在工会没有受理申诉的上级工会。")
    return None


def send_back_levels(appeal: Appeal) -> tuple[chain.Level, ...]:
    """The levels an upheld appeal may send the application back to: any level up to the
    one that decided (a level that never approved it is not skipped)."""
    level = deciding_level(appeal.application, appeal.decision)
    return chain.CHAIN[: chain.CHAIN.index(level) + 1]


def _took_part(user, application: Application) -> str | None:
    if application.filed_by_id == user.pk:
        return _("申请人（经办人）不能处理对该申请的申诉。")
    if involved_in_household(user, application.household):
        return _("您是该户职工或家庭成员，应当回避。")
    if any(d.actor_id == user.pk and d.action in TAKING_PART for d in application.decisions.all()):
        return _("您参与过该申请的审批，不能处理对它的申诉。")
    if Objection.objects.filter(notice__application=application, resolved_by=user).exists():
        return _("您处理过该申请的公示异议，不能处理对它的申诉。")
    return None


def refusal(user, appeal: Appeal, level: chain.Level | None) -> str | None:
    """Why `user` may not decide `appeal` at `level` now, or None if they may: the level's
    role at the level's tier over the household, and no part in what is appealed."""
    if level is None:
        return _("该申诉已经处理完毕。")
    application = appeal.application
    if rules.membership_at(user, application.household.union.path, level) is None:
        return _("您不是“%(level)s”的办理人，或该申诉不在您的工作范围内。") % {"level": level.label}
    if appeal.lodged_by_id == user.pk:
        return _("提出申诉的人不能处理该申诉。")
    return _took_part(user, application)


def takes_part_refusal(user, appeal: Appeal) -> str | None:
    """Why `user` has no part in deciding appeals on this household at all (asked before a
    form is read: an auditor's or a caseworker's decision is refused whatever it says)."""
    path = appeal.application.household.union.path
    if any(rules.membership_at(user, path, level) for level in APPEAL_LEVELS):
        return None
    return _("只有上一级工会的复查人员可以处理申诉。")


def blockers(appeal: Appeal, level: chain.Level) -> list[str]:
    """What stops an upheld appeal: the level named, and whether the application can be
    taken up again (its household's state, another open application of the kind)."""
    application = appeal.application
    household = application.household
    allowed = {lvl.state for lvl in send_back_levels(appeal)}
    if appeal.send_back_to not in allowed:
        return [_("请选择退回的环节：不能越过作出原决定的环节。")]
    problems = []
    kind, in_file = application.kind, Household.Status.IN_FILE
    if kind == Application.Kind.CANCEL and application.state == State.EFFECTIVE:
        # Upheld, a cancellation no longer stands: the file is put back in file.
        if (
            Household.objects.filter(id_number=household.id_number, status=in_file)
            .exclude(pk=household.pk)
            .exists()
        ):
            problems.append(_("该职工已在另一户在档，不能恢复被注销的档案。"))
    elif kind == Application.Kind.ESTABLISH and household.status != Household.Status.DRAFT:
        problems.append(_("该户已不是草稿档案，建档申请不能恢复办理。"))
    elif kind != Application.Kind.ESTABLISH and household.status != in_file:
        problems.append(_("该户已不在档，申请不能恢复办理。"))
    if (
        kind in (Application.Kind.ESTABLISH, Application.Kind.EXIT, Application.Kind.CANCEL)
        and household.applications.filter(kind=application.kind, state__in=Application.OPEN_STATES)
        .exclude(pk=application.pk)
        .exists()
    ):
        problems.append(_("该户已有一份同类申请在办理中，本申请不能恢复办理。"))
    return problems
