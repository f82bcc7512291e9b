"""The same ID number in more than one household in file (身份证号重复), as a worker or a
member, in any unit: found by the database, reported for the households the user can see."""

from collections import defaultdict
from itertools import chain

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from audit.findings import Finding, Part, listed
from households.models import Household, Member


def _live():
    return Household.objects.filter(status=Household.Status.IN_FILE)


def _live_members():
    return Member.objects.filter(household__status=Household.Status.IN_FILE).exclude(id_number="")


def shares_a_number() -> Q:
    """Households (in file) with a number, the worker's or a member's, that is also on another
    household in file. Workers in file never share a number (the constraint
    household_one_file_per_worker), so a number is shared when it is on members of two
    households, or is one worker's and on a member of another household."""
    members = _live_members()
    on_two = (
        members.values("id_number")
        .annotate(n=Count("household", distinct=True))
        .filter(n__gt=1)
        .values("id_number")
    )
    # A member's number that is the worker's of a household other than the member's own.
    anothers_worker = Q(id_number__in=_live().values("id_number")) & ~Q(
        household__id_number=F("id_number")
    )
    # Each a set the database builds once (no probe per household of the province).
    worker_elsewhere = members.filter(anothers_worker).values("id_number")
    member_shared = members.filter(Q(id_number__in=on_two) | anothers_worker).values("household")
    return Q(id_number__in=worker_elsewhere) | Q(pk__in=member_shared)


def others_sharing(households: list[Household]) -> dict[int, int]:
    """For each of `households` (in file), how many other households in file hold one of its
    numbers: three queries over their numbers, not over the province."""
    numbers = {household.pk: {household.id_number} for household in households}
    for pk, number in (
        _live_members().filter(household__in=list(numbers)).values_list("household", "id_number")
    ):
        numbers[pk].add(number)
    wanted = set().union(*numbers.values())
    holders = defaultdict(set)
    for number, pk in chain(
        _live().filter(id_number__in=wanted).values_list("id_number", "pk"),
        _live_members().filter(id_number__in=wanted).values_list("id_number", "household"),
    ):
        holders[number].add(pk)
    return {
        pk: len(set().union(*(holders[number] for number in held)) - {pk})
        for pk, held in numbers.items()
    }


class SharedNumbers(Part):
    """The part whose findings say how many other files share a number, read for the
    households listed at once."""

    def findings(self, rows: list) -> list[Finding]:
        others = others_sharing(rows)
        return [
            Finding(row, _("身份证号与另外 %(n)d 份在档档案重复") % {"n": others[row.pk]})
            for row in rows
        ]


@listed
def duplicate_ids(households) -> list[Part]:
    """The same ID number in more than one household in file, as worker or member, in any
    unit. Reported for the households (in file) the user can see."""
    rows = households.filter(shares_a_number(), status=Household.Status.IN_FILE)
    return [SharedNumbers(rows.select_related("union").order_by("file_number"))]
