from hardship import access
from hardship.models import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = access.memberships_of(user)
    return {
        "nav_memberships": memberships,
        "nav_is_administrator": any(m.role == Role.ADMINISTRATOR for m in memberships),
        "nav_sees_funds": bool(access.scope_paths(user, access.FUND_READERS)),
        "nav_reports": bool(access.scope_paths(user, access.REPORTERS)),
        "nav_reads": access.reads_registry(user),
        "nav_checks": bool(access.scope_paths(user, {Role.AUDITOR, Role.COMPANY_REVIEWER})),
        "nav_auditor": bool(access.scope_paths(user, {Role.AUDITOR})),
        # The front door (intake): reception staff record contacts; a worker writes online.
        "nav_reception": access.can_create_households(user),
        "nav_worker": Role.WORKER in access.roles_of(user),
        "nav_crosscheck": bool(access.scope_paths(user, access.CROSSCHECK_READERS)),
        "nav_verifies": bool(access.scope_paths(user, access.VERIFIERS)),
    }
