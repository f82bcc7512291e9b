"""The dashboard (工作台), everyone's home page: the registry's counts in the user's scope,
the worker's own file and applications. It counts households and reads applications, so it
sits above both (hardship.urls routes "/" here by name only)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from cases.access import applications_visible_to
from hardship import access
from households import composition
from households.access import households_visible_to
from households.composition import key
from households.models import Cause, Household


@login_required
def dashboard(request):
    households = households_visible_to(request.user)
    # The files in file as the statistics page counts them: kept per union, so the home
    # page of a province's reader costs what a union's does (households.composition).
    kept = composition.seen_by(request.user, timezone.localdate())
    others = [status for status in Household.Status.values if status != Household.Status.IN_FILE]
    # COUNT(*): the index on (status, category, level, union) answers alone.
    by_status = dict(
        households.filter(status__in=others).values_list("status").annotate(n=Count("*")).order_by()
    )
    by_status[Household.Status.IN_FILE] = kept["files"]
    return render(
        request,
        "reports/dashboard.html",
        {
            "statuses": [(s, by_status.get(s.value, 0)) for s in Household.Status],
            "categories": [(c, kept[key("category", c.value)]) for c in Household.Category],
            "levels": [(v, kept[key("level", v.value)]) for v in Household.Level],
            "causes": sorted(
                ((c, kept[key("cause", c.value)]) for c in Cause), key=lambda pair: -pair[1]
            ),
            "in_file_total": by_status.get(Household.Status.IN_FILE, 0),
            "own_households": households.filter(worker_account=request.user),
            "own_applications": applications_visible_to(request.user)
            .filter(household__worker_account=request.user)
            .select_related("household__union")[:20],
            "reads_registry": access.reads_registry(request.user),
            "can_create": access.can_create_households(request.user),
        },
    )


urlpatterns = [path("", dashboard, name="dashboard")]
