from hardship import access
from hardship.models import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from cases.selectors import inbox_count

    memberships = access.memberships_of(user)
    return {
        "nav_memberships": memberships,
        "nav_is_administrator": any(m.role == Role.ADMINISTRATOR for m in memberships),
        "nav_inbox_count": inbox_count(user),
        "nav_sees_funds": bool(access.scope_paths(user, access.FUND_READERS)),
        "nav_reports": bool(access.scope_paths(user, access.REPORTERS)),
        "nav_reads": access.reads_registry(user),
        "nav_checks": bool(access.scope_paths(user, {Role.AUDITOR, Role.COMPANY_REVIEWER})),
        "nav_auditor": bool(access.scope_paths(user, {Role.AUDITOR})),
        "nav_crosscheck": bool(access.scope_paths(user, access.CROSSCHECK_READERS)),
        "nav_verifies": bool(access.scope_paths(user, access.VERIFIERS)),
    }
