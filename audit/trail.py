"""The audit trail: every change kept by simple-history, across the system, filtered and
scoped to the auditor's part of the tree, each with its field-by-field difference."""

import heapq
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Appeal,
    Application,
    EvidenceRequirement,
    Investigation,
    MedicalAidTier,
    Objection,
)
from casework.models import AnnualReview, Visit, VisitRound
from funds.models import DistributionPlan, Fund, PlanAdjustment, PlanObjection, PlanRule
from hardship import access
from hardship.history import ACTIONS, field_changes
from hardship.models import Membership, PolicyParameter, SecondFactorEvent, Unit, User
from households.models import (
    AidMeasure,
    Evidence,
    HardshipCause,
    Household,
    IncomeItem,
    Member,
)
from loans.models import Loan, Motion

# kind → (model, path to the unit that decides scope, label). Records without a unit
# (system-wide policy rows, users) are shown only to auditors at the root of the tree.
SOURCES = {
    "household": (Household, "union__path", _("困难职工档案")),
    "member": (Member, "household__union__path", _("家庭成员")),
    "income": (IncomeItem, "household__union__path", _("家庭收入")),
    "cause": (HardshipCause, "household__union__path", _("致困原因")),
    "measure": (AidMeasure, "household__union__path", _("帮扶措施")),
    "evidence": (Evidence, "household__union__path", _("证明材料")),
    "review": (AnnualReview, "household__union__path", _("年度复核")),
    "application": (Application, "household__union__path", _("申请")),
    "investigation": (Investigation, "application__household__union__path", _("入户调查")),
    "objection": (Objection, "notice__application__household__union__path", _("异议")),
    "appeal": (Appeal, "application__household__union__path", _("申诉")),
    "visit": (Visit, "household__union__path", _("走访慰问")),
    "visit_round": (VisitRound, "unit__path", _("走访轮次")),
    "fund": (Fund, "unit__path", _("资金账户")),
    "plan": (DistributionPlan, "unit__path", _("发放方案")),
    "plan_rule": (PlanRule, "plan__unit__path", _("方案规则")),
    "plan_adjustment": (PlanAdjustment, "plan__unit__path", _("名单调整")),
    "plan_objection": (PlanObjection, "notice__plan__unit__path", _("发放名单异议")),
    "loan": (Loan, "household__union__path", _("小额借款")),
    "loan_motion": (Motion, "loan__household__union__path", _("借款展期或核销")),
    "unit": (Unit, "path", _("工会组织")),
    "policy": (PolicyParameter, "unit__path", _("政策参数")),
    "evidence_rule": (EvidenceRequirement, None, _("证明材料要求")),
    "medical_tier": (MedicalAidTier, None, _("医疗救助分档")),
    "membership": (Membership, "unit__path", _("角色任职")),
    "user": (User, None, _("用户")),
    "second_factor": (SecondFactorEvent, None, _("两步验证")),
}
KIND_CHOICES = [("", _("全部"))] + [(kind, label) for kind, (_m, _p, label) in SOURCES.items()]
# The related records a kind's name (__str__) reads, fetched for all its rows at once.
NAMED_BY = {"membership": ("user", "unit"), "loan_motion": ("loan",), "second_factor": ("user",)}


@dataclass
class Entry:
    when: datetime
    kind: str
    label: str
    record: str
    action: str
    who: str
    changes: list  # (field label, old, new)


def _scoped(model, path_field, paths, at_root):
    qs = model.history.all()
    if path_field is None:
        return qs if at_root else qs.none()
    condition = access.path_q(path_field, paths)
    if at_root and model is PolicyParameter:  # the system-wide rows have no unit
        condition |= Q(unit__isnull=True)
    return qs.filter(condition)


