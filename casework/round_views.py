"""Visit rounds (走访轮次): the list, starting one, and a round's coverage (走访全覆盖)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import coverage, rounds
from casework.round_forms import RoundForm
from hardship import access
from hardship.formtools import form_errors_from
from hardship.pagination import paginate

PAGE_SIZE = 25


@login_required
def round_list(request):
    if not access.reads_registry(request.user):
        raise PermissionDenied
    listing = paginate(request, coverage.rounds_with_coverage(request.user), PAGE_SIZE)
    for visit_round in listing["page"]:
        visit_round.rate = coverage.rate(visit_round.visited, visit_round.in_file)
    return render(
        request,
        "casework/round_list.html",
        {
            **listing,
            "today": timezone.localdate(),
            "can_create": rounds.may_create_rounds(request.user),
        },
    )


@login_required
def round_create(request):
    if not rounds.may_create_rounds(request.user):
        raise PermissionDenied(_("只有基层工会主席、公司工会复核和党政班子成员可以创建走访轮次。"))
    form = RoundForm(
        request.POST or None,
        units=rounds.round_units(request.user),
        funds=rounds.round_fund_choices(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit_round = rounds.round_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("走访轮次已创建。"))
            return redirect(visit_round)
    return render(request, "casework/round_form.html", {"form": form})


@login_required
def round_detail(request, pk):
    visit_round = rounds.get_round_for(request.user, pk)
    editors = access.scope_paths(request.user, access.REGISTRY_EDITORS)
    return render(
        request,
        "casework/round_detail.html",
        {
            "visit_round": visit_round,
            "coverage": coverage.round_coverage(request.user, visit_round),
            # Unions where the viewer may record visits: "who is left" links to the form there.
            "recording_in": set(access.unit_ids_under(request.user, editors)) if editors else set(),
            "today": timezone.localdate(),
        },
    )
