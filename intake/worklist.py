"""Contacts one handles (来电来访来信 still open) on their task list (hardship.worklist), due
by the topic's time limit."""

import datetime

from django.utils.translation import gettext as _

from hardship.worklist import WorkItem
from intake import scope
from intake.models import Contact


def contacts_to_handle(user, today: datetime.date) -> list[WorkItem]:
    contacts = (
        scope.contacts_visible_to(user)
        .filter(handler=user, status__in=[Contact.Status.OPEN, Contact.Status.IN_PROGRESS])
        .order_by("due_on", "pk")
    )
    return [
        WorkItem(
            source=_("来访办理"),
            subject=f"{contact.caller_name} · {contact.number}",
            detail=contact.get_topic_display(),
            url=contact.get_absolute_url(),
            due_on=contact.due_on,
            action=_("办理"),
        )
        for contact in contacts
    ]
