"""The money check: paid more than the yearly cap this year, or paid on a date the file was
not in file. Both compared in the database, each household against its union's cap."""

import datetime

from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from audit.findings import Finding, Part, listed
from audit.policy_sql import MONEY, value_of_union, values_by_union
from funds.models import LedgerEntry
from hardship.models import PolicyParameter
from hardship.templatetags.money import format_yuan


def _net_in_year(year: int) -> Subquery:
    """The household's ledger rows posted in `year`, summed (payments count negative,
    their reversals positive); NULL without any."""
    rows = (
        LedgerEntry.objects.filter(household=OuterRef("pk"), posted_on__year=year)
        .order_by()
        .values("household")
        .annotate(net=Sum("amount"))
        .values("net")
    )
    return Subquery(rows, output_field=MONEY)


def over_cap(households, today: datetime.date) -> list[Part]:
    """Households paid more this year than the yearly cap in force for their union today."""
    caps = values_by_union(PolicyParameter.Key.HOUSEHOLD_YEAR_CAP, households, today)
    if not caps:
        return []
    year = today.year
    rows = households.annotate(cap=value_of_union("union_id", caps), net=_net_in_year(year)).filter(
        net__lt=-F("cap")
    )

    def finding(household):
        detail = _("%(y)d 年已领取 %(p)s 元，超过每户每年上限 %(c)s 元") % {
            "y": year,
            "p": format_yuan(-household.net),
            "c": format_yuan(household.cap),
        }
        return Finding(household, detail)

    return [Part(rows.select_related("union").order_by("file_number"), finding)]


def paid_outside_the_file(households) -> Part:
    """Payments to `households` posted before the file was established or after it was
    exited or cancelled."""
    rows = LedgerEntry.objects.filter(household__in=households, kind=LedgerEntry.Kind.PAYMENT)
    rows = rows.filter(
        Q(household__established_on__isnull=True)
        | Q(posted_on__lt=F("household__established_on"))
        | Q(posted_on__gt=F("household__exited_on"))
        | Q(posted_on__gt=F("household__cancelled_on"))
    )

    def finding(entry):
        detail = _("凭证 %(v)s 于 %(d)s 发放时该户不在档") % {
            "v": entry.voucher,
            "d": entry.posted_on,
        }
        return Finding(entry.household, detail)

    return Part(rows.select_related("household__union").order_by("posted_on", "pk"), finding)


@listed
def over_cap_or_not_in_file(households, today: datetime.date) -> list[Part]:
    """Paid more than the yearly cap this year, or paid on a date the file was not in file."""
    return [*over_cap(households, today), paid_outside_the_file(households)]
