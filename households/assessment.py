"""Per-capita income, eligibility against the thresholds in force, and screening flags.

Pure reads: nothing here writes. The household's members, income items, causes and
evidence are expected to be prefetched by the caller (see selectors.household_detail).
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hardship.idnumber import birth_date_of
from hardship.models import PolicyParameter
from hardship.policy import policy_value
from hardship.templatetags.money import format_yuan
from households.models import Cause, Household, Member

CENT = Decimal("0.01")


@dataclass
class Assessment:
    total_income: Decimal
    people: int
    per_capita: Decimal
    hardship_threshold: Decimal | None
    extreme_threshold: Decimal | None
    eligible_level: str | None  # a Household.Level value, or None when above both
    explanation: str
    on: datetime.date


@dataclass
class Flag:
    code: str
    message: str
    severity: str = "warning"
    links: list = field(default_factory=list)
    hidden: int = 0  # other files outside the reader's scope, counted but not named


def household_income(household: Household) -> Decimal:
    members = sum((m.monthly_income for m in household.members.all()), Decimal("0"))
    items = sum((i.monthly_amount for i in household.income_items.all()), Decimal("0"))
    return members + items


def assess(household: Household, on: datetime.date | None = None) -> Assessment:
    on = on or timezone.localdate()
    total = household_income(household)
    people = 1 + len(household.members.all())  # the worker and the family members
    per_capita = (total / people).quantize(CENT, rounding=ROUND_HALF_UP)
    hardship = policy_value(PolicyParameter.Key.HARDSHIP_THRESHOLD, household.union, on)
    extreme = policy_value(PolicyParameter.Key.EXTREME_THRESHOLD, household.union, on)
    values = {"pc": format_yuan(per_capita), "h": format_yuan(hardship), "e": format_yuan(extreme)}
    if hardship is None:
        level = None
        text = _("家庭人均月收入 %(pc)s 元；本地区在该日期没有生效的困难标准，无法判定。") % values
    elif extreme is not None and per_capita < extreme:
        level = Household.Level.EXTREME
        text = _("家庭人均月收入 %(pc)s 元，低于特困标准 %(e)s 元，符合特困条件。") % values
    elif per_capita < hardship:
        level = Household.Level.HARDSHIP
        text = _("家庭人均月收入 %(pc)s 元，低于困难标准 %(h)s 元，符合困难条件。") % values
    else:
        level = None
        text = _("家庭人均月收入 %(pc)s 元，不低于困难标准 %(h)s 元，不符合收入条件。") % values
    return Assessment(total, people, per_capita, hardship, extreme, level, text, on)


# Members who bring in earned income: in work, or farming (务农) with their farm income.
WORKING = (Member.Employment.EMPLOYED, Member.Employment.FARMING)
ILL = (Member.Health.CHRONIC, Member.Health.SERIOUS)


def employed_count(household: Household) -> int:
    worker = 1 if household.employment_status == Household.EmploymentStatus.ACTIVE else 0
    return worker + sum(1 for m in household.members.all() if m.employment in WORKING)


@dataclass
class Patient:
    """One person of the household who is ill or disabled: the worker or a member."""

    who: str
    health: str  # a Member.Health value
    health_label: str
    illness: str = ""
    monthly_costs: Decimal | None = None


def patients(household: Household) -> list[Patient]:
    """The worker (first) and the members whose health is not 健康."""
    found = []
    if household.worker_health != Member.Health.HEALTHY:
        found.append(
            Patient(
                _("职工本人%(name)s") % {"name": household.worker_name},
                household.worker_health,
                household.get_worker_health_display(),
                household.worker_illness,
                household.worker_medical_costs or None,
            )
        )
    for member in household.members.all():
        if member.health != Member.Health.HEALTHY:
            found.append(
                Patient(
                    f"{member.get_relation_display()}{member.name}",
                    member.health,
                    member.get_health_display(),
                )
            )
    return found


def _described(patient: Patient) -> str:
    detail = "，".join(filter(None, [patient.health_label, patient.illness]))
    return f"{patient.who}（{detail}）"


# What makes two files look like one family filed twice (the one duplicate check: the
# screening flag asks it for ID numbers, the cross-checks for every reason).
DUPLICATE_REASONS = {
    "id_number": gettext_lazy("身份证号相同"),
    "bank_account": gettext_lazy("银行卡号相同"),
    "phone": gettext_lazy("联系电话相同"),
    "name_birth": gettext_lazy("姓名和出生日期相同"),
}
LIVE = (Household.Status.DRAFT, Household.Status.IN_FILE)


def _worker_birth(household) -> datetime.date | None:
    try:
        return birth_date_of(household.id_number)
    except ValueError:
        return None


def _member_keys(members, reasons) -> set[tuple[str, str]]:
    keys = set()
    if "id_number" in reasons:
        keys |= {("id_number", m.id_number) for m in members if m.id_number}
    if "name_birth" in reasons:
        keys |= {("name_birth", f"{m.name}|{m.birth_date}") for m in members}
    return keys


def _worker_keys(household, reasons) -> set[tuple[str, str]]:
    keys = set()
    if "id_number" in reasons:
        keys.add(("id_number", household.id_number))
    if "bank_account" in reasons and household.bank_account:
        keys.add(("bank_account", household.bank_account))
    if "phone" in reasons and household.phone:
        keys.add(("phone", household.phone))
    birth = _worker_birth(household) if "name_birth" in reasons else None
    if birth:
        keys.add(("name_birth", f"{household.worker_name}|{birth}"))
    return keys


def duplicate_matches(households, reasons=tuple(DUPLICATE_REASONS)) -> dict:
    """Pairs of live files (draft or in file), in any unit, of which one is among
    `households` (members prefetched) and which share a worker's or member's ID number, the
    bank card, the phone, or a person's name with the same birth date. Returns
    {(smaller pk, larger pk): {reason, …}}. Two queries, whatever the number of files."""
    own = {
        h.pk: _worker_keys(h, reasons) | _member_keys(h.members.all(), reasons) for h in households
    }
    wanted = set().union(*own.values()) if own else set()
    if not wanted:
        return {}
    values = {kind: {v for k, v in wanted if k == kind} for kind in reasons}
    names = {v.split("|", 1)[0] for v in values.get("name_birth", ())}
    condition = Q(pk__in=[])
    for column in ("id_number", "bank_account", "phone"):
        if values.get(column):
            condition |= Q(**{f"{column}__in": values[column]})
    if names:
        condition |= Q(worker_name__in=names)
    others = {h.pk: h for h in Household.objects.filter(condition, status__in=LIVE)}
    member_condition = Q(pk__in=[])
    if values.get("id_number"):
        member_condition |= Q(id_number__in=values["id_number"])
    if names:
        member_condition |= Q(name__in=names)
    their_members = {}
    for member in Member.objects.filter(member_condition, household__status__in=LIVE).only(
        "household_id", "id_number", "name", "birth_date"
    ):
        their_members.setdefault(member.household_id, []).append(member)
    index = {}  # key -> households holding it
    for pk in set(others) | set(their_members):
        keys = _worker_keys(others[pk], reasons) if pk in others else set()
        keys |= _member_keys(their_members.get(pk, []), reasons)
        for key in keys & wanted:
            index.setdefault(key, set()).add(pk)
    pairs: dict[tuple[int, int], set] = {}
    for pk, keys in own.items():
        for key in keys:
            for other in index.get(key, ()):
                if other != pk:
                    pairs.setdefault((min(pk, other), max(pk, other)), set()).add(key[0])
    return pairs


def duplicate_id_households(household: Household):
    """Other live files (draft or in file) in which this household's worker or a member
    appears, as worker or member, in any unit."""
    pairs = duplicate_matches([household], reasons=("id_number",))
    others = {pk for pair in pairs for pk in pair} - {household.pk}
    return Household.objects.filter(pk__in=others).select_related("union").order_by("pk")


def screening_flags(household: Household, on: datetime.date | None = None) -> list[Flag]:
    """The screening points (审核要点) that need a second look."""
    on = on or timezone.localdate()
    flags = []
    if household.vehicles:
        flags.append(Flag("vehicle", _("登记有机动车 %(n)d 辆。") % {"n": household.vehicles}))
    if household.luxury_goods.strip():
        flags.append(
            Flag("luxury", _("登记有高档消费品：%(goods)s。") % {"goods": household.luxury_goods})
        )
    limit = policy_value(PolicyParameter.Key.EMPLOYED_MEMBERS_FLAG, household.union, on)
    employed = employed_count(household)
    if limit is not None and employed >= limit:
        flags.append(
            Flag(
                "employed",
                _("家庭就业人数 %(n)d 人，达到提示线 %(limit)s 人。")
                % {"n": employed, "limit": int(limit)},
            )
        )
    ill = patients(household)
    serious = [p for p in ill if p.health == Member.Health.SERIOUS]
    if serious:
        flags.append(
            Flag(
                "serious_illness",
                _("本户有大病患者：%(who)s。") % {"who": "、".join(_described(p) for p in serious)},
                severity="info",
            )
        )
    causes = {c.cause for c in household.causes.all()}
    if Cause.ILLNESS in causes and not any(p.health in ILL for p in ill):
        flags.append(
            Flag("illness_unrecorded", _("登记“因病”，但职工本人和家庭成员均未登记患病。"))
        )
    if Cause.DISABILITY in causes and not any(p.health == Member.Health.DISABLED for p in ill):
        flags.append(
            Flag("disability_unrecorded", _("登记“因残”，但职工本人和家庭成员均未登记残疾。"))
        )
    evidenced = {e.cause for e in household.evidence.all()}
    for cause in household.causes.all():
        if cause.cause not in evidenced:
            flags.append(
                Flag(
                    "no_evidence",
                    _("致困原因“%(cause)s”没有上传证明材料。")
                    % {"cause": cause.get_cause_display()},
                )
            )
    others = list(duplicate_id_households(household))
    if others:
        flags.append(
            Flag(
                "duplicate_id",
                _("本户职工或成员的身份证号已出现在其他档案中。"),
                severity="danger",
                links=others,
            )
        )
    return flags


# 零就业家庭: someone of working age who could work is out of work, and nobody of working age
# is in work. Working age (法定劳动年龄) runs from the 16th birthday to the 60th; the worker's
# birth date is read from the ID number, a member's from the file. Students, the retired and
# those who cannot work (学龄前/无劳动能力) are neither in nor out of work. This module is the
# one definition: the household page asks `is_zero_employment`, the list filter, plan targeting
# and the statistics ask `zero_employment` (a queryset); tests hold the two to the same answers.
WORKING_AGE = (16, 60)
WORKER_OUT_OF_WORK = (Household.EmploymentStatus.LAID_OFF, Household.EmploymentStatus.TERMINATED)


def _years_before(on: datetime.date, years: int) -> datetime.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def working_age_births(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Birth dates of working age on `on`: after the first, on or before the second."""
    youngest, oldest = WORKING_AGE
    return _years_before(on, oldest), _years_before(on, youngest)


