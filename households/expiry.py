"""Evidence that expires (证明材料有效期): a 残疾证, 低保证 or diagnosis is valid until a date.
How close a document is to its date, the documents of in-file households about to expire or
already expired (the "即将到期的证明材料" page), and a file's expired evidence (a note on its
page). A document replaced by a later one of the same kind no longer needs attention."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef

from hardship.models import PolicyParameter
from hardship.policy import DEFAULTS, policy_value_or_default
from households.access import households_visible_to
from households.models import Evidence, Household

KEY = PolicyParameter.Key.EVIDENCE_WARNING_DAYS


def warning_days(union, on: datetime.date) -> int:
    """How many days ahead of its date a document is flagged, for `union`'s files."""
    return int(policy_value_or_default(KEY, union, on))


@dataclass(frozen=True)
class Validity:
    valid_until: datetime.date
    days_left: int  # negative: days since it expired
    warning_days: int

    @property
    def expired(self) -> bool:
        return self.days_left < 0

    @property
    def expiring(self) -> bool:
        return 0 <= self.days_left <= self.warning_days

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def validity(evidence: Evidence, on: datetime.date, days: int) -> Validity | None:
    if evidence.valid_until is None:
        return None
    return Validity(evidence.valid_until, (evidence.valid_until - on).days, days)


def _not_replaced(evidence):
    """Without a later-dated document of the same kind on the same file."""
    later = Evidence.objects.filter(
        household=OuterRef("household"),
        kind=OuterRef("kind"),
        valid_until__gt=OuterRef("valid_until"),
    )
    return evidence.filter(~Exists(later))


def _widest_window(on: datetime.date) -> int:
    """The longest warning any unit sets (a bound for the query; each union's own is then
    applied)."""
    stored = PolicyParameter.objects.filter(key=KEY).aggregate(top=Max("value"))["top"]
    return int(max(DEFAULTS[KEY], stored or 0))


@dataclass(frozen=True)
class ExpiringLine:
    evidence: Evidence
    validity: Validity

    @property
    def household(self):
        return self.evidence.household


def expiring_evidence(user, on: datetime.date) -> list[ExpiringLine]:
    """Evidence of the in-file households in the user's scope that expires within its union's
    warning window or has expired, the earliest date first."""
    households = households_visible_to(user).filter(status=Household.Status.IN_FILE)
    candidates = _not_replaced(
        Evidence.objects.filter(
            household__in=households,
            valid_until__lte=on + datetime.timedelta(days=_widest_window(on)),
        )
    ).select_related("household__union")
    windows, lines = {}, []
    for evidence in candidates.order_by("valid_until", "pk"):
        union = evidence.household.union
        if union.pk not in windows:
            windows[union.pk] = warning_days(union, on)
        state = validity(evidence, on, windows[union.pk])
        if state.expired or state.expiring:
            lines.append(ExpiringLine(evidence, state))
    return lines


def expired_evidence_of(household: Household, on: datetime.date) -> list[Evidence]:
    """The file's expired documents not replaced by a later one (a note on its page)."""
    evidence = list(household.evidence.all())  # prefetched on the detail page
    latest = {}
    for e in evidence:
        if e.valid_until and (e.kind not in latest or e.valid_until > latest[e.kind]):
            latest[e.kind] = e.valid_until
    return [
        e
        for e in evidence
        if e.valid_until and e.valid_until < on and latest[e.kind] == e.valid_until
    ]
