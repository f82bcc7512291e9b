"""Follow-ups (跟进事项) assigned to one, from a match report or a discrepancy found by
payment verification, on their task list (hardship.worklist)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from crosscheck import selectors
from hardship.worklist import WorkItem


def follow_ups_assigned(user, today: datetime.date) -> list[WorkItem]:
    items = (
        selectors.follow_ups_visible_to(user)
        .filter(assigned_to=user, closed_at__isnull=True)
        .select_related("household")
    )
    return [
        WorkItem(
            source=_("核查跟进"),
            subject=(
                f"{item.household.worker_name} · {item.household.file_number}"
                if item.household
                else item.get_origin_display()
            ),
            detail=item.subject,
            url=reverse("crosscheck_follow_ups"),
            due_on=None,
            action=_("跟进办结"),
        )
        for item in items
    ]
