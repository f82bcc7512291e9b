"""The applications counted per union, state and kind (cases.ApplicationCount), kept by
database triggers: the list's count of a wide scope read from them, and the check and the
rebuild that `verify_integrity` and `rebuild_application_counts` run."""

from django.db import transaction
from django.db.models import Count, Q, Sum

from cases.models import Application, ApplicationCount
from hardship.access import registry_unit_ids
from households.access import own_file

KEY = ("union_id", "state", "kind", "effective_year")


def list_count(user, filters: dict) -> int | None:
    """How many applications the list shows the user (cases.access.applications_visible_to)
    with the filters given: the kept counts of the unions in scope, and the applications seen
    as a person (filed, or about the user's own file) outside them, counted. None where a
    search narrows the list: the rows are counted then."""
    if (filters.get("q") or "").strip():
        return None
    narrowed = {field: filters[field] for field in ("state", "kind") if filters.get(field)}
    union_ids = registry_unit_ids(user)
    personal = Q(filed_by=user)
    own = own_file(user, "household__worker_account")
    if own is not None:
        personal |= own
    outside = Application.objects.filter(personal, **narrowed).exclude(union_id__in=union_ids)
    return kept(union_ids, **narrowed) + outside.count()


def kept(union_ids, **filters) -> int:
    """The applications of the unions, of the state, kind or effective year given, as kept."""
    rows = ApplicationCount.objects.filter(union_id__in=union_ids, **filters)
    return rows.aggregate(n=Sum("n", default=0))["n"]


def expected() -> dict[tuple, int]:
    rows = (
        Application.objects.filter(union_id__isnull=False)
        .values_list("union_id", "state", "kind", "effective_on__year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(union_id, state, kind, year or 0): n for union_id, state, kind, year, n in rows}


def differences() -> list[tuple[tuple, int, int]]:
    """(key, counted now, kept) wherever the kept counts and the applications disagree; a
    kept row of 0 counts as no row."""
    want = expected()
    rows = ApplicationCount.objects.values_list(*KEY, "n")
    have = {tuple(row[:-1]): row[-1] for row in rows if row[-1]}
    return [
        (key, want.get(key, 0), have.get(key, 0))
        for key in sorted(want.keys() | have.keys())
        if want.get(key, 0) != have.get(key, 0)
    ]


def rebuild() -> int:
    """Write the counts afresh from the applications (after a restore made with triggers
    off). Returns the number of rows written."""
    with transaction.atomic():
        ApplicationCount.objects.all().delete()
        rows = [
            ApplicationCount(**dict(zip(KEY, key, strict=True)), n=n)
            for key, n in expected().items()
        ]
        ApplicationCount.objects.bulk_create(rows)
    return len(rows)
