"""Reads for household pages: each starts from the user's visible scope."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hardship import access
from hardship.display import field_value
from hardship.history import ACTIONS, field_changes
from hardship.idnumber import normalise_id_number
from hardship.models import Role, Unit, User
from households import composition
from households.access import get_household_for, households_visible_to
from households.assessment import screening_flags, zero_employment
from households.models import (
    AidMeasure,
    Evidence,
    HardshipCause,
    Household,
    IncomeItem,
    Member,
)


def household_list(user, filters: dict):
    """Visible households matching the list filters, ready for a page: the union joined and
    causes prefetched, so a page costs the same number of queries at any size."""
    qs = households_visible_to(user).select_related("union")
    q = (filters.get("q") or "").strip()
    if q:
        condition = Q(worker_name__contains=q)
        if access.searches_identity(user):
            condition |= Q(id_number__startswith=normalise_id_number(q)) | Q(phone__contains=q)
        qs = qs.filter(condition)
    if filters.get("union"):
        qs = qs.filter(union__path__startswith=filters["union"].path)
    for field in ("status", "category", "level"):
        if filters.get(field):
            qs = qs.filter(**{field: filters[field]})
    if filters.get("cause"):
        qs = qs.filter(causes__cause=filters["cause"])
    if filters.get("employment") == "zero":
        qs = zero_employment(qs)
    model_worker = filters.get("model_worker")
    if model_worker == "yes":
        qs = qs.filter(is_model_worker=True)
    elif model_worker:
        qs = qs.filter(is_model_worker=True, model_worker_title=model_worker)
    if filters.get("tag"):
        qs = qs.filter(tags=filters["tag"])
    # Newest first by primary key: an index walk that stops after one page.
    return qs.prefetch_related(
        Prefetch("causes", queryset=HardshipCause.objects.order_by("pk"))
    ).order_by("-pk")


def household_list_count(user, filters: dict, on=None) -> int | None:
    """household_list(user, filters).count() from the composition kept per union, where the
    filters are what it counts (files in file, by category or by level, of a part of the
    tree); None where they are not (the list then counts its rows). A province's list then
    costs the same at a million files as at a thousand."""
    if filters.get("status") != Household.Status.IN_FILE:
        return None
    narrowing = [name for name in ("category", "level") if filters.get(name)]
    others = ("q", "cause", "employment", "model_worker", "tag")
    if len(narrowing) > 1 or any(filters.get(name) for name in others):
        return None
    if Role.WORKER in access.roles_of(user) or not access.memberships_of(user):
        return None  # a worker's own file is visible wherever it is filed
    union_ids = access.registry_unit_ids(user)
    if filters.get("union"):
        under = Unit.objects.filter(path__startswith=filters["union"].path)
        union_ids = list(under.filter(pk__in=union_ids).values_list("pk", flat=True))
    field = narrowing[0] if narrowing else ""
    on = on or timezone.localdate()
    return composition.in_file(union_ids, on, field, filters.get(field, ""))


def household_detail(user, pk, *, write=False) -> Household:
    """One household with everything its page and assessment read, fetched in a fixed
    number of queries."""
    queryset = Household.objects.select_related(
        "union", "worker_account", "created_by", "responsible_user"
    ).prefetch_related(
        "members",
        "income_items",
        "causes",
        "tags",
        Prefetch("measures", queryset=AidMeasure.objects.select_related("owner")),
        Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")),
    )
    return get_household_for(user, pk, write=write, queryset=queryset)


def flags_for(user, household) -> list:
    """Screening flags, with other files named only where the user may see them."""
    flags = screening_flags(household)
    linked = {other.pk for flag in flags for other in flag.links}
    # Ask only about the linked files: the user's whole scope may be a province.
    visible = (
        set(households_visible_to(user).filter(pk__in=linked).values_list("pk", flat=True))
        if linked
        else set()
    )
    for flag in flags:
        if flag.links:
            flag.hidden = sum(1 for other in flag.links if other.pk not in visible)
            flag.links = [other for other in flag.links if other.pk in visible]
    return flags


@dataclass
class Change:
    when: datetime
    who: str
    record: str
    action: str
    field: str = ""
    old: str = ""
    new: str = ""
    sensitive: bool = False


HISTORY_SOURCES = [
    (Household, "id", gettext_lazy("档案")),
    (Member, "household_id", gettext_lazy("家庭成员")),
    (IncomeItem, "household_id", gettext_lazy("家庭收入")),
    (HardshipCause, "household_id", gettext_lazy("致困原因")),
    (AidMeasure, "household_id", gettext_lazy("帮扶措施")),
    (Evidence, "household_id", gettext_lazy("证明材料")),
]


def add_history_source(model, key: str, label) -> None:
    """Rows an app above the registry keeps on a household file (annual reviews, casework)
    join the file's history: that app calls this from its AppConfig.ready()."""
    HISTORY_SOURCES.append((model, key, label))


# card_changed_at is the history row's own time when card_pending turns on.
HIDDEN_FIELDS = {
    "id",
    "household",
    "updated_at",
    "created_at",
    "file",
    "created_by",
    "card_changed_at",
}


def _display(units):
    """Values as hardship.history renders them, the union by name from one query."""

    def display(field, value):
        if field.name == "union" and value not in (None, ""):
            return units.get(value, value)
        return field_value(field, value)

    return display


def household_history(household: Household) -> list[Change]:
    """Who changed which field of the file (and its member, income, cause, plan, evidence
    and review rows) from what to what, newest first."""
    changes: list[Change] = []
    users = {}
    display = _display(dict(Unit.objects.values_list("pk", "name")))
    for model, key, label in HISTORY_SOURCES:
        records = list(
            model.history.filter(**{key: household.pk}).order_by("id", "history_date", "history_id")
        )
        users.update(
            {u.pk: str(u) for u in User.objects.filter(pk__in={r.history_user_id for r in records})}
        )
        previous = {}
        for record in records:
            who = users.get(record.history_user_id, _("系统"))
            name = f"{label} · {record.instance}" if model is not Household else str(label)
            before = previous.get(record.id)
            if record.history_type == "+" or before is None:
                changes.append(Change(record.history_date, who, name, str(ACTIONS["+"])))
            elif record.history_type == "-":
                changes.append(Change(record.history_date, who, name, str(ACTIONS["-"])))
            else:
                for change in field_changes(
                    record, before, excluded_fields=HIDDEN_FIELDS, display=display
                ):
                    changes.append(
                        Change(
                            record.history_date,
                            who,
                            name,
                            str(ACTIONS["~"]),
                            change.field,
                            change.old,
                            change.new,
                            sensitive=change.sensitive,
                        )
                    )
            previous[record.id] = record
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes


def aid_history(household):
    """Ledger rows paid to (or reversed for) the household, newest first, and the net total
    per year. Payments are negative in the ledger: the household received their negation."""
    entries = list(
        household.payments.select_related("fund", "application").order_by("-posted_on", "-pk")
    )
    totals: dict[int, Decimal] = {}
    for entry in entries:
        totals[entry.posted_on.year] = totals.get(entry.posted_on.year, Decimal("0")) - entry.amount
    return entries, sorted(totals.items(), reverse=True)
