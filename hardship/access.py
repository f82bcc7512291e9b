"""The scope rules: the one place that decides what a user may see and change.

Memberships, the tree paths a user's roles cover, the role sets, and the "may this user
change that" tests live here. Each app builds its own visibility querysets and scoped
fetchers on these rules (households.access, cases.access, funds.access): every list and
detail page starts from one of them. A record outside the user's scope is a 404 (its
existence is not revealed); a record inside the scope that the user's role may not change
is a 403 on write.
"""

from functools import reduce
from operator import or_

from django.db.models import Q

from hardship.models import Membership, Role, Unit

# Roles that read the registry for their whole subtree. A worker sees only their own file;
# an administrator manages users, the tree and policy and has no need to read files.
REGISTRY_READERS = frozenset(Role) - {Role.WORKER, Role.ADMINISTRATOR}
# Roles that file and update household assessments.
REGISTRY_EDITORS = frozenset({Role.CASEWORKER, Role.GRASSROOTS_CHAIR, Role.COMPANY_REVIEWER})
# Roles whose work needs full ID and phone numbers on a household page (to verify identity
# and reach the family); everyone else sees them masked.
IDENTITY_READERS = REGISTRY_EDITORS
# Roles that follow the money: the fund pages and distribution plans.
FUND_READERS = frozenset({Role.FINANCE, Role.AUDITOR, Role.COMMITTEE, Role.COMPANY_REVIEWER})
# Roles that produce the annual fund report, each for their own scope.
REPORTERS = frozenset({Role.AUDITOR, Role.COMMITTEE, Role.COMPANY_REVIEWER, Role.FINANCE})
# Health details and the evidence documents (diagnoses, disability certificates) are also
# needed by the committee that signs decisions off; finance and auditors do without.
HEALTH_READERS = REGISTRY_EDITORS | {Role.COMMITTEE}
# Cross-checks with outside lists (crosscheck): the registry's editors and the auditors read
# the imported lists, match reports, suspected duplicates, watch list and follow-ups; the
# company union's help centre (the reviewer) imports lists; editors explain lines, open
# follow-ups and decide suspected duplicates (the auditor stays read-only there).
CROSSCHECK_READERS = REGISTRY_EDITORS | {Role.AUDITOR}
CROSSCHECK_IMPORTERS = frozenset({Role.COMPANY_REVIEWER})
# Who marks a cancellation as one for fraud (it puts the file's people on the watch list).
FRAUD_MARKERS = frozenset({Role.GRASSROOTS_CHAIR, Role.COMPANY_REVIEWER})
# Payment verification by sampling (发放核查): finance and the auditors draw samples and
# record the answers. For the auditor this is their own audit work, the one exception to
# the auditor's read-only rule (docs/roles.md).
VERIFIERS = frozenset({Role.FINANCE, Role.AUDITOR})


def memberships_of(user) -> list[Membership]:
    """The user's memberships, fetched once per request object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit"))
        user._memberships_cache = cached
    return cached


def roles_of(user) -> set[str]:
    return {m.role for m in memberships_of(user)}


def scope_paths(user, roles) -> list[str]:
    """Tree paths of the units where the user holds one of `roles`."""
    return [m.unit.path for m in memberships_of(user) if m.role in roles]


def _covers(paths: list[str], unit_path: str) -> bool:
    return any(unit_path.startswith(path) for path in paths)


def covers(user, roles, unit_path: str) -> bool:
    """Whether the user holds one of `roles` at `unit_path` or above it."""
    return _covers(scope_paths(user, roles), unit_path)


def ancestor_ids(path: str) -> list[int]:
    """The ids of the unit at tree `path` and of every unit above it, root first: a path is
    the ids from the root down ("/1/4/9/")."""
    return [int(part) for part in path.strip("/").split("/") if part]


def ancestor_paths(path: str) -> list[str]:
    """The tree paths of the unit at `path` and of every unit above it, root first."""
    ids = ancestor_ids(path)
    return ["/" + "/".join(str(pk) for pk in ids[: i + 1]) + "/" for i in range(len(ids))]


def path_q(field: str, paths: list[str]) -> Q:
    """`field` under any of `paths` (the tree's scope condition); no paths match nothing."""
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in paths))


