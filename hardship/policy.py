"""Reading policy parameters in force for a unit (its region) on a date."""

import datetime
from decimal import Decimal

from django.db.models import Q

from hardship.models import PolicyParameter, Unit


def policy_value(key: str, unit: Unit, on: datetime.date) -> Decimal | None:
    """The value of `key` in force on `on` for `unit`: the row of the nearest unit on the path
    to the root (or a system-wide row), and among those the latest start date."""
    ancestor_ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    rows = PolicyParameter.objects.filter(
        Q(unit__isnull=True) | Q(unit_id__in=ancestor_ids),
        key=key,
        valid_from__lte=on,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    depth = {unit_id: index for index, unit_id in enumerate(ancestor_ids)}
    best = max(
        rows,
        key=lambda row: (depth.get(row.unit_id, -1), row.valid_from),
        default=None,
    )
    return best.value if best else None