def entries(
    user,
    *,
    kind="",
    actor=None,
    unit=None,
    since: date | None = None,
    until: date | None = None,
    limit=100,
):
    """The newest `limit` changes matching the filters, newest first."""
    paths = access.scope_paths(user, {access.Role.AUDITOR})
    if unit is not None:
        paths = [unit.path] if any(unit.path.startswith(p) for p in paths) else []
    at_root = (
        any(p.count("/") == 2 for p in access.scope_paths(user, {access.Role.AUDITOR}))
        and unit is None
    )
    # The newest keys of every kind first, merged, then the whole rows of the newest only:
    # a kind's whole rows cost far more to ask for and build than its keys (27 kinds of up
    # to 100 rows each, of which 100 are shown).
    streams = []
    for key, (model, path_field, _label) in SOURCES.items():
        if kind and key != kind:
            continue
        qs = _scoped(model, path_field, paths, at_root)
        if actor is not None:
            qs = qs.filter(history_user=actor)
        if since:
            qs = qs.filter(history_date__date__gte=since)
        if until:
            qs = qs.filter(history_date__date__lte=until)
        newest_keys = qs.order_by("-history_date", "-history_id").values_list(
            "history_date", "history_id"
        )[:limit]
        streams.append([(when, history_id, key) for when, history_id in newest_keys])
    chosen = list(heapq.merge(*streams, reverse=True))[:limit]
    ids = defaultdict(list)
    for _when, history_id, key in chosen:
        ids[key].append(history_id)
    rows = {
        (key, record.history_id): record
        for key, history_ids in ids.items()
        for record in SOURCES[key][0]
        .history.filter(history_id__in=history_ids)
        .select_related("history_user")
    }
    newest = [
        (when, key, SOURCES[key][2], rows[key, history_id]) for when, history_id, key in chosen
    ]
    previous = _previous_versions([record for _when, _key, _label, record in newest])
    names = _names(newest)
    result = []
    for when, key, label, record in newest:
        result.append(
            Entry(
                when=when,
                kind=key,
                label=str(label),
                record=names.get(record, f"#{record.pk}"),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                who=str(record.history_user) if record.history_user else str(_("系统")),
                changes=_changes(record, previous.get(record)),
            )
        )
    return result


def _names(newest) -> dict:
    """Each kept record's name as its model writes it, built from the history row alone:
    simple-history's `instance` reads the fields it does not keep (a password, a balance)
    from the live row, one query per row, and a name's related records would cost one each."""
    instances = defaultdict(list)
    names = {}
    for _when, key, _label, record in newest:
        if record.history_type != "-":
            values = {
                field.attname: getattr(record, field.attname) for field in record.tracked_fields
            }
            instances[key].append((record, record.instance_type(**values)))
    for key, rows in instances.items():
        prefetch_related_objects([instance for _record, instance in rows], *NAMED_BY.get(key, ()))
        names.update((record, str(instance)) for record, instance in rows)
    return names


def _previous_versions(records) -> dict:
    """Each changed record's version just before it: one query per kind of record, where
    record.prev_record would cost one per row."""
    changed = defaultdict(list)
    for record in records:
        if record.history_type == "~":
            changed[type(record)].append(record)
    previous = {}
    for history_model, rows in changed.items():
        pk = rows[0].instance_type._meta.pk.attname
        versions = defaultdict(list)
        for version in history_model.objects.filter(
            **{f"{pk}__in": {getattr(r, pk) for r in rows}}
        ).order_by("history_date", "history_id"):
            versions[getattr(version, pk)].append(version)
        for record in rows:
            earlier = [
                v
                for v in versions[getattr(record, pk)]
                if (v.history_date, v.history_id) < (record.history_date, record.history_id)
            ]
            if earlier:
                previous[record] = earlier[-1]
    return previous


def _changes(record, previous) -> list:
    if record.history_type != "~" or previous is None:
        return []
    # Related rows by name (a union, a fund), not by their database id; sensitive values
    # masked for every auditor.
    return [
        (c.field, "***", "***") if c.sensitive else (c.field, c.old, c.new)
        for c in field_changes(record, previous)
    ]
