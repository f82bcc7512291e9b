"""Who may see and change the front door's records. Built on hardship.access's scope rules:
a contact or legal-aid case belongs to a unit and is seen by that unit's staff and those
above it; another union's record is a 404, a write outside one's role a 403."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hardship import access
from hardship.models import Role, Unit
from intake.models import Contact, LegalAidCase, LegalAidProvider

# Staff who read the register: the registry's readers (auditors included, read-only).
READERS = access.REGISTRY_READERS
# Reception staff: record contacts, handle them, see callers' identity, run legal aid.
RECEPTION = access.REGISTRY_EDITORS

REFUSED = gettext_lazy(
    "只有承办单位及其上级的帮扶专干、基层工会主席和公司工会复核可以办理来访登记。"
)


def reads_intake(user) -> bool:
    return bool(access.scope_paths(user, READERS))


def require_reader(user) -> None:
    if not reads_intake(user):
        raise PermissionDenied(_("来访登记和法律援助只对工会工作人员开放。"))


def may_record(user) -> bool:
    return bool(access.scope_paths(user, RECEPTION))


def is_worker(user) -> bool:
    return Role.WORKER in access.roles_of(user)


def contacts_visible_to(user):
    return Contact.objects.filter(access.path_q("unit__path", access.scope_paths(user, READERS)))


def complained_about_by(user, contact) -> bool:
    """Whether the user works in the unit a complaint is about (or below it): they stand
    aside, whatever role they also hold above."""
    if contact.about_unit_id is None:
        return False
    about = Unit.objects.get(pk=contact.about_unit_id).path
    return any(m.unit.path.startswith(about) for m in access.memberships_of(user))


def may_handle(user, contact) -> bool:
    if not access.covers(user, RECEPTION, contact.unit.path):
        return False
    return not complained_about_by(user, contact)


def may_reveal(user, unit) -> bool:
    return access.covers(user, RECEPTION, unit.path)


def get_contact_for(user, pk, *, write=False) -> Contact:
    try:
        contact = (
            contacts_visible_to(user)
            .select_related("unit", "worker_unit", "about_unit", "handler", "household__union")
            .get(pk=pk)
        )
    except (Contact.DoesNotExist, ValueError):
        raise Http404 from None
    if write and not may_handle(user, contact):
        raise PermissionDenied(REFUSED)
    return contact


def reception_units(user):
    """Units whose contacts the user may record: their reception subtrees."""
    return Unit.objects.filter(access.path_q("path", access.scope_paths(user, RECEPTION)))


def _ancestor_ids(paths) -> set[int]:
    return {pk for path in paths for pk in access.ancestor_ids(path)}


def complaint_units(user):
    """Units a complaint recorded by the user may name: their subtree and the units above."""
    paths = access.scope_paths(user, RECEPTION)
    return Unit.objects.filter(access.path_q("path", paths) | Q(pk__in=_ancestor_ids(paths)))


def legal_cases_visible_to(user):
    return LegalAidCase.objects.filter(
        access.path_q("unit__path", access.scope_paths(user, READERS))
    )


def get_legal_case_for(user, pk, *, write=False) -> LegalAidCase:
    try:
        case = (
            legal_cases_visible_to(user)
            .select_related("unit", "provider", "household", "contact")
            .get(pk=pk)
        )
    except (LegalAidCase.DoesNotExist, ValueError):
        raise Http404 from None
    if write and not access.covers(user, RECEPTION, case.unit.path):
        raise PermissionDenied(
            _("只有受理单位及其上级的帮扶专干、基层工会主席和公司工会复核可以办理法律援助案件。")
        )
    return case


def providers_for(user):
    """Stations and lawyers the user may refer to: those registered at a unit on the path
    from the user's units up to the root, and in their subtree."""
    paths = access.scope_paths(user, READERS)
    return LegalAidProvider.objects.filter(
        access.path_q("unit__path", paths) | Q(unit_id__in=_ancestor_ids(paths))
    ).select_related("unit")
