"""A policy number in force for each household's union, as SQL: the checks compare a
household's figures with its union's threshold or cap in the database, not row by row."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, DecimalField, Exists, OuterRef, Value, When

from hardship.models import Unit
from hardship.policy import policy_lookup

MONEY = DecimalField(max_digits=14, decimal_places=2)


def values_by_union(key: str, households, on: datetime.date) -> dict[Decimal, list[int]]:
    """The value of `key` in force on `on` (hardship.policy's rule) for each union of
    `households`, as {value: union ids}; a union with none in force is left out. Two queries:
    the key's parameters and the unions that hold any of `households` (a probe per union)."""
    value_at = policy_lookup(key)
    unions = Unit.objects.filter(Exists(households.filter(union=OuterRef("pk")))).values_list(
        "pk", "path"
    )
    groups = defaultdict(list)
    for pk, path in unions:
        value = value_at(path, on)
        if value is not None:
            groups[value].append(pk)
    return dict(groups)


def value_of_union(field: str, groups: dict[Decimal, list[int]]) -> Case:
    """The value for the union named by `field` from values_by_union's groups; NULL (no
    comparison holds) for a union without one."""
    whens = [When(**{f"{field}__in": ids}, then=Value(value)) for value, ids in groups.items()]
    return Case(*whens, default=None, output_field=MONEY)
