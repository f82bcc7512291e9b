"""Exit candidates and integrity checks (审核要点) over the households a user may see.

Each check finds the households (or rows) that need a second look, with a short reason. The
database filters and counts them; only the first few are read (audit.findings), so the page
costs the same queries for a company as for the province. All of them read; none writes.
The yearly cap and the ID numbers shared between files are in audit.money and
audit.duplicates."""

import datetime

from django.db.models import Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.duplicates import duplicate_ids
from audit.findings import LIMIT, Check, Finding, Part, first_findings, listed
from audit.money import over_cap_or_not_in_file
from audit.policy_sql import value_of_union, values_by_union
from hardship.models import PolicyParameter
from hardship.templatetags.money import format_yuan
from households import plans
from households.figures import attach_family_figures, per_household
from households.models import Cause, Evidence, HardshipCause, Household, IncomeItem, Member

IN_SCHOOL = [
    Member.SchoolStage.PRIMARY,
    Member.SchoolStage.MIDDLE,
    Member.SchoolStage.HIGH,
    Member.SchoolStage.UNIVERSITY,
]


def _by_file(households):
    return households.select_related("union").order_by("file_number")


def _each(households, detail: str) -> Part:
    """Households listed by file number, each with the same reason."""
    return Part(_by_file(households), lambda household: Finding(household, detail))


def _has(model, **conditions) -> Exists:
    return Exists(model.objects.filter(household=OuterRef("pk"), **conditions))


class _WithFamilyFigures(Part):
    """Reads the listed households' size and income (households.figures) in one query."""

    def findings(self, rows: list) -> list[Finding]:
        attach_family_figures(rows)
        return super().findings(rows)


def _income_finding(household) -> Finding:
    per_capita = household.family_income / household.family_size
    detail = _("人均月收入 %(pc)s 元，不低于困难标准 %(t)s 元") % {
        "pc": format_yuan(per_capita),
        "t": format_yuan(household.threshold),
    }
    return Finding(household, detail)


@listed
def income_above_threshold(households, today):
    """Per-capita income now at or above the hardship threshold in force for the union."""
    thresholds = values_by_union(PolicyParameter.Key.HARDSHIP_THRESHOLD, households, today)
    if not thresholds:
        return []
    members = Member.objects.filter(household=OuterRef("pk"))
    items = IncomeItem.objects.filter(household=OuterRef("pk"))
    # income / people ≥ threshold, written Σ (member's income − threshold) + income items ≥
    # threshold (the worker's share): one pass over the members, no division.
    rows = (
        households.annotate(threshold=value_of_union("union_id", thresholds))
        .annotate(
            surplus=per_household(members, Sum(F("monthly_income") - OuterRef("threshold")))
            + per_household(items, Sum("monthly_amount"))
        )
        .filter(surplus__gte=F("threshold"))
    )
    return [_WithFamilyFigures(_by_file(rows), _income_finding)]


@listed
def lapsed_causes(households):
    """A cause whose ground is gone: no member in school for 因学, no disabled member for
    因残, the worker back at work for 下岗失业."""
    education = households.filter(_has(HardshipCause, cause=Cause.EDUCATION)).filter(
        ~_has(Member, school_stage__in=IN_SCHOOL)
    )
    disability = (
        households.filter(_has(HardshipCause, cause=Cause.DISABILITY))
        .exclude(worker_health=Member.Health.DISABLED)
        .filter(~_has(Member, health=Member.Health.DISABLED))
    )
    unemployment = households.filter(
        _has(HardshipCause, cause=Cause.UNEMPLOYMENT),
        employment_status=Household.EmploymentStatus.ACTIVE,
    )
    return [
        _each(education, _("登记“因学”，但已无在校家庭成员")),
        _each(disability, _("登记“因残”，但职工本人和家庭成员均无残疾")),
        _each(unemployment, _("登记“下岗失业”，但职工现为在职")),
    ]


def _cause_finding(row) -> Finding:
    return Finding(row.household, _("“%(c)s”无证明材料") % {"c": row.get_cause_display()})


