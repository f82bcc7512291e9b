"""Which disclosures a user may read, and the scoped fetcher (outside is a 404).

A disclosure on its way (draft to approved) is read by those who follow the money in the
unit's subtree (finance, reviewer, committee, auditor). A published one is meant for the
members: every staff user of the unit, of a union below it, or above it reads it. Workers
read their union's notice board, not this system's pages.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from hardship import access
from hardship.models import Unit
from reports.disclosure_models import Disclosure


def _ancestor_ids(paths: list[str]) -> set[int]:
    """The units on the way from the root to each path (a path is `/1/4/9/`)."""
    return {pk for path in paths for pk in access.ancestor_ids(path)}


def disclosures_visible_to(user):
    working = access.path_q("unit__path", access.scope_paths(user, access.REPORTERS))
    staff_paths = access.scope_paths(user, access.REGISTRY_READERS)
    published = Q(state=Disclosure.State.PUBLISHED) & (
        access.path_q("unit__path", staff_paths) | Q(unit__in=_ancestor_ids(staff_paths))
    )
    return Disclosure.objects.filter(working | published).annotate(
        superseded=Exists(
            Disclosure.objects.filter(supersedes=OuterRef("pk"), state=Disclosure.State.PUBLISHED)
        )
    )


def reads_disclosures(user) -> bool:
    return bool(access.scope_paths(user, access.REGISTRY_READERS))


def units_for_list(user):
    """The units a reader may filter the list by: their subtrees and the unions above."""
    paths = access.scope_paths(user, access.REGISTRY_READERS)
    return Unit.objects.filter(access.path_q("path", paths) | Q(pk__in=_ancestor_ids(paths)))


def get_disclosure_for(user, pk) -> Disclosure:
    try:
        return (
            disclosures_visible_to(user)
            .select_related("unit", "created_by", "published_by", "supersedes")
            .get(pk=pk)
        )
    except (Disclosure.DoesNotExist, ValueError):
        raise Http404 from None
