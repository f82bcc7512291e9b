"""What a payment relies on, compared with what the chains and the ledger say.

The chains prove their own rows unchanged; these checks prove that the rows a payment reads
(a fund's balance, an application's kind, amount and state, a plan's lines) still agree with
them. Each returns (ok, lines): one line per difference, naming the record, what is stored
and what it should be.
"""

import hashlib
import json
from decimal import Decimal

from django.apps import apps
from django.db.models import OuterRef, Subquery, Sum
from django.utils.translation import gettext as _

# Differences listed per check before the rest are only counted.
MAX_LISTED = 20


def _yuan(value) -> str:
    return "—" if value is None else f"{Decimal(value):.2f}"


def _listed(lines: list, problems: list, summary: str) -> None:
    lines.extend(problems[:MAX_LISTED])
    if len(problems) > MAX_LISTED:
        lines.append(summary % {"n": len(problems) - MAX_LISTED})


def fund_balances() -> tuple[bool, list]:
    """Every fund's stored balance equals the sum of its ledger rows."""
    from funds.models import Fund, LedgerEntry

    computed = dict(
        LedgerEntry.objects.order_by()
        .values("fund")
        .annotate(total=Sum("amount"))
        .values_list("fund", "total")
    )
    problems, funds = [], 0
    for fund in Fund.objects.order_by("pk").only("pk", "name", "year", "balance"):
        funds += 1
        total = computed.get(fund.pk) or Decimal("0")
        if fund.balance != total:
            problems.append(
                _(
                    "资金余额：账户“%(name)s”（%(year)s 年，id=%(id)s）记载余额 %(stored).2f 元，"
                    "按台账重算为 %(computed).2f 元，相差 %(diff).2f 元。"
                )
                % {
                    "name": fund.name,
                    "year": fund.year,
                    "id": fund.pk,
                    "stored": fund.balance,
                    "computed": total,
                    "diff": fund.balance - total,
                }
            )
    if not problems:
        return True, [_("资金余额：%(n)d 个账户的余额与台账重算一致。") % {"n": funds}]
    lines = []
    _listed(lines, problems, _("资金余额：另有 %(n)d 个账户不一致。"))
    return False, lines


def applications() -> tuple[bool, list]:
    """Every application's kind, amount and state equal what its last decision chained."""
    from cases.models import Application, Decision

    last = Decision.objects.filter(application=OuterRef("pk")).order_by("-chain_position", "-pk")
    rows = (
        Application.objects.order_by("pk")
        .annotate(
            d_id=Subquery(last.values("pk")[:1]),
            d_kind=Subquery(last.values("application_kind")[:1]),
            d_amount=Subquery(last.values("application_amount")[:1]),
            d_state=Subquery(last.values("resulting_state")[:1]),
        )
        .values_list(
            "pk", "number", "kind", "amount", "state", "d_id", "d_kind", "d_amount", "d_state"
        )
    )
    labels = dict(Application.State.choices) | dict(Application.Kind.choices)
    problems, count = [], 0
    for pk, number, kind, amount, state, d_id, d_kind, d_amount, d_state in rows.iterator(
        chunk_size=5000
    ):
        count += 1
        who = {"no": number, "id": pk, "d": d_id}
        if d_id is None:
            problems.append(_("申请 %(no)s（id=%(id)s）没有任何审批记录。") % who)
            continue
        if kind != d_kind:
            problems.append(
                _(
                    "申请 %(no)s（id=%(id)s）：类型“%(now)s”与最后一条审批记录（id=%(d)s）所记“%(was)s”不一致。"
                )
                % {**who, "now": labels.get(kind, kind), "was": labels.get(d_kind, d_kind)}
            )
        if amount != d_amount:
            problems.append(
                _(
                    "申请 %(no)s（id=%(id)s）：金额 %(now)s 元与最后一条审批记录（id=%(d)s）所记 %(was)s 元不一致。"
                )
                % {**who, "now": _yuan(amount), "was": _yuan(d_amount)}
            )
        if state != d_state:
            problems.append(
                _(
                    "申请 %(no)s（id=%(id)s）：状态“%(now)s”与最后一条审批记录（id=%(d)s）所记“%(was)s”不一致。"
                )
                % {**who, "now": labels.get(state, state), "was": labels.get(d_state, d_state)}
            )
    if not problems:
        return True, [
            _("申请：%(n)d 份申请的类型、金额和状态与最后一条审批记录一致。") % {"n": count}
        ]
    lines = []
    _listed(lines, problems, _("申请：另有 %(n)d 处不一致。"))
    return False, lines


# After a plan's last decision, the states it may be in without a further decision: an
# approved plan is posted by finance; a returned plan is edited back into a draft.
PLAN_STATES_AFTER = {"approved": {"approved", "posted"}, "returned": {"returned", "draft"}}
# States in which the plan's lines are the ones decided on.
PLAN_LINES_DECIDED = {"submitted", "approved", "posted"}


