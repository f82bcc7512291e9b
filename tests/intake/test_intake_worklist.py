"""A contact one handles is on one's task list, due by the topic's time limit, until closed."""

import pytest
from django.utils import timezone
from intakekit import record

from hardship.worklist import items_for
from intake import services

pytestmark = pytest.mark.django_db


def contacts(user):
    return [i for i in items_for(user, timezone.localdate()) if i.source == "来访办理"]


def test_a_contact_is_on_its_handlers_list_until_closed(caseworker_g1a, org):
    contact = record(caseworker_g1a, worker_unit=org.g1a)
    contact.refresh_from_db()
    assert contact.handler is not None
    [item] = contacts(contact.handler)
    assert (item.due_on, item.url) == (contact.due_on, contact.get_absolute_url())
    services.contact_close(
        actor=contact.handler,
        contact=contact,
        outcome="已答复政策。",
        told_how="电话",
        caller_told=True,
    )
    assert contacts(contact.handler) == []
