from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import selectors, services, task_selectors
from casework.forms import ReviewForm, VisitForm
from casework.models import Duty, Visit
from casework.rounds import rounds_for_visit
from funds.visit_goods import visit_goods_funds
from hardship import access, worklist
from hardship.formtools import form_errors_from
from hardship.pagination import paginate
from households.access import get_household_for
from households.models import Household
from households.plans import open_measures
from households.views import household_forms, log_form_shown

PAGE_SIZE = 25


@login_required
def inbox(request):
    applications = selectors.WaitingPages(request.user)
    waiting = {
        "objections": list(selectors.objections_to_resolve(request.user)),
        "plans": list(selectors.plans_to_decide(request.user)),
        "appeals": list(selectors.appeals_to_decide(request.user)),
        "other_decisions": worklist.decisions_for(request.user),
    }
    # Counted once: the navigation's 待我处理 is what this page lists.
    request.inbox_count = applications.count() + sum(map(len, waiting.values()))
    return render(
        request,
        "casework/inbox.html",
        {**paginate(request, applications, PAGE_SIZE), **waiting},
    )


@login_required
def review_list(request):
    if not access.reads_registry(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "casework/reviews.html",
        {
            **paginate(request, selectors.reviews_due(request.user, today)),
            "today": today,
            "can_review": access.can_create_households(request.user),
        },
    )


@login_required
def review_create(request, pk):
    """年度复核: the file's own form, pre-filled, plus the outcome."""
    # The file alone (with its causes): the forms and formsets read their own rows.
    household = get_household_for(
        request.user, pk, write=True, queryset=Household.objects.prefetch_related("causes")
    )
    if household.status != Household.Status.IN_FILE:
        raise PermissionDenied
    form, members, incomes = household_forms(
        request, household, access.editable_units(request.user).order_by("path")
    )
    # Its own ids: the household form on the same page has a "notes" field too.
    review = ReviewForm(request.POST or None, auto_id="id_review_%s")
    if request.method == "POST" and all(
        [form.is_valid(), members.is_valid(), incomes.is_valid(), review.is_valid()]
    ):
        try:
            row = services.review_record(
                actor=request.user,
                household=household,
                form=form,
                members=members,
                incomes=incomes,
                **review.cleaned_data,
            )
        except ValidationError as error:
            # The chain's refusals name a field of the application form ("kind"), which the
            # review form does not have: show them all above the outcome.
            review.add_error(None, error.messages)
        else:
            messages.success(
                request, _("年度复核已完成：%(o)s。") % {"o": row.get_outcome_display()}
            )
            if row.application:
                return redirect(row.application)
            return redirect("household_detail", pk=household.pk)
    log_form_shown(request, household)
    return render(
        request,
        "households/form.html",
        {
            "form": form,
            "members": members,
            "incomes": incomes,
            "household": household,
            "review_form": review,
            "title": _("年度复核 %(n)s") % {"n": household.file_number},
        },
    )


@login_required
def visit_create(request, household_pk):
    household = get_household_for(request.user, household_pk, write=True)
    today = timezone.localdate()
    funds = visit_goods_funds(household)
    rounds, started_from = rounds_for_visit(household, today, request.GET.get("round"))
    # From the task list: the task's visit kind, and the task the visit does.
    duty = task_selectors.duty_for_visit(request.user, household, request.GET.get("duty"))
    initial = {"visited_on": today}
    if started_from is not None:
        # Started from a round's "who is left" list: a festival visit in that round, with
        # its goods fund where the household may receive goods from it.
        initial.update(
            round=started_from,
            kind=Visit.Kind.FESTIVAL,
            visited_on=min(today, started_from.ends_on),
        )
        if started_from.fund_id and started_from.fund_id in {f.pk for f in funds}:
            initial["fund"] = started_from.fund_id
    if duty is not None:
        initial.update(duty=duty.pk, kind=Duty.VISIT_KIND[duty.kind] or Visit.Kind.REGULAR)
    form = VisitForm(
        request.POST or None,
        initial=initial,
        funds=funds,
        rounds=rounds,
        measures=open_measures(household),
    )
    form.fields["duty"].queryset = task_selectors.duties_in_scope(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(actor=request.user, household=household, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("走访记录已保存。"))
            if started_from is not None:
                return redirect(f"{started_from.get_absolute_url()}#left")
            return redirect(f"{household.get_absolute_url()}#visits")
    return render(
        request,
        "casework/visit_form.html",
        {"form": form, "household": household, "duty": duty},
    )
