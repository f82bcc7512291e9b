"""Reads for casework pages, each starting from the user's scope.

The inbox (待我处理): applications at a level the user acts at or returned to them,
objections to settle, distribution plans to sign off, appeals to decide
(cases.appeal_selectors). The inbox page and the count in every
page's navigation read it; it sits above everything it counts (cases and funds)."""

import datetime
import functools
import heapq
import itertools
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import chain, rules
from cases.appeal_selectors import appeals_to_decide
from cases.models import Application, Decision, Objection
from casework.models import Visit
from casework.task_selectors import count_of
from funds.models import DistributionPlan
from hardship import access, worklist
from hardship.models import User
from households.access import households_visible_to
from households.involvement import households_involving, involving
from households.models import Household
from households.plans import MeasureLink

# The review list shows files due within this many days, and those overdue.
REVIEW_SOON_DAYS = 30


def _waiting(user) -> list[tuple[Q, list[int]]]:
    """What waits for the user, one condition per state, each with the unions it is limited
    to (none: any): returned to them, and each level they act at (the subtrees of all their
    units acting at it). The states differ, so the conditions never overlap and their counts
    add up."""
    conditions = [(Q(state=Application.State.RETURNED, filed_by=user), [])]
    for level in chain.CHAIN:
        memberships = rules.memberships_acting_at(user, level)
        if not memberships:
            continue
        # Not what the rules would refuse them: their own filing or household, or an
        # application they already decided at another level.
        acted_elsewhere = Decision.objects.filter(
            actor=user, step__in=[s for s in chain.LEVEL_AT if s != level.state]
        ).values("application")
        # By the application's own union (kept by the database with its file's): the index
        # on (state, union, …) answers, and holds what the rest of the condition reads, so
        # a count never reads the table, however many files the province holds.
        union_ids = access.unit_ids_under(user, [m.unit.path for m in memberships])
        conditions.append(
            (
                Q(state=level.state, union_id__in=union_ids)
                & ~Q(filed_by=user)
                & ~Q(pk__in=acted_elsewhere)
                & ~Q(household__in=households_involving(user)),
                union_ids,
            )
        )
    return conditions


def _first_keys(condition: Q, unions: list[int], stop: int):
    """The first `stop` (updated_at, pk) of the applications meeting `condition`, in order.
    On PostgreSQL per union, in one query: the index on (state, union, updated_at, …) gives
    each union's first rows in order, so a company's page costs the same however long its
    queue (ordered across the unions at once, the whole queue of the state was read and
    sorted: 23 ms at a million files). The per-union query is compiled once and joined
    laterally to the unions' ids (a UNION ALL of one compiled query per union cost more
    than the database's work: about 20 ms for a company's ten)."""
    keys = Application.objects.order_by("updated_at", "pk").values_list("updated_at", "pk")
    if not stop or len(unions) < 2 or connection.vendor != "postgresql":
        return keys.filter(condition)[:stop]
    one = keys.filter(condition, union_id=RawSQL("picked.union_id", ()))[:stop]
    sql, params = one.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT k.* FROM unnest(%s::integer[]) AS picked(union_id) "
            f"CROSS JOIN LATERAL ({sql}) AS k ORDER BY 1, 2 LIMIT %s",
            [list(unions), *params, stop],
        )
        return cursor.fetchall()


def waiting_count(user) -> int:
    """How many applications wait for the user (the inbox's length)."""
    return WaitingPages(user).count()


class WaitingPages:
    """The inbox's applications as the paginator reads them, in the order of `inbox`.

    Counted in one query, a count per condition of `_waiting`, each an index-only scan. A
    page's keys come from the index alone (each waiting state's first rows in order,
    merged), then its rows are read by key, so a page neither reads nor sorts the scope's
    whole queue (18 ms for a company's 5,631 at 100,000 files)."""

    def __init__(self, user):
        self.user = user
        self.waiting = _waiting(user)

    @functools.cached_property
    def total(self) -> int:
        counts = {
            f"n{i}": count_of(Application.objects.filter(condition))
            for i, (condition, _unions) in enumerate(self.waiting)
        }
        row = User.objects.filter(pk=self.user.pk).values(**counts).first()
        return sum(row.values()) if row else 0

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        keys = heapq.merge(
            *[_first_keys(condition, unions, stop) for condition, unions in self.waiting]
        )
        ids = [pk for _at, pk in itertools.islice(keys, start, stop)]
        rows = Application.objects.select_related("household__union", "filed_by").in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


def inbox(user):
    """Applications waiting for this user: at a level they act at, or returned to them, as
    one queryset: what `WaitingPages` pages and counts (the tests hold the two equal).

    Each condition carries its own scope (the acting membership's subtree, or the user as
    filer), so no separate visibility subquery is needed."""
    return (
        Application.objects.filter(reduce(or_, (condition for condition, _ in _waiting(user))))
        .select_related("household__union", "filed_by")
        .order_by("updated_at", "pk")
    )


def objections_to_resolve(user):
    paths = access.scope_paths(user, {access.Role.COMPANY_REVIEWER})
    if not paths:
        return Objection.objects.none()
    return (
        Objection.objects.filter(status=Objection.Status.OPEN)
        .filter(
            reduce(
                or_, [Q(notice__application__household__union__path__startswith=p) for p in paths]
            )
        )
        # Not the ones this user may not settle (cases.rules.objection_refusal).
        .exclude(notice__objections__lodged_by=user)
        .exclude(notice__application__filed_by=user)
        .exclude(
            Exists(
                Decision.objects.filter(
                    application=OuterRef("notice__application"), actor=user
                ).exclude(step=Application.State.IN_NOTICE)
            )
        )
        .exclude(notice__application__in=Application.objects.filter(involving(user, "household")))
        .select_related("notice__application__household", "lodged_by")
    )


def plans_to_decide(user):
    """Distribution plans waiting for this user's sign-off (the plan chain's levels)."""
    conditions = [
        Q(state=level.state, unit__path__startswith=membership.unit.path) & ~Q(created_by=user)
        for level in chain.PLAN_CHAIN
        for membership in rules.memberships_acting_at(user, level)
    ]
    if not conditions:
        return DistributionPlan.objects.none()
    return DistributionPlan.objects.filter(reduce(or_, conditions)).select_related("unit", "fund")


def inbox_count(user) -> int:
    """The navigation's 待我处理 count: what the inbox page lists (casework.views.inbox,
    which counts its own lists for the navigation)."""
    return (
        waiting_count(user)
        + objections_to_resolve(user).count()
        + plans_to_decide(user).count()
        + appeals_to_decide(user).count()
        + worklist.decision_count_for(user)
    )


def reviews_due(user, today: datetime.date | None = None):
    """Files in file whose review falls due within a month, or is overdue, in the user's scope."""
    today = today or timezone.localdate()
    return (
        households_visible_to(user)
        .filter(
            status=Household.Status.IN_FILE,
            review_due_on__lte=today + datetime.timedelta(days=REVIEW_SOON_DAYS),
        )
        .select_related("union")
        .order_by("review_due_on", "pk")
    )


def measure_links(user, measure_ids):
    """Visits that carry out the given measures of the aid plan (households.plans link
    source); the household page that asks lists the household's visits."""
    for v in Visit.objects.filter(measure_id__in=measure_ids).order_by("visited_on", "pk"):
        yield MeasureLink(
            v.measure_id,
            _("走访"),
            f"{v.visited_on:%Y-%m-%d} {v.get_kind_display()}",
            f"{reverse('household_detail', args=[v.household_id])}#visits",
        )
