"""Reads for the caseworker's day: the task list (待办任务), my households (我的帮扶户) and
the navigation's counts, each starting from the user's scope. Duties of files that left
the file (脱困, 注销) are nobody's task any more (casework.notifications.open_duties)."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from casework.models import Duty, Notification
from casework.notifications import SOON_DAYS
from hardship import access
from hardship.models import PolicyParameter, Role, User
from hardship.policy import DEFAULTS
from households import plans
from households.access import households_visible_to
from households.models import AidMeasure, Household

# The tabs of the task list, in order.
TABS = ("mine", "unit", "soon", "overdue", "done")
# The done tab looks back this many days.
DONE_DAYS = 30
# Who may look at another responsible person's households: the unit's leaders.
LEADERS = frozenset({Role.GRASSROOTS_CHAIR, Role.COMPANY_REVIEWER})


def duties_in_scope(user):
    """Duties of households in the union subtrees the user reads (not a worker's own file)."""
    paths = access.scope_paths(user, access.REGISTRY_READERS)
    if not paths:
        return Duty.objects.none()
    return Duty.objects.filter(household__union_id__in=access.unit_ids_under(user, paths))


def duty_for_visit(user, household, raw) -> Duty | None:
    """The open visiting duty of this household named by the task list's link (else 404)."""
    if not raw:
        return None
    try:
        return duties_in_scope(user).get(
            pk=raw, household=household, done_on__isnull=True, kind__in=list(Duty.VISIT_KIND)
        )
    except (Duty.DoesNotExist, ValueError):
        raise Http404 from None


def tasks(user, tab: str, today: datetime.date):
    """The rows of one tab: open duties of files in file (mine, the unit's, due within
    SOON_DAYS, overdue) or those done in the last DONE_DAYS."""
    base = duties_in_scope(user).select_related("household__union", "assignee")
    if tab == "done":
        return base.filter(done_on__gte=today - datetime.timedelta(days=DONE_DAYS)).order_by(
            "-done_on", "-pk"
        )
    rows = base.filter(done_on__isnull=True, household__status=Household.Status.IN_FILE)
    if tab == "mine":
        return rows.filter(assignee=user)
    if tab == "soon":
        return rows.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(SOON_DAYS))
    if tab == "overdue":
        return rows.filter(due_on__lt=today)
    return rows


def tab_counts(user, today: datetime.date) -> dict[str, int]:
    """How many rows each tab has, in one query."""
    week = today + datetime.timedelta(SOON_DAYS)
    live = Q(done_on__isnull=True, household__status=Household.Status.IN_FILE)
    return duties_in_scope(user).aggregate(
        mine=Count("pk", filter=live & Q(assignee=user)),
        unit=Count("pk", filter=live),
        soon=Count("pk", filter=live & Q(due_on__gte=today, due_on__lte=week)),
        overdue=Count("pk", filter=live & Q(due_on__lt=today)),
        done=Count("pk", filter=Q(done_on__gte=today - datetime.timedelta(DONE_DAYS))),
    )


@dataclass(frozen=True)
class PlanProblem:
    household: Household
    message: str


# The plan problems listed on the task list, at most (the checks page lists them all).
PLAN_PROBLEMS_SHOWN = 50


def plan_problems_for_tasks(user, today: datetime.date) -> list[PlanProblem]:
    """The case-plan problems of the files in file in the user's scope (a cause without a
    measure, an open measure past its target date, a passed exit target: households.plans),
    read-only on the task list: a plan is put right on the plan page, not ticked off here."""
    in_file = households_visible_to(user).filter(status=Household.Status.IN_FILE)
    problems = [
        PlanProblem(
            cause.household, _("致困原因“%(c)s”尚无帮扶措施") % {"c": cause.get_cause_display()}
        )
        for cause in plans.causes_without_measure(in_file)
        .select_related("household")
        .order_by("household_id")[:PLAN_PROBLEMS_SHOWN]
    ]
    problems += [
        PlanProblem(
            measure.household,
            _("措施“%(m)s”已过计划完成日期 %(d)s")
            % {"m": measure.get_measure_display(), "d": measure.target_on},
        )
        for measure in plans.measures_overdue(in_file, today)
        .select_related("household")
        .order_by("target_on")[:PLAN_PROBLEMS_SHOWN]
    ]
    problems += [
        PlanProblem(household, _("已过计划脱困日期 %(d)s") % {"d": household.exit_target_on})
        for household in plans.exit_target_passed(in_file, today).order_by("exit_target_on")[
            :PLAN_PROBLEMS_SHOWN
        ]
    ]
    return problems[:PLAN_PROBLEMS_SHOWN]


class _Count(Subquery):
    """How many rows a correlated subquery has, as a column."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


def count_of(queryset):
    """The rows of `queryset` counted in a subquery (an index-only scan where one serves)."""
    return _Count(queryset.order_by().values("pk"))


def nav_counts(user, today: datetime.date) -> dict[str, int]:
    """The navigation's two counts in one query: the user's open duties due within
    SOON_DAYS or overdue, and their unread notifications."""
    duties = Duty.objects.filter(
        assignee=OuterRef("pk"),
        done_on__isnull=True,
        household__status=Household.Status.IN_FILE,
        due_on__lte=today + datetime.timedelta(SOON_DAYS),
    )
    unread = Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
    row = (
        User.objects.filter(pk=user.pk)
        .values(tasks=count_of(duties), unread=count_of(unread))
        .first()
    )
    return row or {"tasks": 0, "unread": 0}


def responsible_people(viewer):
    """Whose households a unit leader may look at: the registry's editors in their scope."""
    paths = access.scope_paths(viewer, LEADERS)
    if not paths:
        return User.objects.filter(pk=viewer.pk)
    return (
        User.objects.filter(
            Q(pk=viewer.pk)
            | Q(
                memberships__role__in=access.REGISTRY_EDITORS,
                memberships__unit_id__in=access.unit_ids_under(viewer, paths),
            ),
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def my_households(viewer, person, today: datetime.date):
    """`person`'s households in file that `viewer` may see, each with its last visit, the
    contact flag, its next open duty and its plan's progress: one query."""
    open_duties = Duty.objects.filter(household=OuterRef("pk"), done_on__isnull=True).order_by(
        "due_on", "pk"
    )
    contact_due = open_duties.filter(kind=Duty.Kind.CONTACT).values("due_on")[:1]
    measures = AidMeasure.objects.filter(household=OuterRef("pk"))
    # Without an open contact duty (the daily run not yet run), the default rhythm.
    default_days = int(DEFAULTS[PolicyParameter.Key.CONTACT_DAYS])
    return (
        households_visible_to(viewer)
        .filter(responsible_user=person, status=Household.Status.IN_FILE)
        .select_related("union")
        .annotate(
            last_visit=Max("visits__visited_on"),
            next_kind=Subquery(open_duties.values("kind")[:1]),
            next_due=Subquery(open_duties.values("due_on")[:1]),
            contact_due=Subquery(contact_due),
            measures_total=count_of(measures),
            measures_done=count_of(measures.filter(status=AidMeasure.Status.DONE)),
            contact_fallback=ExpressionWrapper(
                Coalesce(F("last_visit"), F("established_on"))
                + datetime.timedelta(days=default_days),
                output_field=DateField(),
            ),
        )
        .annotate(
            contact_late=ExpressionWrapper(
                Q(contact_due__lt=today) | Q(contact_due__isnull=True, contact_fallback__lt=today),
                output_field=BooleanField(),
            )
        )
        .order_by("next_due", "file_number")
    )
