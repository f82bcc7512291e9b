"""Reads for the cross-check pages, each starting from the user's scope: another union's
list, line, follow-up or verification is a 404."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from cases.models import Application
from crosscheck import pairs
from crosscheck.models import (
    DuplicateDecision,
    FollowUp,
    FraudMark,
    MatchLine,
    OutsideList,
    Verification,
    VerificationItem,
)
from hardship import access
from households.assessment import DUPLICATE_REASONS, duplicate_matches
from households.models import Household, Member

LIVE = (Household.Status.DRAFT, Household.Status.IN_FILE)


def _paths(user, roles):
    return access.scope_paths(user, roles)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def lists_visible_to(user):
    return OutsideList.objects.filter(
        access.path_q("unit__path", _paths(user, access.CROSSCHECK_READERS))
    ).select_related("unit", "imported_by")


def get_list_for(user, pk) -> OutsideList:
    return _get(lists_visible_to(user), pk)


def report_lines(outside_list):
    return outside_list.lines.select_related(
        "household__union", "row", "explained_by", "follow_up__assigned_to"
    ).order_by("kind", "pk")


def line_counts(outside_list) -> dict[str, int]:
    """The list's lines by kind, counted in the database."""
    return dict(
        outside_list.lines.order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )


def get_line_for(user, pk) -> MatchLine:
    lines = MatchLine.objects.filter(
        outside_list__in=lists_visible_to(user).values("pk")
    ).select_related("household__union", "outside_list__unit", "follow_up")
    return _get(lines, pk)


def follow_ups_visible_to(user):
    paths = _paths(user, access.CROSSCHECK_READERS | access.VERIFIERS)
    return FollowUp.objects.filter(
        access.path_q("unit__path", paths) | Q(assigned_to=user)
    ).select_related("unit", "household", "assigned_to", "opened_by", "closed_by")


def get_follow_up_for(user, pk) -> FollowUp:
    return _get(follow_ups_visible_to(user), pk)


# --------------------------------------------------------------------------- duplicates


@dataclass
class Pair:
    first: Household
    second: Household | None  # None: outside the reader's scope, counted not named
    other_pk: int
    reasons: list = field(default_factory=list)


def _scope_households(user):
    return Household.objects.filter(
        access.path_q("union__path", _paths(user, access.CROSSCHECK_READERS)), status__in=LIVE
    )


def _labels(reasons) -> list[str]:
    return [str(DUPLICATE_REASONS[r]) for r in DUPLICATE_REASONS if r in reasons]


def _pairs(user, found) -> list[Pair]:
    """Pairs from (a, b, reasons) with a < b: the file in the user's scope first (the
    smaller id when both are), the other named only when it is in the scope too."""
    ids = {pk for a, b, _reasons in found for pk in (a, b)}
    visible = {h.pk: h for h in _scope_households(user).filter(pk__in=ids).select_related("union")}
    result = []
    for a, b, reasons in found:
        first, other = (a, b) if a in visible else (b, a)
        if first not in visible:  # neither is in scope or live any more (changed meanwhile)
            continue
        result.append(Pair(visible[first], visible.get(other), other, _labels(reasons)))
    return result


class ScopePairs:
    """The user's suspected duplicates as a sequence the paginator can count and slice:
    one query for the count, one for a page of pairs and one for the page's files, however
    many files the scope holds (crosscheck.pairs reads the keys the database keeps)."""

    def __init__(self, user):
        self.user = user
        self.paths = _paths(user, access.CROSSCHECK_READERS)
        self._count = None

    def count(self) -> int:
        if self._count is None:
            self._count = pairs.count_pairs(self.paths)
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1) or (index.start or 0) < 0:
                raise ValueError("ScopePairs takes forward slices only")
            offset = index.start or 0
            limit = None if index.stop is None else max(0, index.stop - offset)
            return _pairs(self.user, pairs.scope_pairs(self.paths, offset, limit))
        page = self[index : index + 1]
        if not page:
            raise IndexError(index)
        return page[0]

    def __iter__(self):
        return iter(self[0:])


