"""How many members (会员) a part of the tree has: each union records its own, a subtree
is their sum."""

from dataclasses import dataclass

from django.db.models import Sum

from hardship.models import Unit


@dataclass(frozen=True)
class Headcount:
    active: int
    retired: int

    @property
    def total(self) -> int:
        return self.active + self.retired


def headcount(unit_ids) -> Headcount:
    """The members of the given units (a scope's unit ids: each unit counted once)."""
    sums = Unit.objects.filter(pk__in=unit_ids).aggregate(
        active=Sum("members_active", default=0), retired=Sum("members_retired", default=0)
    )
    return Headcount(active=sums["active"], retired=sums["retired"])