@listed
def causes_without_evidence(households):
    evidenced = Evidence.objects.filter(household=OuterRef("household"), cause=OuterRef("cause"))
    rows = HardshipCause.objects.filter(household__in=households).exclude(Exists(evidenced))
    rows = rows.select_related("household__union").order_by("household__file_number", "cause")
    return [Part(rows, _cause_finding)]


def _assets_finding(household) -> Finding:
    parts = []
    if household.vehicles:
        parts.append(_("机动车 %(n)d 辆") % {"n": household.vehicles})
    if household.luxury_goods:
        parts.append(_("高档消费品：%(g)s") % {"g": household.luxury_goods})
    return Finding(household, "；".join(parts))


@listed
def assets_recorded(households):
    rows = households.filter(Q(vehicles__gt=0) | ~Q(luxury_goods=""))
    return [Part(_by_file(rows), _assets_finding)]


@listed
def reviews_long_overdue(households, today):
    rows = households.filter(review_due_on__lt=today - datetime.timedelta(days=90))

    def finding(household):
        detail = _("年度复核应于 %(d)s 完成，已逾期 %(n)d 天") % {
            "d": household.review_due_on,
            "n": (today - household.review_due_on).days,
        }
        return Finding(household, detail)

    return [Part(rows.select_related("union").order_by("review_due_on", "pk"), finding)]


@listed
def plan_problems(households, today):
    """The aid plan's problems (households.plans): a cause without a measure, an open
    measure past its target date, an exit date (脱困时间表) passed with the file still in."""
    uncovered = plans.causes_without_measure(households).select_related("household__union")

    def no_measure(row):
        return Finding(
            row.household, _("致困原因“%(c)s”尚无帮扶措施") % {"c": row.get_cause_display()}
        )

    def overdue(m):
        detail = _("措施“%(m)s”计划于 %(d)s 完成，已逾期 %(n)d 天") % {
            "m": plans.measure_label(m),
            "d": m.target_on,
            "n": (today - m.target_on).days,
        }
        return Finding(m.household, detail)

    def passed(h):
        return Finding(h, _("计划脱困日期 %(d)s 已过，仍在档") % {"d": h.exit_target_on})

    late = plans.measures_overdue(households, today).select_related("household__union")
    ended = plans.exit_target_passed(households, today).select_related("union")
    return [
        Part(uncovered.order_by("household__file_number", "cause"), no_measure),
        Part(late.order_by("target_on", "pk"), overdue),
        Part(ended.order_by("exit_target_on", "pk"), passed),
    ]


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


# Each check's parts over (the files in file, every file, today); every check but the money
# one reads the files in file (a payment outside a file's time in file needs every file).
PARTS = {
    "income": lambda in_file, _every, today: income_above_threshold.parts(in_file, today),
    "lapsed": lambda in_file, _every, _today: lapsed_causes.parts(in_file),
    "duplicate": lambda in_file, _every, _today: duplicate_ids.parts(in_file),
    "money": lambda _in_file, every, today: over_cap_or_not_in_file.parts(every, today),
    "evidence": lambda in_file, _every, _today: causes_without_evidence.parts(in_file),
    "assets": lambda in_file, _every, _today: assets_recorded.parts(in_file),
    "overdue": lambda in_file, _every, today: reviews_long_overdue.parts(in_file, today),
    "plan": lambda in_file, _every, today: plan_problems.parts(in_file, today),
}


def check_parts(code: str, households, today: datetime.date) -> list:
    """The parts of one check over the given (already scoped) households."""
    return PARTS[code](households.filter(status=Household.Status.IN_FILE), households, today)


def run_checks(households, today: datetime.date | None = None, limit: int = LIMIT) -> list[Check]:
    """Every check over the given (already scoped) households in file: each with its number
    of findings and the first `limit` of them."""
    today = today or timezone.localdate()
    return [
        Check(code, str(title), *first_findings(check_parts(code, households, today), limit))
        for code, title in TITLES.items()
    ]