def _pairs_in_python(user) -> list[Pair]:
    """Every file in scope compared in Python (databases without the key triggers)."""
    mine = list(_scope_households(user).prefetch_related("members"))
    found = duplicate_matches(mine)
    if not found:
        return []
    decided = set(
        DuplicateDecision.objects.filter(
            first_id__in={a for a, _b in found}, second_id__in={b for _a, b in found}
        ).values_list("first_id", "second_id")
    )
    return _pairs(
        user,
        [(a, b, reasons) for (a, b), reasons in sorted(found.items()) if (a, b) not in decided],
    )


def duplicate_pairs_for(user):
    """Suspected duplicates with at least one file in the user's scope, not yet decided,
    in order of the pair's file ids: a sequence of Pair to count, slice or iterate. A file
    outside the scope is not named."""
    if pairs.supported():
        return ScopePairs(user)
    return _pairs_in_python(user)


def get_scope_household(user, pk) -> Household:
    """A live file in the user's cross-check scope, else 404."""
    return _get(_scope_households(user).select_related("union"), pk)


def get_pair_other(pk) -> Household:
    """The other file of a pair: it may lie outside the user's scope (the reviewer decides
    about the side they see); the service checks the two still match."""
    return _get(Household.objects.filter(status__in=LIVE).select_related("union"), pk)


# --------------------------------------------------------------------------- watch list


def watched_marks():
    """Fraud marks on cancellations that have taken effect: their files' people are watched."""
    return FraudMark.objects.filter(application__state=Application.State.EFFECTIVE)


def watched_people(household_ids=None) -> dict[str, FraudMark]:
    """ID number → the fraud mark that put it on the watch list (worker and members of
    each file cancelled for fraud)."""
    marks = watched_marks().select_related("application__household")
    if household_ids is not None:
        marks = marks.filter(application__household_id__in=household_ids)
    by_household = {m.application.household_id: m for m in marks}
    people = {m.application.household.id_number: m for m in by_household.values()}
    for member in Member.objects.filter(household_id__in=by_household).exclude(id_number=""):
        people.setdefault(member.id_number, by_household[member.household_id])
    return people


def watch_hits(household) -> list[FraudMark]:
    """The fraud marks of other files whose worker or members are this file's worker or
    members (the reviewer's warning on the household and application pages)."""
    ids = {household.id_number} | {m.id_number for m in household.members.all() if m.id_number}
    # Two indexed lookups in one query (the worker's number, a member's) rather than an OR
    # across the members join, which reads every member at province scale.
    others = (
        Household.objects.filter(status=Household.Status.CANCELLED)
        .exclude(pk=household.pk)
        .order_by()
    )
    cancelled = set(
        others.filter(id_number__in=ids)
        .values_list("pk", flat=True)
        .union(others.filter(members__id_number__in=ids).values_list("pk", flat=True))
    )
    if not cancelled:
        return []
    people = watched_people(cancelled)
    return sorted({people[i] for i in ids if i in people}, key=lambda m: m.pk)


def watch_list_for(user):
    """The files cancelled for fraud in the user's scope, with their fraud marks."""
    paths = _paths(user, access.CROSSCHECK_READERS)
    return (
        FraudMark.objects.filter(access.path_q("application__household__union__path", paths))
        .select_related("application__household__union", "marked_by")
        .prefetch_related(Prefetch("application__household__members"))
    )


def cancellations_to_mark(user):
    """Cancellation applications (not rejected, not yet marked) the user may mark as fraud."""
    return (
        Application.objects.filter(
            access.path_q("household__union__path", _paths(user, access.FRAUD_MARKERS)),
            kind=Application.Kind.CANCEL,
        )
        .exclude(state=Application.State.REJECTED)
        .exclude(pk__in=FraudMark.objects.values("application_id"))
        .select_related("household")
        .order_by("-filed_at")
    )


# --------------------------------------------------------------------------- verification


def verifications_visible_to(user):
    return Verification.objects.filter(
        access.path_q("unit__path", _paths(user, access.VERIFIERS))
    ).select_related("unit", "plan", "drawn_by")


def get_verification_for(user, pk) -> Verification:
    return _get(verifications_visible_to(user), pk)


def get_item_for(user, pk) -> VerificationItem:
    items = VerificationItem.objects.filter(
        verification__in=verifications_visible_to(user).values("pk")
    ).select_related("verification__unit", "household__union")
    return _get(items, pk)
