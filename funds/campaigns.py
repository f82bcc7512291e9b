"""Targeting of a plan (发放方案) or campaign: which households its criteria and rules put
on the list, what amount each gets, and the words that explain both, per household.

The list is built from the file as it stands: the plan's criteria (unit, in file on the
payment date, category, level, zero employment; a 劳模 campaign takes model workers only)
choose the candidates; the plan's required rules narrow them (rules of one kind are
alternatives, rules of different kinds all apply); every rule that holds adds its addition
(per member in the stage for a school-stage rule); an adjustment recorded with a reason
excludes a household or sets its amount."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from funds.models import DistributionPlan, PlanAdjustment, PlanLine, PlanRule
from hardship.templatetags.money import format_yuan
from households.assessment import household_income, is_zero_employment
from households.models import Household, Member

CENT = Decimal("0.01")
# 全国 > 省部级 > 市级: a rule asking for a provincial title takes national ones too.
TITLE_RANK = {
    Household.ModelWorkerTitle.CITY: 1,
    Household.ModelWorkerTitle.PROVINCIAL: 2,
    Household.ModelWorkerTitle.NATIONAL: 3,
}


@dataclass
class Candidate:
    household: Household
    amount: Decimal = Decimal("0")
    reasons: list[str] = field(default_factory=list)
    parts: list[list[str]] = field(default_factory=list)  # [label, yuan]
    adjustment: PlanAdjustment | None = None

    @property
    def explanation(self) -> dict:
        return {"reasons": self.reasons, "amount": self.parts}


@dataclass
class Selection:
    lines: list[Candidate]
    excluded: list[Candidate]
    # Required rules that none of the candidates meets: each says so on the preview.
    empty_rules: list[PlanRule]
    candidates: int


def describe(rule: PlanRule) -> str:
    """The rule in words, as the preview and the line's explanation show it."""
    kind = PlanRule.Kind
    if rule.kind == kind.CAUSE:
        text = _("致困原因：%(v)s") % {"v": _label(Household, "main_cause", rule.value)}
    elif rule.kind == kind.SCHOOL_STAGE:
        text = _("家庭成员就学：%(v)s") % {"v": Member.SchoolStage(rule.value).label}
    elif rule.kind == kind.MODEL_WORKER:
        text = (
            _("劳模（%(v)s及以上）") % {"v": Household.ModelWorkerTitle(rule.value).label}
            if rule.value
            else _("劳模")
        )
    elif rule.kind == kind.TAG:
        text = _("标签：%(v)s") % {"v": rule.tag.name if rule.tag_id else "—"}
    elif rule.kind == kind.LEVEL:
        text = _("困难程度：%(v)s") % {"v": Household.Level(rule.value).label}
    elif rule.kind == kind.INCOME_BAND:
        text = _("家庭人均月收入 %(a)s 至 %(b)s 元") % {
            "a": format_yuan(rule.income_from) if rule.income_from is not None else "0",
            "b": format_yuan(rule.income_to) if rule.income_to is not None else "∞",
        }
    else:
        text = rule.get_kind_display()
    return text


def _label(model, field_name, value) -> str:
    return dict(model._meta.get_field(field_name).choices).get(value, value)


def _helped_last_year(plan) -> set[int]:
    """Households paid in a posted plan of the same kind dated in the year before."""
    return set(
        PlanLine.objects.filter(
            plan__kind=plan.kind,
            plan__state=DistributionPlan.State.POSTED,
            plan__pay_on__year=plan.pay_on.year - 1,
        ).values_list("household_id", flat=True)
    )


# What each kind of rule reads of a household besides its own fields: only these are
# fetched for the plan's candidates (a company's plan has tens of thousands, and Django's
# prefetch costs about a tenth of a millisecond per household and relation).
READS = {
    PlanRule.Kind.CAUSE: ("causes",),
    PlanRule.Kind.SCHOOL_STAGE: ("members",),
    PlanRule.Kind.TAG: ("tags",),
    PlanRule.Kind.ZERO_EMPLOYMENT: ("members",),
    PlanRule.Kind.INCOME_BAND: ("members", "income_items"),
}


