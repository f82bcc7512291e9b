"""Which household files (and their evidence) a user may see: the visibility queryset and
the scoped fetchers, built on the scope rules in hardship.access. Outside the scope is a
404; a write the user's role may not make is a 403."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from hardship.access import (
    REGISTRY_READERS,
    can_edit_household,
    memberships_of,
    roles_of,
    scope_paths,
    unit_ids_under,
)
from hardship.models import Role
from households.models import Evidence, Household


def own_file(user, worker="worker_account") -> Q | None:
    """The condition on a file's `worker` field (or a record's path to it) for the user's own
    file, which a worker sees wherever it is filed; None for a user who is no worker."""
    return Q(**{worker: user}) if Role.WORKER in roles_of(user) else None


def household_scope(user, *, union="union_id", worker="worker_account") -> Q | None:
    """The condition on a file's `union` and `worker` fields (or on a record that carries
    its file's union) for the files the user may see: the unions under their registry
    roles, and their own file as a worker. None: no file at all."""
    if not memberships_of(user):
        return None
    # The units in scope are few (one query, cached per request); filtering by their ids
    # keeps the big tables' queries free of a join and a LIKE on every row.
    paths = scope_paths(user, REGISTRY_READERS)
    condition = Q(**{f"{union}__in": unit_ids_under(user, paths)}) if paths else Q(pk__in=[])
    own = own_file(user, worker)
    return condition if own is None else condition | own


def households_visible_to(user, queryset=None):
    """Households the user may see; `queryset` (e.g. with prefetches) narrows the base."""
    base = queryset if queryset is not None else Household.objects.all()
    condition = household_scope(user)
    return base.none() if condition is None else base.filter(condition)


def get_household_for(user, pk, *, write=False, queryset=None) -> Household:
    """Fetch a household the user may see (else 404) and, for writes, may change (else 403)."""
    try:
        household = households_visible_to(user, queryset).select_related("union").get(pk=pk)
    except (Household.DoesNotExist, ValueError):
        raise Http404 from None
    if write and not can_edit_household(user, household):
        raise PermissionDenied(
            _(
                "只有帮扶专干、基层工会主席和公司工会复核可以修改档案；已脱困、已注销的档案只能查看。"
            )
        )
    return household


def get_evidence_for(user, pk, *, write=False) -> Evidence:
    """An evidence document of a household the user may see (else 404) and, for writes,
    may change (else 403)."""
    try:
        evidence = Evidence.objects.select_related("household__union").get(
            pk=pk, household__in=households_visible_to(user)
        )
    except (Evidence.DoesNotExist, ValueError):
        raise Http404 from None
    if write and not can_edit_household(user, evidence.household):
        raise PermissionDenied(
            _("只有能修改该档案的帮扶专干、基层工会主席和公司工会复核可以删除证明材料。")
        )
    return evidence