def plans() -> tuple[bool, list]:
    """Every distribution plan's state and lines agree with its last decision."""
    from funds.models import DistributionPlan, PlanDecision

    last = {}
    for decision in PlanDecision.objects.order_by("chain_position", "pk").only(
        "pk", "plan_id", "resulting_state", "plan_digest"
    ):
        last[decision.plan_id] = decision
    labels = dict(DistributionPlan.State.choices)
    problems, count = [], 0
    for plan in DistributionPlan.objects.order_by("pk"):
        count += 1
        decision = last.get(plan.pk)
        who = {"name": plan.name, "id": plan.pk}
        if decision is None:
            if plan.state != DistributionPlan.State.DRAFT:
                problems.append(
                    _("发放方案“%(name)s”（id=%(id)s）状态为“%(s)s”，却没有任何审批记录。")
                    % {**who, "s": labels.get(plan.state, plan.state)}
                )
            continue
        allowed = PLAN_STATES_AFTER.get(decision.resulting_state, {decision.resulting_state})
        if plan.state not in allowed:
            problems.append(
                _(
                    "发放方案“%(name)s”（id=%(id)s）：状态“%(now)s”与最后一条审批记录（id=%(d)s）所记“%(was)s”不符。"
                )
                % {
                    **who,
                    "d": decision.pk,
                    "now": labels.get(plan.state, plan.state),
                    "was": labels.get(decision.resulting_state, decision.resulting_state),
                }
            )
        elif (
            plan.state in PLAN_LINES_DECIDED
            and PlanDecision.digest_of(plan) != decision.plan_digest
        ):
            problems.append(
                _(
                    "发放方案“%(name)s”（id=%(id)s）：发放名单、金额或资金账户与审定时（审批记录 id=%(d)s）不一致。"
                )
                % {**who, "d": decision.pk}
            )
    if not problems:
        return True, [_("发放方案：%(n)d 个方案的状态和发放名单与审批记录一致。") % {"n": count}]
    lines = []
    _listed(lines, problems, _("发放方案：另有 %(n)d 处不一致。"))
    return False, lines


def snapshot_digest(snapshot: dict) -> str:
    """The seal of a disclosure's figures, computed as reports.disclosure_figures.digest does
    (reports is a sibling of audit: the two are held equal by a test)."""
    payload = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def disclosures() -> tuple[bool, list]:
    """Every disclosure's figures still match their seal, and a published one's seal is the one
    its publication chained: a published disclosure was not changed behind the trigger."""
    try:
        model = apps.get_model("reports", "Disclosure")
        decision_model = apps.get_model("reports", "DisclosureDecision")
    except LookupError:
        return True, []
    chained = dict(
        decision_model.objects.filter(action="publish").values_list(
            "disclosure_id", "snapshot_digest"
        )
    )
    problems, count = [], 0
    rows = model.objects.order_by("pk").values_list(
        "pk", "year", "version", "state", "snapshot", "digest"
    )
    for pk, year, version, state, snapshot, digest in rows.iterator(chunk_size=500):
        count += 1
        who = {"id": pk, "year": year, "v": version}
        if snapshot_digest(snapshot) != digest:
            problems.append(
                _(
                    "账务公开（id=%(id)s，%(year)s 年度第 %(v)s 版）：公开数据与校验值不一致（被改动）。"
                )
                % who
            )
        elif state == "published" and chained.get(pk) != digest:
            problems.append(
                _(
                    "账务公开（id=%(id)s，%(year)s 年度第 %(v)s 版）：公布的数据与公布记录所记不一致。"
                )
                % who
            )
    if not problems:
        return True, [_("账务公开：%(n)d 份的公开数据与校验值一致。") % {"n": count}]
    lines = []
    _listed(lines, problems, _("账务公开：另有 %(n)d 处不一致。"))
    return False, lines


def year_totals() -> tuple[bool, list]:
    """The year totals the annual report and the statistics read (funds.totals) equal the
    ledger summed again."""
    from funds import totals

    differences = totals.differences()
    if not differences:
        return True, [_("年度汇总：与台账重算一致。")]
    problems = [
        _("年度汇总：%(table)s %(key)s 按台账重算为 %(ledger)s，汇总表记载 %(table_sums)s。")
        % {"table": table, "key": key, "ledger": want or "—", "table_sums": have or "—"}
        for table, key, want, have in differences
    ]
    lines = []
    _listed(lines, problems, _("年度汇总：另有 %(n)d 处不一致。"))
    return False, lines


def registry_counts() -> tuple[bool, list]:
    """The statistics' kept composition of each union (households.composition) that claims to be
    current equals the files counted again: a write its change counter missed would show."""
    from django.utils import timezone

    from households import composition

    differences = composition.recount_differences(timezone.localdate())
    if not differences:
        return True, [_("在档构成统计：与档案重新统计一致。")]
    whole = _(
        "在档构成统计：基层工会 id=%(union)s 的 %(figure)s 重新统计为 %(now)s，保存的为 %(kept)s。"
    )
    in_part = _(
        "在档构成统计：基层工会 id=%(union)s 第 %(part)s 部分的 %(figure)s 重新统计为 %(now)s，"
        "保存的为 %(kept)s。"
    )
    problems = [
        (whole if part is None else in_part)
        % {"union": union, "part": part, "figure": figure, "now": now, "kept": kept}
        for union, part, figure, now, kept in differences
    ]
    lines = []
    _listed(lines, problems, _("在档构成统计：另有 %(n)d 处不一致。"))
    return False, lines


def application_counts() -> tuple[bool, list]:
    """The applications' counts kept per union (cases.ApplicationCount) equal the
    applications counted again: a write the triggers missed would show."""
    from cases import counts

    differences = counts.differences()
    if not differences:
        return True, [_("申请计数：与申请重新统计一致。")]
    problems = [
        _("申请计数：%(key)s 重新统计为 %(now)s，保存的为 %(kept)s。")
        % {"key": key, "now": now, "kept": kept}
        for key, now, kept in differences
    ]
    lines = []
    _listed(lines, problems, _("申请计数：另有 %(n)d 处不一致。"))
    return False, lines


CHECKS = [
    fund_balances,
    applications,
    plans,
    disclosures,
    year_totals,
    registry_counts,
    application_counts,
]