class _Facts:
    """What the rules read of one household (what they read prefetched: READS)."""

    def __init__(self, household, on, helped_last_year):
        self.household = household
        self.on = on
        self.helped = household.pk in helped_last_year

    @cached_property
    def causes(self) -> set:
        return {c.cause for c in self.household.causes.all()}

    @cached_property
    def stages(self) -> Counter:
        return Counter(m.school_stage for m in self.household.members.all())

    @cached_property
    def tags(self) -> set:
        return {t.pk for t in self.household.tags.all()}

    @cached_property
    def per_capita(self) -> Decimal:
        people = 1 + len(self.household.members.all())
        return (household_income(self.household) / people).quantize(CENT, rounding=ROUND_HALF_UP)

    def matches(self, rule: PlanRule) -> int:
        """How many times the rule holds: members in the stage for a school-stage rule,
        else 1 or 0."""
        kind, h = PlanRule.Kind, self.household
        if rule.kind == kind.CAUSE:
            return int(rule.value in self.causes)
        if rule.kind == kind.SCHOOL_STAGE:
            return self.stages.get(rule.value, 0)
        if rule.kind == kind.MODEL_WORKER:
            if not h.is_model_worker:
                return 0
            return int(
                not rule.value or TITLE_RANK.get(h.model_worker_title, 0) >= TITLE_RANK[rule.value]
            )
        if rule.kind == kind.TAG:
            return int(rule.tag_id in self.tags)
        if rule.kind == kind.LEVEL:
            return int(h.level == rule.value)
        if rule.kind == kind.ZERO_EMPLOYMENT:
            return int(is_zero_employment(h, self.on))
        if rule.kind == kind.NOT_HELPED_LAST_YEAR:
            return int(not self.helped)
        if rule.kind == kind.INCOME_BAND:
            low, high = rule.income_from, rule.income_to
            return int(
                (low is None or self.per_capita >= low) and (high is None or self.per_capita < high)
            )
        return 0


def _base(plan, household) -> tuple[str, Decimal]:
    if plan.rule == DistributionPlan.Rule.FLAT:
        return _("每户统一金额"), plan.flat_amount
    return _("按困难程度：%(l)s") % {"l": household.get_level_display()}, plan.amount_for(household)


def _criteria_words(plan) -> list[str]:
    words = [_("在档（%(u)s）") % {"u": plan.unit.name}]
    if plan.category:
        words.append(_("困难类别：%(v)s") % {"v": plan.get_category_display()})
    if plan.level:
        words.append(_("困难程度：%(v)s") % {"v": plan.get_level_display()})
    if plan.zero_employment:
        words.append(_("零就业家庭"))
    if plan.kind == DistributionPlan.Kind.MODEL_WORKERS or plan.fund.model_workers_only:
        words.append(_("劳模专项"))
    return words


def select(plan, households) -> Selection:
    """Apply the plan's rules and adjustments to its candidate `households`."""
    rules = list(plan.rules.select_related("tag").order_by("pk")) if plan.pk else []
    adjustments = (
        {a.household_id: a for a in plan.adjustments.select_related("created_by")}
        if plan.pk
        else {}
    )
    reads = sorted({name for rule in rules for name in READS.get(rule.kind, ())})
    households = list(households.prefetch_related(*reads))
    helped = (
        _helped_last_year(plan)
        if any(r.kind == PlanRule.Kind.NOT_HELPED_LAST_YEAR for r in rules)
        else set()
    )
    required_kinds = {r.kind for r in rules if r.required}
    hits = Counter()
    common = _criteria_words(plan)
    lines, excluded = [], []
    for household in households:
        facts = _Facts(household, plan.pay_on, helped)
        held = {rule.pk: facts.matches(rule) for rule in rules}
        for rule in rules:
            hits[rule.pk] += bool(held[rule.pk])
        if not all(
            any(held[r.pk] for r in rules if r.kind == kind and r.required)
            for kind in required_kinds
        ):
            continue
        candidate = Candidate(household, reasons=list(common))
        label, base = _base(plan, household)
        candidate.parts.append([label, f"{base:.2f}"])
        amount = base
        for rule in rules:
            times = held[rule.pk]
            if not times:
                continue
            if rule.required:
                candidate.reasons.append(describe(rule))
            if rule.addition:
                added = rule.addition * times
                words = describe(rule)
                if rule.kind == PlanRule.Kind.SCHOOL_STAGE:
                    words = _("%(r)s %(n)d 人 × %(a)s 元") % {
                        "r": words,
                        "n": times,
                        "a": format_yuan(rule.addition),
                    }
                candidate.parts.append([_("加发：%(w)s") % {"w": words}, f"{added:.2f}"])
                amount += added
        adjustment = adjustments.get(household.pk)
        candidate.adjustment = adjustment
        if adjustment is not None and adjustment.action == PlanAdjustment.Action.EXCLUDE:
            excluded.append(candidate)
            continue
        if adjustment is not None:
            candidate.parts.append(
                [
                    _("调整为 %(a)s 元：%(r)s")
                    % {"a": format_yuan(adjustment.amount), "r": adjustment.reason},
                    f"{adjustment.amount:.2f}",
                ]
            )
            amount = adjustment.amount
        candidate.amount = amount
        lines.append(candidate)
    empty = [r for r in rules if r.required and not hits[r.pk]]
    return Selection(lines, excluded, empty, len(households))
