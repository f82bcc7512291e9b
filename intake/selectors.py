"""Reads of the front door, each starting from the user's scope (intake.scope)."""

from django.db.models import Q
from django.utils import timezone

from intake import scope
from intake.models import Contact, LegalAidCase

LIST_RELATED = ("unit", "handler", "worker_unit", "about_unit")


def contact_register(user, filters: dict):
    contacts = scope.contacts_visible_to(user).select_related(*LIST_RELATED)
    if filters.get("status") == "overdue":
        contacts = overdue(contacts)
    elif filters.get("status"):
        contacts = contacts.filter(status=filters["status"])
    for field in ("channel", "topic"):
        if filters.get(field):
            contacts = contacts.filter(**{field: filters[field]})
    if filters.get("unit"):
        contacts = contacts.filter(unit__path__startswith=filters["unit"].path)
    if filters.get("received_from"):
        contacts = contacts.filter(received_at__date__gte=filters["received_from"])
    if filters.get("received_to"):
        contacts = contacts.filter(received_at__date__lte=filters["received_to"])
    if filters.get("q"):
        q = filters["q"].strip()
        contacts = contacts.filter(Q(number__icontains=q) | Q(caller_name__icontains=q))
    return contacts


def overdue(contacts):
    return contacts.exclude(status=Contact.Status.CLOSED).filter(due_on__lt=timezone.localdate())


def my_contacts(user):
    """What the user handles: open ones first, by deadline; then the closed ones waiting
    for a callback."""
    return (
        scope.contacts_visible_to(user)
        .filter(handler=user)
        .filter(
            Q(status__in=[Contact.Status.OPEN, Contact.Status.IN_PROGRESS]) | Q(satisfaction="")
        )
        .select_related(*LIST_RELATED)
        .order_by("status", "due_on", "pk")
    )


def overdue_contacts(user):
    return overdue(scope.contacts_visible_to(user)).select_related(*LIST_RELATED).order_by("due_on")


def own_contacts(user):
    """A worker's own contacts (online or recorded for them), for their page."""
    return Contact.objects.filter(worker_account=user).order_by("-received_at", "-pk")


def legal_case_list(user, filters: dict):
    cases = scope.legal_cases_visible_to(user).select_related("unit", "provider")
    for field in ("status", "matter"):
        if filters.get(field):
            cases = cases.filter(**{field: filters[field]})
    return cases


def legal_cases_of(contact):
    return LegalAidCase.objects.filter(contact=contact).select_related("provider")
