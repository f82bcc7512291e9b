"""Statistics for the user's scope: who the households are, what was paid, and the
performance indicators (绩效) leaders are judged by."""

import datetime
import functools
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext

from cases import counts as application_counts
from cases.models import Application
from employment.figures import employment_figures, shown
from funds.flows import paid_in_unions
from funds.models import AidType, AidYearTotal, DistributionPlan, PlanLine
from hardship import access
from hardship.headcount import headcount
from households import composition
from households.access import household_scope, households_visible_to, own_file
from households.models import Cause, Gender, Health, Household, Tag
from loans.selectors import loan_figures, loans_visible_to
from reports import breakdowns, charts
from reports.annual import fund_utilisation

ZERO = Decimal("0")
Facet = AidYearTotal.Facet


def age_bands(counts) -> list[tuple[str, int]]:
    """Under 35, 35–50 and over 50, from the birth date in the ID number (digits 7–14,
    hardship.idnumber; counted by households.composition)."""
    return [
        (_("35岁以下"), counts["age:young"]),
        (_("35至50岁"), counts["age:middle"]),
        (_("50岁以上"), counts["age:old"]),
    ]


def tag_counts(counts) -> list[tuple[str, int]]:
    """Files carrying each tag, every tag listed."""
    return [
        (name, counts[composition.key("tag", pk)])
        for pk, name in Tag.objects.order_by("name").values_list("pk", "name")
    ]


MODEL_WORKER_TITLES = [*Household.ModelWorkerTitle.choices, ("", _lazy("称号未登记"))]


def model_worker_aid(counts, paid, year: int) -> list[dict]:
    """困难劳模 shown apart, by the title's level: files in file (`counts`, of
    households.composition), and the year's payments to model workers (net of reversals,
    person-times still standing) from `paid` (paid_in_unions)."""
    rows = []
    for value, label in MODEL_WORKER_TITLES:
        net, standing = paid.get((Facet.MODEL_WORKER, value or "untitled"), (ZERO, 0))
        rows.append(
            {
                "label": label,
                "households": counts[composition.key("model_worker", value)],
                "person_times": standing,
                "net": net,
            }
        )
    rows.append(
        {
            "label": _("合计"),
            **{
                key: sum((row[key] for row in rows), start)
                for key, start in (("households", 0), ("person_times", 0), ("net", ZERO))
            },
        }
    )
    return rows


def _percent(part, whole) -> Decimal:
    if not whole:
        return ZERO
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _money_applications(user, year) -> int:
    """The money applications of the year's files in scope, by the application's own union
    (kept as its file's): the counts kept per union and effective year (cases.counts; 29 ms
    for the 280,000 of a year at a million files, counted), and a worker's own file outside
    those unions, counted."""
    union_ids = access.registry_unit_ids(user)
    total = application_counts.kept(
        union_ids, kind__in=Application.MONEY_KINDS, effective_year=year
    )
    own = own_file(user, "household__worker_account")
    if own is not None:
        mine = Application.objects.filter(
            own, kind__in=Application.MONEY_KINDS, effective_on__year=year
        )
        total += mine.exclude(union_id__in=union_ids).count()
    return total


def _planned_lines(user, year) -> int:
    """The lines of the year's approved and posted plans for files in scope, by the union
    each line kept when its list was built (an index-only count per plan: joined to the
    files, a province's count hashed all of them)."""
    scope = household_scope(user, union="union_id", worker="household__worker_account")
    if scope is None:
        return 0
    return PlanLine.objects.filter(
        scope,
        plan__pay_on__year=year,
        plan__state__in=[DistributionPlan.State.APPROVED, DistributionPlan.State.POSTED],
    ).count()


