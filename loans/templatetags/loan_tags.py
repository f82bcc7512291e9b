"""The borrower's loans on the household page (a small include the registry's template
loads by name, so the registry does not depend on loans)."""

from django import template
from django.utils import timezone

from hardship import access
from loans import selectors, standing

register = template.Library()


@register.inclusion_tag("loans/includes/_household_loans.html", takes_context=True)
def household_loans(context, household):
    today = timezone.localdate()
    user = context["request"].user
    return {
        "household": household,
        "rows": [
            (loan, standing.standing(loan, today)) for loan in selectors.household_loans(household)
        ],
        "can_apply": household.status == household.Status.IN_FILE
        and access.can_edit_household(user, household),
    }
