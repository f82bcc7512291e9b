"""The employment figures of a year for a set of households (statistics page, annual report).

Definitions (docs/user-guide.md, 就业帮扶):
- trained (培训结业人数): members who completed a course that ended in the year;
- placed (安置就业人数): confirmed placements starting in the year;
- placement rate (安置率): placed ÷ members referred in the year;
- average wage (平均月工资): of those placements;
- exited after a placement (安置后脱困户数): households that exited in the year on or after
  the start of a confirmed placement of one of their members.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F
from django.utils.translation import gettext as _

from employment.models import Enrolment, Placement, Referral
from households.models import Household

CENT = Decimal("0.01")


@dataclass
class EmploymentFigures:
    year: int
    trained: int
    referred: int
    placed: int
    average_wage: Decimal | None
    exited_after_placement: int

    @property
    def placement_rate(self) -> Decimal | None:
        """Percent with one decimal; None when nobody was referred (no made-up rate)."""
        if not self.referred:
            return None
        return (Decimal(self.placed) * 100 / self.referred).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def rows(self) -> list[tuple[str, object, str]]:
        """(label, value, kind) in the order every output shows them; kind is "count",
        "percent" (a Decimal) or "money" (a Decimal in yuan); value None: no figure."""
        return [
            (_("培训结业人数"), self.trained, "count"),
            (_("推荐就业人数"), self.referred, "count"),
            (_("安置就业人数"), self.placed, "count"),
            (_("安置率"), self.placement_rate, "percent"),
            (_("安置平均月工资（元）"), self.average_wage, "money"),
            (_("安置后脱困户数"), self.exited_after_placement, "count"),
        ]


def shown(value, kind) -> str:
    """A figure as text on a page or in a PDF."""
    if value is None:
        return "—"
    if kind == "percent":
        return f"{value}%"
    if kind == "money":
        return f"{value:,.2f}"
    return str(value)


def employment_figures(households, year: int) -> EmploymentFigures:
    """The figures of `year` over `households` (a queryset already limited to a scope)."""
    trained = (
        Enrolment.objects.filter(
            member__household__in=households,
            result=Enrolment.Result.COMPLETED,
            course__ends_on__year=year,
        )
        .values("member")
        .distinct()
        .count()
    )
    referred = (
        Referral.objects.filter(member__household__in=households, referred_on__year=year)
        .values("member")
        .distinct()
        .count()
    )
    placements = Placement.objects.filter(
        referral__member__household__in=households,
        confirmed_at__isnull=False,
        start_on__year=year,
    ).aggregate(n=Count("pk"), wage=Avg("monthly_wage"))
    # From the placements (few), not the year's exits (a province's are thousands of rows).
    household = "referral__member__household"
    exited = (
        Placement.objects.filter(
            confirmed_at__isnull=False,
            start_on__lte=F(f"{household}__exited_on"),
            **{
                f"{household}__in": households,
                f"{household}__status": Household.Status.EXITED,
                f"{household}__exited_on__year": year,
            },
        )
        .values(household)
        .distinct()
    )
    wage = placements["wage"]
    return EmploymentFigures(
        year=year,
        trained=trained,
        referred=referred,
        placed=placements["n"],
        average_wage=Decimal(wage).quantize(CENT, rounding=ROUND_HALF_UP) if wage else None,
        exited_after_placement=exited.count(),
    )
