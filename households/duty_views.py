"""Pages for the casework duties on the registry: files whose 帮扶责任人 is still an
imported name (with a form per row to choose the user), and evidence about to expire."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hardship import access
from hardship.pagination import paginate
from households import responsible
from households.access import get_household_for, households_visible_to
from households.expiry import expiring_evidence
from households.forms import ResponsibleAssignForm
from households.models import Household


def _require_editor(user):
    if not access.can_create_households(user):
        raise PermissionDenied(_("只有帮扶专干、基层工会主席和公司工会复核可以指定帮扶责任人。"))


@login_required
def responsible_unmatched(request):
    """未匹配的帮扶责任人: files the user may edit whose 帮扶责任人 is an imported name no
    user was matched to, with the eligible users to choose from."""
    _require_editor(request.user)
    editable = access.unit_ids_under(
        request.user, access.scope_paths(request.user, access.REGISTRY_EDITORS)
    )
    households = (
        responsible.unmatched(
            households_visible_to(request.user).filter(
                union_id__in=editable,
                status__in=(Household.Status.DRAFT, Household.Status.IN_FILE),
            )
        )
        .select_related("union")
        .order_by("union__path", "file_number")
    )
    page = paginate(request, households)
    candidates = {}  # the eligible users are the union's: one query per union on the page
    rows = []
    for household in page["page"]:
        if household.union_id not in candidates:
            candidates[household.union_id] = list(responsible.eligible_users(household.union))
        rows.append((household, candidates[household.union_id]))
    return render(request, "households/responsible_unmatched.html", {**page, "rows": rows})


@login_required
@require_POST
def responsible_assign(request, pk):
    household = get_household_for(request.user, pk, write=True)
    form = ResponsibleAssignForm(request.POST, household=household)
    if form.is_valid():
        try:
            responsible.responsible_assign(
                actor=request.user,
                household=household,
                user=form.cleaned_data["user"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("已指定 %(who)s 为档案 %(n)s 的帮扶责任人。")
                % {"who": form.cleaned_data["user"], "n": household.file_number},
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("household_detail", pk=household.pk)


@login_required
def evidence_expiring(request):
    """即将到期的证明材料: in-file households' evidence expiring soon or expired."""
    if not access.reads_registry(request.user):
        raise PermissionDenied(_("只有查看档案的工会工作人员可以查看证明材料到期情况。"))
    lines = expiring_evidence(request.user, timezone.localdate())
    return render(request, "households/evidence_expiring.html", paginate(request, lines))
