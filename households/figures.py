"""A family's size and income counted in the database, for lists of files (the household
list, the roster): the same figures `households.assessment.assess` reads off one prefetched
file, as correlated aggregates, so a page (one query for its rows) or a streamed roster (on
its own query) costs no query per row. Tests hold the two to the same answers."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from households.models import Household, IncomeItem, Member

ZERO = Decimal("0")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def per_household(rows, aggregate, output_field=MONEY):
    """One aggregate of a household's rows (a queryset filtered on household=OuterRef("pk")),
    as a subquery of the list's statement; nothing to count gives zero."""
    total = rows.order_by().values("household").annotate(total=aggregate).values("total")
    return Coalesce(
        Subquery(total, output_field=output_field),
        Value(ZERO if output_field is MONEY else 0),
        output_field=output_field,
    )


def with_family_figures(households):
    """`family_size` (the worker and the members) and `family_income` (the members' monthly
    incomes and the income items) annotated on `households`. The division is left to
    `per_capita`: an expression over both would repeat their subqueries in the statement."""
    members = Member.objects.filter(household=OuterRef("pk"))
    items = IncomeItem.objects.filter(household=OuterRef("pk"))
    return households.annotate(
        family_size=1 + per_household(members, Count("pk"), IntegerField()),
        family_income=per_household(members, Sum("monthly_income"))
        + per_household(items, Sum("monthly_amount")),
    )


def attach_family_figures(households) -> None:
    """Set `family_size` and `family_income` on a page's households (a list) with one query
    over their ids. A page does it after paging: annotated on the list's query, the figures
    would be computed for every row an OFFSET skips as well."""
    by_pk = {household.pk: household for household in households}
    rows = with_family_figures(Household.objects.filter(pk__in=by_pk).order_by()).values_list(
        "pk", "family_size", "family_income"
    )
    for pk, size, income in rows:
        by_pk[pk].family_size, by_pk[pk].family_income = size, income


def per_capita(household) -> Decimal:
    """Monthly income per person of an annotated household, to the fen, half up, as
    households.assessment.assess rounds it."""
    return (household.family_income / household.family_size).quantize(CENT, ROUND_HALF_UP)
