"""Coverage of a visit round (走访全覆盖): per grassroots union, the households in file, how
many were visited in the round, and who is left; the goods handed over. Everything counts
only what the viewer may see, and is aggregated in the database: a handful of queries
whatever the number of households."""

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


@dataclass
class UnionCoverage:
    unit: Unit
    in_file: int = 0
    visited: int = 0
    left: list = field(default_factory=list)

    @property
    def rate(self):
        return rate(self.visited, self.in_file)


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
    visited = _visited_in(visit_round)
    for row in (
        households.order_by()
        .values("union_id")
        .annotate(in_file=Count("pk"), visited=Count("pk", filter=Q(visited)))
    ):
        unions[row["union_id"]].in_file = row["in_file"]
        unions[row["union_id"]].visited = row["visited"]
    left = households.exclude(visited).only("pk", "file_number", "worker_name", "union_id")
    for household in left.order_by("file_number", "pk"):
        unions[household.union_id].left.append(household)
    return Coverage(unions=list(unions.values()), goods=goods_totals(visit_round, visible))


def rounds_with_coverage(user):
    """The rounds the user sees, each with the households in file it covers and those
    visited in it, counted over what the user sees (one query)."""
    households = _in_file(households_visible_to(user), OuterRef("ends_on")).filter(
        union__path__startswith=OuterRef("unit__path")
    )
    visited = households.filter(
        Exists(Visit.objects.filter(round=OuterRef(OuterRef("pk")), household=OuterRef("pk")))
    )

    def count(queryset):
        counted = queryset.order_by().annotate(one=Value(1)).values("one")
        return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)

    return (
        rounds_visible_to(user)
        .select_related("unit", "fund")
        .annotate(in_file=count(households), visited=count(visited))
    )