def page_context(user, year: int) -> dict:
    today = timezone.localdate()
    visible = households_visible_to(user)
    counts = composition.seen_by(user, today)
    union_ids = access.registry_unit_ids(user)
    paid = paid_in_unions(union_ids, year)
    by_month = {m: paid.get((Facet.MONTH, f"{m:02d}"), (ZERO, 0))[0] for m in range(1, 13)}
    net, actual = paid.get((Facet.ALL, ""), (ZERO, 0))
    medical = paid.get((Facet.AID_TYPE, AidType.MEDICAL), (ZERO, 0))[0]
    exits = (
        visible.filter(status=Household.Status.EXITED, exited_on__isnull=False)
        .values("exited_on__year")
        # COUNT(*), not of the id: the index of exits holds no id, and it then answers alone
        # (124 → 15 ms for 50,000 exits at a million files).
        .annotate(n=Count("*"))
        .order_by("exited_on__year")
    )
    planned = _planned_lines(user, year) + _money_applications(user, year)
    report_unit = access.report_units(user).order_by("path").first()
    utilisation = fund_utilisation(year, report_unit) if report_unit else None
    total_in_file = counts["files"]
    loans = loan_figures(
        loans_visible_to(user),
        on=min(datetime.date(year, 12, 31), today),
        since=datetime.date(year, 1, 1),
    )
    employment = employment_figures(visible, year)
    members = headcount(union_ids)
    health = breakdowns.health(counts)
    by_value = functools.partial(breakdowns.by_value, counts)
    return {
        "school": breakdowns.school_stages(counts),
        "health": health,
        "age_by_sex": breakdowns.age_by_sex(counts),
        "model_workers": model_worker_aid(counts, paid, year),
        "loans": loans.rows(),
        "year": year,
        "employment": [(label, shown(value, kind)) for label, value, kind in employment.rows()],
        "total_in_file": total_in_file,
        "charts": [
            (
                title,
                charts.figure(items, title=title, value_header=header[0] if header else _("户数")),
            )
            for title, items, *header in [
                (_("在档户按主要致困原因"), by_value("main_cause", Cause.choices)),
                (_("在档户按致困原因（一户可多因）"), by_value("cause", Cause.choices)),
                (_("在档户按困难类别"), by_value("category", Household.Category.choices)),
                (_("在档户按困难程度"), by_value("level", Household.Level.choices)),
                (_("在档户按年龄段"), age_bands(counts)),
                (
                    _("在档户按就业状态"),
                    by_value("employment_status", Household.EmploymentStatus.choices),
                ),
                (
                    _("在档户劳动年龄家庭成员按就业情况（人）"),
                    breakdowns.members_at_work(counts),
                    pgettext("persons", "人数"),
                ),
                (_("在档户按性别"), by_value("gender", Gender.choices)),
                (_("在档户按住房情况"), breakdowns.housing(counts)),
                # 困难劳模 shown apart, by the title's level (a title not recorded: 未登记).
                (_("在档困难劳模按称号级别"), by_value("model_worker", MODEL_WORKER_TITLES)),
                (_("在档户按标签（一户可多个）"), tag_counts(counts)),
            ]
        ],
        "monthly_chart": charts.figure(
            [(f"{m}", v) for m, v in sorted(by_month.items())],
            title=_("每月净发放（元）"),
            kind="column",
            label_header=_("月份"),
            value_header=_("净发放（元）"),
        ),
        "exits_chart": charts.figure(
            [(str(row["exited_on__year"]), row["n"]) for row in exits],
            title=_("各年脱困户数"),
            label_header=_("年度"),
            value_header=_("户数"),
        ),
        "indicators": [
            (_("计划帮扶人次"), planned),
            (_("实际帮扶人次"), actual),
            # Nothing planned: a completion rate would be a made-up figure.
            (_("人次完成率"), f"{_percent(actual, planned)}%" if planned else "—"),
            (_("资金使用率"), f"{utilisation}%" if utilisation is not None else "—"),
            (_("医疗救助占比"), f"{_percent(medical, net)}%"),
            (
                _("当年脱困户数"),
                visible.filter(status=Household.Status.EXITED, exited_on__year=year).count(),
            ),
            (_("当年净发放（元）"), f"{net:,.2f}"),
            # Serious illness (大病) of the worker or of a family member: a screening point,
            # read off the health table.
            (
                _("有大病患者的在档户"),
                next(row.households for row in health if row.state == Health.SERIOUS),
            ),
            (_("零就业家庭（在档）"), counts["zero_employment"]),
            # The share of members in hardship, as the texts report it (e.g. 5.5%): files in
            # file over the members the unions in scope recorded; no headcount, no share.
            (_("会员人数（在职/离退休）"), f"{members.active:,}/{members.retired:,}"),
            (
                _("在档困难职工占会员比例"),
                f"{_percent(total_in_file, members.total)}%" if members.total else "—",
            ),
            # The way out (解困的根本): jobs found and loans that came back.
            (_("就业安置率"), shown(employment.placement_rate, "percent")),
            (_("安置后脱困户数"), employment.exited_after_placement),
            (_("借款不良率"), f"{loans.default_rate}%" if loans.lent_total else "—"),
        ],
    }
