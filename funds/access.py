"""Which funds, ledger rows and distribution plans a user may see: the visibility querysets
and the scoped fetchers, built on the scope rules in hardship.access (the roles that follow
the money, FUND_READERS, for their subtrees). Outside the scope is a 404."""

from django.http import Http404

from funds.models import DistributionPlan, Fund, LedgerEntry
from hardship.access import FUND_READERS, path_q, scope_paths


def funds_visible_to(user):
    return Fund.objects.filter(path_q("unit__path", scope_paths(user, FUND_READERS)))


def get_fund_for(user, pk) -> Fund:
    """A fund the user may see, else 404."""
    try:
        return funds_visible_to(user).select_related("unit").get(pk=pk)
    except (Fund.DoesNotExist, ValueError):
        raise Http404 from None


def get_entry_for(user, pk) -> LedgerEntry:
    """A ledger row of a fund the user may see, else 404."""
    try:
        return (
            LedgerEntry.objects.filter(fund__in=funds_visible_to(user))
            .select_related("fund__unit", "household")
            .get(pk=pk)
        )
    except (LedgerEntry.DoesNotExist, ValueError):
        raise Http404 from None


def plans_visible_to(user):
    return DistributionPlan.objects.filter(path_q("unit__path", scope_paths(user, FUND_READERS)))


def get_plan_for(user, pk) -> DistributionPlan:
    """A distribution plan the user may see, else 404."""
    try:
        return (
            plans_visible_to(user)
            .select_related("unit", "fund", "created_by", "posted_by")
            .get(pk=pk)
        )
    except (DistributionPlan.DoesNotExist, ValueError):
        raise Http404 from None
