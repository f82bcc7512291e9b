"""The daily opening of duties (open_due_duties): reviews coming due, evidence about to
expire, keeping in touch with every file, and telling assignees of what fell overdue.

Each step opens only what is not open already (duty_open finds an open one), so the run
can be repeated the same day without doubling anything."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from casework.duties import duty_open
from casework.models import Duty
from casework.notifications import notify_overdue
from hardship.models import PolicyParameter
from hardship.policy import policy_value_or_default
from households.models import Evidence, Household


class _Days:
    """A policy's days per union on one date, looked up once per union."""

    def __init__(self, key, today):
        self.key, self.today, self.cache = key, today, {}

    def __call__(self, union) -> int:
        if union.pk not in self.cache:
            value = policy_value_or_default(self.key, union, self.today)
            self.cache[union.pk] = int(value or 0)
        return self.cache[union.pk]


def _in_file():
    return Household.objects.filter(status=Household.Status.IN_FILE).select_related(
        "union", "responsible_user"
    )


def _open(kind, **extra):
    return Duty.objects.filter(household=OuterRef("pk"), kind=kind, done_on__isnull=True, **extra)


def open_reviews(today: datetime.date) -> int:
    days = _Days(PolicyParameter.Key.REVIEW_TASK_DAYS, today)
    # No union looks further ahead than a year: the widest window the query needs.
    households = (
        _in_file()
        .filter(review_due_on__lte=today + datetime.timedelta(days=366))
        .exclude(Exists(_open(Duty.Kind.REVIEW)))
    )
    opened = 0
    for household in households:
        if household.review_due_on <= today + datetime.timedelta(days=days(household.union)):
            duty_open(
                household=household,
                kind=Duty.Kind.REVIEW,
                event_on=household.review_due_on,
                reason=_("年度复核到期 %(d)s") % {"d": household.review_due_on},
            )
            opened += 1
    return opened


def open_renewals(today: datetime.date) -> int:
    days = _Days(PolicyParameter.Key.EVIDENCE_WARNING_DAYS, today)
    # Renewed already: a later document of the same kind valid longer (or without end), or a
    # renewal duty for it, open or done.
    newer = Evidence.objects.filter(
        household=OuterRef("household"), kind=OuterRef("kind"), pk__gt=OuterRef("pk")
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=OuterRef("valid_until")))
    evidence = (
        Evidence.objects.filter(
            household__status=Household.Status.IN_FILE,
            valid_until__isnull=False,
            valid_until__lte=today + datetime.timedelta(days=366),
        )
        .exclude(Exists(newer))
        .exclude(Exists(Duty.objects.filter(evidence=OuterRef("pk"))))
        .select_related("household__union", "household__responsible_user")
    )
    opened = 0
    for item in evidence:
        household = item.household
        if item.valid_until <= today + datetime.timedelta(days=days(household.union)):
            duty_open(
                household=household,
                kind=Duty.Kind.EVIDENCE_RENEWAL,
                event_on=item.valid_until,
                reason=_("%(k)s 有效期至 %(d)s")
                % {"k": item.get_kind_display(), "d": item.valid_until},
                evidence=item,
            )
            opened += 1
    return opened


def open_contacts(today: datetime.date) -> int:
    """Every file in file has its next contact: from the last visit, or from the day it was
    established if nobody has visited yet. Written in one go (a file each is slow on a big
    registry); contacts are nobody's news, so no one is told."""
    days = _Days(PolicyParameter.Key.CONTACT_DAYS, today)
    households = (
        _in_file()
        .exclude(Exists(_open(Duty.Kind.CONTACT)))
        .annotate(last_visit=Max("visits__visited_on"))
    )
    rows = []
    for household in households:
        since = household.last_visit or household.established_on
        rows.append(
            Duty(
                household=household,
                kind=Duty.Kind.CONTACT,
                event_on=since,
                due_on=since + datetime.timedelta(days=days(household.union)),
                reason=(
                    _("定期联系（上次走访 %(d)s）") % {"d": since}
                    if household.last_visit
                    else _("定期联系（建档 %(d)s，尚未走访）") % {"d": since}
                ),
                assignee_id=household.responsible_user_id,
            )
        )
    try:
        with transaction.atomic():
            bulk_create_with_history(rows, Duty, batch_size=500)
    except IntegrityError:
        # A visit opened one meanwhile: one by one, each finding what is open.
        for row in rows:
            duty_open(
                household=row.household, kind=row.kind, event_on=row.event_on, reason=row.reason
            )
    return len(rows)


def open_due_duties(today: datetime.date) -> dict[str, int]:
    return {
        "reviews": open_reviews(today),
        "renewals": open_renewals(today),
        "contacts": open_contacts(today),
        "overdue_notified": notify_overdue(today),
    }
