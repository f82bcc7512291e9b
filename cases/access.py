"""Which applications, notices and objections a user may see: the visibility querysets and
the scoped fetchers, built on the scope rules in hardship.access. Outside the scope is a
404; what the user may do with a record is decided by cases.rules."""

from django.db.models import Q
from django.http import Http404

from cases.models import Appeal, Application, Notice, Objection
from hardship.access import notice_paths, path_q
from households.access import household_scope


def applications_visible_to(user, queryset=None):
    """Applications about households the user may see, and those the user filed;
    `queryset` (e.g. with prefetches) narrows the base."""
    base = queryset if queryset is not None else Application.objects.all()
    # By the application's own union, which the database keeps as its file's (cases.0012):
    # the province's list neither joins nor semi-joins its files.
    scope = household_scope(user, union="union_id", worker="household__worker_account")
    return base.filter(Q(filed_by=user) if scope is None else scope | Q(filed_by=user))


def get_application_for(user, pk, *, queryset=None) -> Application:
    """An application the user may see, else 404; `queryset` (e.g. with the prefetches of a
    page) is the base it is fetched from, in the same query. What the user may do with it is
    decided by the chain rules (cases.rules.refusal)."""
    try:
        return (
            applications_visible_to(user, queryset)
            .select_related("household__union", "filed_by")
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError):
        raise Http404 from None


def notices_visible_to(user):
    """Notices of the company trees the user has a role in (hardship.access.notice_paths)."""
    return Notice.objects.filter(path_q("application__household__union__path", notice_paths(user)))


def get_notice_for(user, pk) -> Notice:
    """A notice the user may see, else 404."""
    try:
        return notices_visible_to(user).select_related("application__household__union").get(pk=pk)
    except (Notice.DoesNotExist, ValueError):
        raise Http404 from None


def objections_visible_to(user):
    """Objections lodged against the notices the user may see."""
    return Objection.objects.filter(notice__in=notices_visible_to(user))


def get_objection_for(user, pk) -> Objection:
    """An objection the user may see, else 404. Who may settle it is
    cases.rules.objection_refusal."""
    try:
        return objections_visible_to(user).select_related("notice__application").get(pk=pk)
    except (Objection.DoesNotExist, ValueError):
        raise Http404 from None


def appeals_visible_to(user, queryset=None):
    """Appeals on the applications the user may see (their own household's included)."""
    base = queryset if queryset is not None else Appeal.objects.all()
    return base.filter(application__in=applications_visible_to(user))


def get_appeal_for(user, pk, *, queryset=None) -> Appeal:
    """An appeal the user may see, else 404; `queryset` (e.g. with the prefetches of its
    page) is the base it is fetched from. Who may decide it is cases.appeal_rules.refusal."""
    try:
        return (
            appeals_visible_to(user, queryset)
            .select_related("application__household__union", "lodged_by")
            .get(pk=pk)
        )
    except (Appeal.DoesNotExist, ValueError):
        raise Http404 from None
