"""Annual review (年度复核): re-assess a household in file and decide what follows."""

import calendar
import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hardship import access
from hardship.history import acted_by
from hardship.models import PolicyParameter
from hardship.policy import policy_value
from households.access import households_visible_to
from households.assessment import assess
from households.models import AnnualReview, Household

DEFAULT_MONTHS = 12
SOON_DAYS = 30


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review_due(household: Household, after: datetime.date) -> datetime.date:
    months = policy_value(PolicyParameter.Key.REVIEW_MONTHS, household.union, after)
    return add_months(after, int(months) if months else DEFAULT_MONTHS)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("复核结论"),
        choices=AnnualReview.Outcome.choices,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=gettext_lazy("复核情况说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("提出脱困或注销时，这里的说明就是申请理由。"),
    )


def reviews_due(user, today: datetime.date | None = None):
    """Files in file whose review falls due within a month, or is overdue, in the user's scope."""
    today = today or timezone.localdate()
    return (
        households_visible_to(user)
        .filter(
            status=Household.Status.IN_FILE,
            review_due_on__lte=today + datetime.timedelta(days=SOON_DAYS),
        )
        .select_related("union")
        .order_by("review_due_on", "pk")
    )


def review_record(*, actor, household, form, members, incomes, outcome, notes) -> AnnualReview:
    """Save the re-assessed file and the review's outcome in one transaction. Proposing an
    exit or a cancellation files the matching application into the approval chain. The file
    itself still arrives as the household's valid form and formsets."""
    from cases import services as case_services
    from cases.models import Application
    from households import services

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
        household = services.household_save(
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
    return row
