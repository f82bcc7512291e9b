"""The dashboard (工作台), everyone's home page: the registry's counts in the user's scope,
the worker's own file and applications. It counts households and reads applications, so it
sits above both (hardship.urls routes "/" here by name only)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import path

from cases.access import applications_visible_to
from hardship import access
from households.access import households_visible_to
from households.models import Cause, HardshipCause, Household


@login_required
def dashboard(request):
    households = households_visible_to(request.user)
    by_status = dict(households.values_list("status").annotate(n=Count("pk")).order_by())
    in_file = households.filter(status=Household.Status.IN_FILE)
    counts = in_file.aggregate(
        **{f"category_{c}": Count("pk", filter=Q(category=c)) for c in Household.Category.values},
        **{f"level_{v}": Count("pk", filter=Q(level=v)) for v in Household.Level.values},
    )
    causes = dict(
        HardshipCause.objects.filter(household__in=in_file)
        .values_list("cause")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "statuses": [(s, by_status.get(s.value, 0)) for s in Household.Status],
            "categories": [(c, counts[f"category_{c.value}"]) for c in Household.Category],
            "levels": [(v, counts[f"level_{v.value}"]) for v in Household.Level],
            "causes": sorted(
                ((c, causes.get(c.value, 0)) for c in Cause), key=lambda pair: -pair[1]
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
