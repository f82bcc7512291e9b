"""Coverage of a visit round (走访全覆盖): per grassroots union, the households in file, how
many were visited in the round, and who is left; the goods handed over. Everything counts
only what the viewer may see, and is aggregated in the database: the files in file from
an index of them by union and filing date, the visited from the round's visits, so a
round's cost follows its visits, not the files of its scope (a company's round read all
its 200,000 files at a million, and listed every one left: 6 s)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from casework.models import Visit
from casework.rounds import rounds_visible_to
from hardship import access
from hardship.models import Unit
from households.access import households_visible_to
from households.models import Household


def rate(visited: int, in_file: int) -> Decimal | None:
    """Coverage in per cent, one decimal; None when there is nobody to visit."""
    if not in_file:
        return None
    return (Decimal(visited * 100) / in_file).quantize(Decimal("0.1"), ROUND_HALF_UP)


# The files left to visit listed per union, longest in file first; the rest are counted.
LEFT_SHOWN = 50


@dataclass
class UnionCoverage:
    unit: Unit
    in_file: int = 0
    visited: int = 0
    left: list = field(default_factory=list)  # the first LEFT_SHOWN of them

    @property
    def rate(self):
        return rate(self.visited, self.in_file)

    @property
    def left_count(self):
        return self.in_file - self.visited


@dataclass
class GoodsLine:
    goods: str
    unit: str
    visits: int
    quantity: Decimal | None
    value: Decimal
    from_fund: Decimal


@dataclass
class Coverage:
    unions: list
    goods: list

    @property
    def in_file(self):
        return sum(u.in_file for u in self.unions)

    @property
    def visited(self):
        return sum(u.visited for u in self.unions)

    @property
    def rate(self):
        return rate(self.visited, self.in_file)

    @property
    def left_count(self):
        return self.in_file - self.visited

    @property
    def goods_value(self):
        return sum((line.value for line in self.goods), Decimal("0"))

    @property
    def goods_from_fund(self):
        return sum((line.from_fund for line in self.goods), Decimal("0"))


def _in_file(households, ends_on):
    """The households the round must reach: in file, and filed by the round's last day."""
    return households.filter(status=Household.Status.IN_FILE, established_on__lte=ends_on)


def _visited_in(visit_round):
    return Exists(Visit.objects.filter(round=visit_round, household=OuterRef("pk")))


def goods_totals(visit_round, households) -> list[GoodsLine]:
    """The round's goods by name and unit: how much, what it was worth, and how much of that
    was paid from a fund (the visits' ledger rows, less any reversed since)."""
    from_fund = Q(ledger_entry__isnull=False, ledger_entry__reversed_by__isnull=True)
    rows = (
        Visit.objects.filter(round=visit_round, household__in=households)
        .exclude(goods="")
        .values("goods", "goods_unit")
        .annotate(
            visits=Count("pk"),
            quantity=Sum("goods_quantity"),
            value=Coalesce(Sum("goods_value"), Decimal("0")),
            paid=Coalesce(Sum("ledger_entry__amount", filter=from_fund), Decimal("0")),
        )
        .order_by("goods", "goods_unit")
    )
    return [
        GoodsLine(
            goods=row["goods"],
            unit=row["goods_unit"],
            visits=row["visits"],
            quantity=row["quantity"],
            value=row["value"],
            from_fund=-row["paid"],  # payments are negative in the ledger
        )
        for row in rows
    ]


def round_coverage(user, visit_round) -> Coverage:
    """The round's coverage over the grassroots unions under its unit that `user` sees."""
    unions = {
        unit.pk: UnionCoverage(unit)
        for unit in access.units_visible_to(user)
        .filter(path__startswith=visit_round.unit.path, kind=Unit.Kind.GRASSROOTS)
        .order_by("path")
    }
    visible = households_visible_to(user)
    households = _in_file(visible, visit_round.ends_on).filter(union_id__in=list(unions))
    for union_id, n in households.order_by().values_list("union_id").annotate(n=Count("*")):
        unions[union_id].in_file = n
    visited = (
        Visit.objects.filter(round=visit_round, household__in=households)
        .order_by()
        .values_list("household__union_id")
        .annotate(n=Count("household", distinct=True))
    )
    for union_id, n in visited:
        unions[union_id].visited = n
    left = households.exclude(_visited_in(visit_round)).only(
        "pk", "file_number", "worker_name", "union_id"
    )
    for union in unions.values():
        if union.left_count:
            union.left = list(
                left.filter(union_id=union.unit.pk).order_by("established_on", "pk")[:LEFT_SHOWN]
            )
    return Coverage(unions=list(unions.values()), goods=goods_totals(visit_round, visible))


def rounds_with_coverage(user):
    """The rounds the user sees, each with the households in file it covers and those
    visited in it, counted over what the user sees (one query): the visited from the
    round's visits, not by a look at every file of its scope."""
    households = _in_file(households_visible_to(user), OuterRef("ends_on")).filter(
        union__path__startswith=OuterRef("unit__path")
    )
    covered = _in_file(households_visible_to(user), OuterRef(OuterRef("ends_on"))).filter(
        union__path__startswith=OuterRef(OuterRef("unit__path"))
    )
    visited = (
        Visit.objects.filter(round=OuterRef("pk"), household__in=covered)
        .order_by()
        .values("round")
        .annotate(n=Count("household", distinct=True))
        .values("n")
    )

    def count(queryset):
        counted = queryset.order_by().annotate(one=Value(1)).values("one")
        return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)

    return (
        rounds_visible_to(user)
        .select_related("unit", "fund")
        .annotate(in_file=count(households), visited=Coalesce(Subquery(visited), 0))
    )
