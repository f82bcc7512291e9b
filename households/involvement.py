"""Who is involved in a household: its worker (the linked account, or the account's ID
number) or one of its members (by ID number). ID numbers are compared normalised: "…002x" on
an account is the worker "…002X" of the file. The separation of duties (cases.rules), the
inbox (casework.selectors) and the card-change sign-off (households.cards) all ask here."""

from django.db.models import Q

from hardship.idnumber import normalise_id_number, same_id_number
from households.models import Household, Member


def involved_in_household(user, household) -> bool:
    """The user is the household's worker or one of its members."""
    if household.worker_account_id == user.pk:
        return True
    if not user.id_number:
        return False
    return same_id_number(user.id_number, household.id_number) or any(
        same_id_number(user.id_number, m.id_number) for m in household.members.all()
    )


def involving(user, household_field: str) -> Q:
    """The same test as a query condition on the household reached through `household_field`
    (e.g. "household" on applications)."""
    condition = Q(**{f"{household_field}__worker_account": user})
    if user.id_number:
        number = normalise_id_number(user.id_number)
        condition |= Q(**{f"{household_field}__id_number": number}) | Q(
            **{
                f"{household_field}__in": Member.objects.filter(id_number=number).values(
                    "household"
                )
            }
        )
    return condition


def households_involving(user):
    """The households the user is the worker or a member of, as a subquery of their ids (a
    few at most, found by indexed lookups): what the inbox excludes without joining every
    application's household."""
    condition = Q(worker_account=user)
    if user.id_number:
        number = normalise_id_number(user.id_number)
        condition |= Q(id_number=number) | Q(
            pk__in=Member.objects.filter(id_number=number).values("household")
        )
    return Household.objects.filter(condition).values("pk")
