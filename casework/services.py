"""Every casework write: annual reviews (年度复核) and visits (走访慰问)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Application
from casework.duties import duties_done_by_review, duties_done_by_visit, duty_check_visit
from casework.models import AnnualReview, Duty, Visit
from casework.rounds import check_visit_in_round
from funds.visit_goods import visit_goods_post
from hardship import access
from hardship.history import acted_by
from households import services as household_services
from households.assessment import assess
from households.models import Household
from households.plans import check_measure_link
from households.reviews import next_review_due


def review_record(*, actor, household, form, members, incomes, outcome, notes) -> AnnualReview:
    """Save the re-assessed file and the review's outcome in one transaction. Proposing an
    exit or a cancellation files the matching application into the approval chain. The file
    itself still arrives as the household's valid form and formsets."""
    if household.status != Household.Status.IN_FILE:
        raise ValidationError(_("只有在档的档案需要年度复核。"))
    if not access.can_edit_household(actor, household):
        raise PermissionDenied
    stored = Household.objects.get(pk=household.pk)
    changed = (form.cleaned_data["category"], form.cleaned_data["level"]) != (
        stored.category,
        stored.level,
    )
    if outcome == AnnualReview.Outcome.CHANGE and not changed:
        raise ValidationError(_("选择“调整困难类别或程度”时，请在上面修改类别或程度。"))
    if outcome != AnnualReview.Outcome.CHANGE and changed:
        raise ValidationError(_("修改了类别或程度，复核结论应为“调整困难类别或程度”。"))
    today = timezone.localdate()
    with transaction.atomic():
        household = household_services.household_save(
            actor=actor,
            household=form.instance,
            data=form.cleaned_data,
            members=members.cleaned_data,
            incomes=incomes.cleaned_data,
        )
        household = Household.objects.prefetch_related("members", "income_items").get(
            pk=household.pk
        )
        application = None
        if outcome in (AnnualReview.Outcome.PROPOSE_EXIT, AnnualReview.Outcome.PROPOSE_CANCEL):
            kind = (
                Application.Kind.EXIT
                if outcome == AnnualReview.Outcome.PROPOSE_EXIT
                else Application.Kind.CANCEL
            )
            application = case_services.application_file(
                actor=actor, household=household, kind=kind, reason=notes
            )
        row = AnnualReview(
            household=household,
            reviewed_on=today,
            outcome=outcome,
            category_before=stored.category,
            level_before=stored.level,
            category_after=household.category,
            level_after=household.level,
            per_capita=assess(household, today).per_capita,
            notes=notes,
            reviewer=actor,
            application=application,
        )
        acted_by(actor, row)
        row.save()
        Household.objects.filter(pk=household.pk).update(
            review_due_on=next_review_due(household, today)
        )
        duties_done_by_review(row)
    return row


def visit_record(*, actor, household, visited_on, fund=None, duty=None, **details) -> Visit:
    """Record a visit (走访慰问) on a household the actor may edit. `details` are the visit's
    own fields (kind, visitors, notes, goods, round…); goods bought from `fund` go to its
    books. A visit in a round (走访轮次) is dated within it, of a household under its unit;
    a visit recorded from a task (`duty`) must be the visit that does it, and closes it."""
    if not access.can_edit_household(actor, household):
        raise PermissionDenied
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("走访日期不能晚于今天。")})
    check_measure_link(household.pk, details.get("measure"))
    if details.get("round") is not None:
        check_visit_in_round(details["round"], household, visited_on)
    visit = Visit(household=household, visited_on=visited_on, recorded_by=actor, **details)
    acted_by(actor, visit)
    with transaction.atomic():
        if duty is not None:
            duty = Duty.objects.select_for_update().get(pk=duty.pk)
            duty_check_visit(
                duty, household=household, kind=details.get("kind"), visited_on=visited_on
            )
        visit.full_clean()
        visit.save()
        if fund is not None:
            # Goods from a fund reach its books; a refusal (专款专用, balance…) undoes the visit.
            visit.ledger_entry = visit_goods_post(actor=actor, fund=fund, visit=visit)
            # The link completes the row just written: not an edit of its own in its history.
            Visit.objects.filter(pk=visit.pk).update(ledger_entry=visit.ledger_entry)
        duties_done_by_visit(visit)
    return visit
