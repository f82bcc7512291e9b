"""The match report of an outside list: its rows compared with the files in file (and
drafts) of the list's unit. Written once, when the list is imported, as MatchLine rows, so
each finding can be explained or followed up. Nothing here changes a household file."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from crosscheck.models import MatchLine, OutsideList, OutsideRow
from hardship.models import PolicyParameter
from hardship.policy import policy_value
from hardship.templatetags.money import format_yuan
from households.assessment import household_income
from households.models import Household, IncomeItem, Member

CENT = Decimal("0.01")
Kind = MatchLine.Kind
LIVE = (Household.Status.DRAFT, Household.Status.IN_FILE)
# The category a file should carry for a civil-affairs category: 特困 people draw the
# minimum living allowance too.
EXPECTED_CATEGORY = {
    OutsideRow.Category.DIBAO: Household.Category.DIBAO,
    OutsideRow.Category.TEKUN: Household.Category.DIBAO,
    OutsideRow.Category.NEAR_DIBAO: Household.Category.NEAR_DIBAO,
}
# The file's employment statuses that agree with an HR status.
AGREEING_STATUS = {
    OutsideRow.Employment.EMPLOYED: {Household.EmploymentStatus.ACTIVE},
    OutsideRow.Employment.LEFT: {
        Household.EmploymentStatus.TERMINATED,
        Household.EmploymentStatus.LAID_OFF,
    },
    OutsideRow.Employment.RETIRED: {Household.EmploymentStatus.RETIRED},
}
JOBLESS = (Member.Employment.UNEMPLOYED, Member.Employment.NONE)
WORKER_WAGE_SOURCES = (IncomeItem.Source.WAGES, IncomeItem.Source.SICK_PAY)


def _households(outside_list: OutsideList):
    return (
        Household.objects.filter(union__path__startswith=outside_list.unit.path, status__in=LIVE)
        .select_related("union")
        .prefetch_related("members", "income_items")
    )


def _people(households) -> dict[str, tuple[Household, Member | None]]:
    """ID number → (household, the member or None for the worker)."""
    people = {}
    for household in households:
        people.setdefault(household.id_number, (household, None))
        for member in household.members.all():
            if member.id_number:
                people.setdefault(member.id_number, (household, member))
    return people


def build_lines(outside_list: OutsideList) -> int:
    households = list(_households(outside_list))
    rows = list(outside_list.rows.all())
    if outside_list.kind == OutsideList.Kind.CIVIL:
        lines = _civil_lines(outside_list, households, rows)
    else:
        lines = _hr_lines(outside_list, households, rows)
    MatchLine.objects.bulk_create(lines)
    return len(lines)


def _in_force(row: OutsideRow, on) -> bool:
    return (row.starts_on is None or row.starts_on <= on) and (
        row.ends_on is None or row.ends_on >= on
    )


def _civil_lines(outside_list, households, rows) -> list[MatchLine]:
    on = outside_list.list_date
    people = _people(households)
    by_id = {row.id_number: row for row in rows}
    lines = []
    for household in households:
        if household.status != Household.Status.IN_FILE:
            continue
        if household.category != Household.Category.DIBAO:
            continue
        ids = [household.id_number] + [m.id_number for m in household.members.all() if m.id_number]
        listed = [by_id[i] for i in ids if i in by_id]
        if any(_in_force(row, on) for row in listed):
            continue
        if listed:
            detail = _("档案登记为低保户，民政名单上的救助已于 %(date)s 终止。") % {
                "date": listed[0].ends_on or listed[0].starts_on
            }
        else:
            detail = _("档案登记为低保户，职工及家庭成员均不在民政名单上。")
        lines.append(
            MatchLine(
                outside_list=outside_list,
                kind=Kind.DIBAO_NOT_LISTED,
                household=household,
                row=listed[0] if listed else None,
                detail=detail,
            )
        )
    compared = set()
    for row in rows:
        if not _in_force(row, on):
            continue
        household, _member = people.get(row.id_number, (None, None))
        if household is None:
            lines.append(
                MatchLine(
                    outside_list=outside_list,
                    kind=Kind.NOT_FILED,
                    row=row,
                    detail=_("民政名单为%(category)s，本单位没有该人的困难职工档案。")
                    % {"category": row.get_category_display()},
                )
            )
            continue
        if household.pk in compared:
            continue
        compared.add(household.pk)
        if household.category != EXPECTED_CATEGORY[row.category]:
            lines.append(
                MatchLine(
                    outside_list=outside_list,
                    kind=Kind.OTHER_CATEGORY,
                    household=household,
                    row=row,
                    detail=_("民政名单为%(listed)s，档案登记为%(filed)s。")
                    % {
                        "listed": row.get_category_display(),
                        "filed": household.get_category_display(),
                    },
                )
            )
    return lines


def _worker_wages(household) -> Decimal:
    return sum(
        (i.monthly_amount for i in household.income_items.all() if i.source in WORKER_WAGE_SOURCES),
        Decimal("0"),
    )


def _hr_lines(outside_list, households, rows) -> list[MatchLine]:
    on = outside_list.list_date
    by_id = {row.id_number: row for row in rows}
    thresholds = {}
    lines = []

    def line(kind, household, row, detail):
        lines.append(
            MatchLine(
                outside_list=outside_list, kind=kind, household=household, row=row, detail=detail
            )
        )

    for household in households:
        if household.status != Household.Status.IN_FILE:
            continue
        extra = Decimal("0")  # how much more the household earns by HR's wages
        first_row = None
        worker_row = by_id.get(household.id_number)
        if worker_row is not None:
            first_row = worker_row
            agreeing = AGREEING_STATUS[worker_row.employment]
            if household.employment_status not in agreeing:
                line(
                    Kind.CONTRADICTS,
                    household,
                    worker_row,
                    _("人社数据显示职工本人%(hr)s，档案登记为%(filed)s。")
                    % {
                        "hr": worker_row.get_employment_display(),
                        "filed": household.get_employment_status_display(),
                    },
                )
            recorded = _worker_wages(household)
            if worker_row.monthly_wage is not None and worker_row.monthly_wage > recorded:
                extra += worker_row.monthly_wage - recorded
                line(
                    Kind.CONTRADICTS,
                    household,
                    worker_row,
                    _("人社月工资 %(hr)s 元，档案登记职工本人工资收入 %(filed)s 元。")
                    % {"hr": format_yuan(worker_row.monthly_wage), "filed": format_yuan(recorded)},
                )
        for member in household.members.all():
            row = by_id.get(member.id_number) if member.id_number else None
            if row is None:
                continue
            first_row = first_row or row
            if row.employment == OutsideRow.Employment.EMPLOYED and member.employment in JOBLESS:
                line(
                    Kind.MEMBER_EMPLOYED,
                    household,
                    row,
                    _("家庭成员%(name)s人社数据显示在职，档案登记为%(filed)s。")
                    % {"name": member.name, "filed": member.get_employment_display()},
                )
            if row.monthly_wage is not None and row.monthly_wage > member.monthly_income:
                extra += row.monthly_wage - member.monthly_income
        if extra and first_row is not None:
            above = _above_threshold(household, extra, on, thresholds)
            if above:
                line(Kind.ABOVE_THRESHOLD, household, first_row, above)
    return lines


def _above_threshold(household, extra, on, thresholds) -> str:
    """The message when HR's wages lift the household's per-capita income from below the
    hardship threshold in force to at or above it, else ""."""
    if household.union_id not in thresholds:
        thresholds[household.union_id] = policy_value(
            PolicyParameter.Key.HARDSHIP_THRESHOLD, household.union, on
        )
    threshold = thresholds[household.union_id]
    if threshold is None:
        return ""
    people = 1 + len(household.members.all())
    total = household_income(household)
    before = (total / people).quantize(CENT, rounding=ROUND_HALF_UP)
    after = ((total + extra) / people).quantize(CENT, rounding=ROUND_HALF_UP)
    if before < threshold <= after:
        return _(
            "按人社工资计算，家庭人均月收入 %(after)s 元（档案为 %(before)s 元），不低于困难标准 %(threshold)s 元。"
        ) % {
            "after": format_yuan(after),
            "before": format_yuan(before),
            "threshold": format_yuan(threshold),
        }
    return ""
