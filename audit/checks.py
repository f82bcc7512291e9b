"""Exit candidates and integrity checks (审核要点) over the households a user may see.

Each check returns the households (or rows) that need a second look, with a short reason.
All of them read; none writes.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funds.models import LedgerEntry
from hardship.models import PolicyParameter
from hardship.policy import policy_value
from hardship.templatetags.money import format_yuan
from households import plans
from households.models import Cause, Evidence, HardshipCause, Household, IncomeItem, Member

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))
IN_SCHOOL = [
    Member.SchoolStage.PRIMARY,
    Member.SchoolStage.MIDDLE,
    Member.SchoolStage.HIGH,
    Member.SchoolStage.UNIVERSITY,
]


@dataclass
class Finding:
    household: Household
    detail: str


@dataclass
class Check:
    code: str
    title: str
    findings: list


def _sum_of(model, field):
    return Coalesce(
        Subquery(
            model.objects.filter(household=OuterRef("pk"))
            .order_by()
            .values("household")
            .annotate(total=Sum(field))
            .values("total")
        ),
        ZERO,
    )


def income_above_threshold(households, today):
    """Per-capita income now at or above the hardship threshold in force for the union."""
    rows = households.annotate(
        member_income=_sum_of(Member, "monthly_income"),
        item_income=_sum_of(IncomeItem, "monthly_amount"),
        people=Count("members", distinct=True) + 1,
    )
    thresholds = {}
    findings = []
    for household in rows.select_related("union"):
        if household.union_id not in thresholds:
            thresholds[household.union_id] = policy_value(
                PolicyParameter.Key.HARDSHIP_THRESHOLD, household.union, today
            )
        threshold = thresholds[household.union_id]
        per_capita = (household.member_income + household.item_income) / household.people
        if threshold is not None and per_capita >= threshold:
            findings.append(
                Finding(
                    household,
                    _("人均月收入 %(pc)s 元，不低于困难标准 %(t)s 元")
                    % {"pc": format_yuan(per_capita), "t": format_yuan(threshold)},
                )
            )
    return findings


def lapsed_causes(households):
    """A cause whose ground is gone: no member in school for 因学, no disabled member for
    因残, the worker back at work for 下岗失业."""
    findings = []
    education = households.filter(causes__cause=Cause.EDUCATION).exclude(
        members__school_stage__in=IN_SCHOOL
    )
    findings += [Finding(h, _("登记“因学”，但已无在校家庭成员")) for h in education.distinct()]
    disability = (
        households.filter(causes__cause=Cause.DISABILITY)
        .exclude(worker_health=Member.Health.DISABLED)
        .exclude(members__health=Member.Health.DISABLED)
    )
    findings += [
        Finding(h, _("登记“因残”，但职工本人和家庭成员均无残疾")) for h in disability.distinct()
    ]
    unemployment = households.filter(
        causes__cause=Cause.UNEMPLOYMENT, employment_status=Household.EmploymentStatus.ACTIVE
    )
    findings += [Finding(h, _("登记“下岗失业”，但职工现为在职")) for h in unemployment.distinct()]
    return findings


def duplicate_ids(households):
    """The same ID number in more than one household in file, as worker or member, in any
    unit. Reported for the households the user can see."""
    live = Household.objects.filter(status=Household.Status.IN_FILE)
    members = Member.objects.filter(household__in=live).exclude(id_number="")
    # The database finds the numbers that may repeat (a province holds 400,000 numbers):
    # twice among workers, twice among members, or a worker's number on a member row.
    candidates = (
        set(
            live.values("id_number")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .values_list("id_number", flat=True)
        )
        | set(
            members.values("id_number")
            .annotate(n=Count("household", distinct=True))
            .filter(n__gt=1)
            .values_list("id_number", flat=True)
        )
        | set(
            live.filter(id_number__in=members.values("id_number")).values_list(
                "id_number", flat=True
            )
        )
    )
    worker_ids = live.filter(id_number__in=candidates).values_list("id_number", "pk")
    member_ids = members.filter(id_number__in=candidates).values_list("id_number", "household")
    seen: dict[str, set[int]] = {}
    for id_number, household_pk in list(worker_ids) + list(member_ids):
        seen.setdefault(id_number, set()).add(household_pk)
    shared = {number: pks for number, pks in seen.items() if len(pks) > 1}
    visible = households.filter(
        pk__in={pk for pks in shared.values() for pk in pks}
    ).select_related("union")
    findings = []
    for household in visible:
        others = sorted(
            {pk for pks in shared.values() if household.pk in pks for pk in pks} - {household.pk}
        )
        findings.append(
            Finding(household, _("身份证号与另外 %(n)d 份在档档案重复") % {"n": len(others)})
        )
    return findings


def over_cap_or_not_in_file(households, today):
    """Paid more than the yearly cap this year, or paid on a date the file was not in file."""
    findings = []
    year = today.year
    totals = (
        LedgerEntry.objects.filter(household__in=households, posted_on__year=year)
        .values("household")
        .annotate(net=Sum("amount"))
    )
    by_household = {row["household"]: -row["net"] for row in totals}
    for household in households.filter(pk__in=by_household).select_related("union"):
        cap = policy_value(PolicyParameter.Key.HOUSEHOLD_YEAR_CAP, household.union, today)
        if cap is not None and by_household[household.pk] > cap:
            findings.append(
                Finding(
                    household,
                    _("%(y)d 年已领取 %(p)s 元，超过每户每年上限 %(c)s 元")
                    % {
                        "y": year,
                        "p": format_yuan(by_household[household.pk]),
                        "c": format_yuan(cap),
                    },
                )
            )
    outside = LedgerEntry.objects.filter(
        household__in=households, kind=LedgerEntry.Kind.PAYMENT
    ).filter(
        Q(household__established_on__isnull=True)
        | Q(posted_on__lt=F("household__established_on"))
        | Q(posted_on__gt=F("household__exited_on"))
        | Q(posted_on__gt=F("household__cancelled_on"))
    )
    for entry in outside.select_related("household__union"):
        findings.append(
            Finding(
                entry.household,
                _("凭证 %(v)s 于 %(d)s 发放时该户不在档")
                % {"v": entry.voucher, "d": entry.posted_on},
            )
        )
    return findings


def causes_without_evidence(households):
    evidenced = Evidence.objects.filter(household=OuterRef("household"), cause=OuterRef("cause"))
    rows = (
        HardshipCause.objects.filter(household__in=households)
        .exclude(Exists(evidenced))
        .select_related("household__union")
    )
    return [
        Finding(row.household, _("“%(c)s”无证明材料") % {"c": row.get_cause_display()})
        for row in rows
    ]


def assets_recorded(households):
    rows = households.filter(Q(vehicles__gt=0) | ~Q(luxury_goods="")).select_related("union")
    findings = []
    for household in rows:
        parts = []
        if household.vehicles:
            parts.append(_("机动车 %(n)d 辆") % {"n": household.vehicles})
        if household.luxury_goods:
            parts.append(_("高档消费品：%(g)s") % {"g": household.luxury_goods})
        findings.append(Finding(household, "；".join(parts)))
    return findings


def reviews_long_overdue(households, today):
    limit = today - datetime.timedelta(days=90)
    rows = (
        households.filter(review_due_on__lt=limit).select_related("union").order_by("review_due_on")
    )
    return [
        Finding(
            h,
            _("年度复核应于 %(d)s 完成，已逾期 %(n)d 天")
            % {"d": h.review_due_on, "n": (today - h.review_due_on).days},
        )
        for h in rows
    ]


def plan_problems(households, today):
    """The aid plan's problems (households.plans): a cause without a measure, an open
    measure past its target date, an exit date (脱困时间表) passed with the file still in."""
    findings = [
        Finding(row.household, _("致困原因“%(c)s”尚无帮扶措施") % {"c": row.get_cause_display()})
        for row in plans.causes_without_measure(households).select_related("household__union")
    ]
    overdue = plans.measures_overdue(households, today).select_related("household__union")
    findings += [
        Finding(
            m.household,
            _("措施“%(m)s”计划于 %(d)s 完成，已逾期 %(n)d 天")
            % {"m": plans.measure_label(m), "d": m.target_on, "n": (today - m.target_on).days},
        )
        for m in overdue.order_by("target_on", "pk")
    ]
    passed = plans.exit_target_passed(households, today).select_related("union")
    findings += [
        Finding(h, _("计划脱困日期 %(d)s 已过，仍在档") % {"d": h.exit_target_on})
        for h in passed.order_by("exit_target_on", "pk")
    ]
    return findings


TITLES = {
    "income": gettext_lazy("人均收入已超过困难标准（可能已脱困）"),
    "lapsed": gettext_lazy("致困原因已消失"),
    "duplicate": gettext_lazy("身份证号在多份在档档案中重复"),
    "money": gettext_lazy("超过年度上限或不在档期间发放"),
    "evidence": gettext_lazy("致困原因无证明材料"),
    "assets": gettext_lazy("登记有机动车或高档消费品"),
    "overdue": gettext_lazy("年度复核逾期超过90天"),
    "plan": gettext_lazy("帮扶计划：致困原因无措施、措施逾期、脱困时间表已过"),
}


def run_checks(households, today: datetime.date | None = None) -> list[Check]:
    """Every check over the given (already scoped) households in file."""
    today = today or timezone.localdate()
    in_file = households.filter(status=Household.Status.IN_FILE)
    results = {
        "income": income_above_threshold(in_file, today),
        "lapsed": lapsed_causes(in_file),
        "duplicate": duplicate_ids(in_file),
        "money": over_cap_or_not_in_file(households, today),
        "evidence": causes_without_evidence(in_file),
        "assets": assets_recorded(in_file),
        "overdue": reviews_long_overdue(in_file, today),
        "plan": plan_problems(in_file, today),
    }
    return [Check(code, str(TITLES[code]), findings) for code, findings in results.items()]