def reads_registry(user) -> bool:
    """Whether the user reads household files anywhere in the tree."""
    return bool(scope_paths(user, REGISTRY_READERS))


def unit_ids_under(user, paths) -> list[int]:
    """Ids of the units under any of `paths` (cached on the user object for the request)."""
    key = tuple(sorted(paths))
    cache = getattr(user, "_unit_ids_cache", {})
    if key not in cache:
        cache[key] = list(Unit.objects.filter(path_q("path", paths)).values_list("pk", flat=True))
        user._unit_ids_cache = cache
    return cache[key]


def registry_unit_ids(user) -> list[int]:
    """Ids of the units whose files the user reads (their registry readers' subtrees)."""
    return unit_ids_under(user, scope_paths(user, REGISTRY_READERS))


def units_visible_to(user):
    return Unit.objects.filter(path_q("path", scope_paths(user, REGISTRY_READERS)))


def can_edit_household(user, household) -> bool:
    if not household.is_editable:
        return False
    return _covers(scope_paths(user, REGISTRY_EDITORS), household.union.path)


# The second person who confirms a change of a household's bank card (双人确认); the
# service also keeps out whoever made the change (households.cards).
CARD_CONFIRMERS = frozenset({Role.GRASSROOTS_CHAIR, Role.COMPANY_REVIEWER})


def may_confirm_card(user, household) -> bool:
    if not household.is_editable:
        return False
    return _covers(scope_paths(user, CARD_CONFIRMERS), household.union.path)


def can_file_for(user, household) -> bool:
    """Who may file an application for the household: its own worker, or an editor of it."""
    return household.worker_account_id == user.pk or can_edit_household(user, household)


def can_add_evidence(user, household) -> bool:
    """Editors of the file, and the worker for their own household's applications."""
    return household.is_editable and can_file_for(user, household)


def can_create_households(user) -> bool:
    return bool(scope_paths(user, REGISTRY_EDITORS))


def reads_registry_of(user, household) -> bool:
    """Whether the user sees this file through a union role (not only as its worker)."""
    return _covers(scope_paths(user, REGISTRY_READERS), household.union.path)


def can_see_identity(user, household) -> bool:
    if household.worker_account_id == user.pk:
        return True
    return _covers(scope_paths(user, IDENTITY_READERS), household.union.path)


def can_see_health(user, household) -> bool:
    if household.worker_account_id == user.pk:
        return True
    return _covers(scope_paths(user, HEALTH_READERS), household.union.path)


def searches_identity(user) -> bool:
    """Only roles that see ID and phone numbers may search by them (no probing by others)."""
    return bool(scope_paths(user, IDENTITY_READERS))


def editable_units(user):
    """Grassroots unions in which the user may file households."""
    return Unit.objects.filter(
        path_q("path", scope_paths(user, REGISTRY_EDITORS)), kind=Unit.Kind.GRASSROOTS
    )


def notice_paths(user) -> list[str]:
    """Notices are posted to a company union's whole workforce (公司局域网公示): anyone with a
    role in a company's tree, a worker included, sees that company's notices."""
    paths = []
    for membership in memberships_of(user):
        if membership.role == Role.ADMINISTRATOR:
            continue  # administrators run the system; they do not read cases
        unit = membership.unit
        if unit.kind == Unit.Kind.GRASSROOTS and unit.parent_id:
            paths.append(unit.path.rsplit("/", 2)[0] + "/")
        else:
            paths.append(unit.path)
    return paths


def may_resolve_objections(user, household) -> bool:
    return _covers(scope_paths(user, {Role.COMPANY_REVIEWER}), household.union.path)


def finance_units(user):
    """Units (with their subtrees) where the user keeps the books."""
    return Unit.objects.filter(path_q("path", scope_paths(user, {Role.FINANCE})))


def plan_units(user):
    """Units for which the user may draw up distribution plans."""
    return Unit.objects.filter(
        path_q("path", scope_paths(user, {Role.FINANCE, Role.COMPANY_REVIEWER}))
    ).exclude(kind=Unit.Kind.FEDERATION)


def report_units(user):
    """Units whose annual fund report the user may produce: their reporting subtrees."""
    return Unit.objects.filter(path_q("path", scope_paths(user, REPORTERS)))