def _worker_born(household: Household) -> datetime.date | None:
    number = household.id_number or ""
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def is_zero_employment(household: Household, on: datetime.date | None = None) -> bool:
    """The household (members prefetched) is a 零就业家庭 on `on`."""
    after, until = working_age_births(on or timezone.localdate())
    people = []
    born = _worker_born(household)
    if born is not None and after < born <= until:
        status = household.employment_status
        people.append(
            "in"
            if status == Household.EmploymentStatus.ACTIVE
            else "out"
            if status in WORKER_OUT_OF_WORK
            else ""
        )
    for member in household.members.all():
        if after < member.birth_date <= until:
            people.append(
                "in"
                if member.employment in WORKING
                else "out"
                if member.employment == Member.Employment.UNEMPLOYED
                else ""
            )
    return "out" in people and "in" not in people


def zero_employment(households, on: datetime.date | None = None):
    """The 零就业家庭 among `households` (a queryset) on `on`."""
    after, until = working_age_births(on or timezone.localdate())
    # The ID number stores the birth date as YYYYMMDD at positions 7–14: compared as text.
    worker_age = Q(worker_born__gt=f"{after:%Y%m%d}", worker_born__lte=f"{until:%Y%m%d}")
    members = Member.objects.filter(
        household=OuterRef("pk"), birth_date__gt=after, birth_date__lte=until
    )
    # Nobody in work: an anti-join. Somebody out of work: the worker, or else a member
    # looked up by the file's id (an index probe per file left). Correlated lookups, not
    # `pk IN (subquery)`: under OR and NOT PostgreSQL cannot join those, and once the
    # subquery's rows outgrow work_mem (a million files) it searches them again for every
    # file — minutes for one union.
    in_work = worker_age & Q(employment_status=Household.EmploymentStatus.ACTIVE)
    worker_out = worker_age & Q(employment_status__in=WORKER_OUT_OF_WORK)
    return (
        households.alias(worker_born=Substr("id_number", 7, 8))
        .exclude(in_work)
        .filter(~Exists(members.filter(employment__in=WORKING)))
        .filter(worker_out | Exists(members.filter(employment=Member.Employment.UNEMPLOYED)))
    )
