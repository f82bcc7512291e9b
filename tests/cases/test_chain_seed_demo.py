"""seed_demo puts applications in every state, so each demo role finds work in its inbox, and
a second run adds nothing."""

from io import StringIO

import pytest
from demokit import load_demo
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cases.models import Application, Decision, Notice, Objection
from casework import selectors
from hardship.models import User
from households.models import Household

EVERY_STATE = {
    "returned",
    "submitted",
    "grassroots_approved",
    "company_verified",
    "in_notice",
    "effective",
    "rejected",
}


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Household, Application, Decision, Notice, Objection, User)
    }


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_fills_every_state_once_and_is_idempotent(settings):
    settings.DEBUG = True  # a development machine: the command refuses production otherwise
    load_demo(stdout=StringIO())
    first = counts()
    states = set(Application.objects.values_list("state", flat=True))
    assert states >= EVERY_STATE, EVERY_STATE - states
    assert Objection.objects.filter(status="open").exists()
    assert Application.objects.filter(kind="establish", state="effective").exists()

    # Each person at each level finds work waiting.
    for username in ("sh01_chair", "sh_reviewer", "sh_committee", "sh02_caseworker"):
        assert selectors.inbox_count(User.objects.get(username=username)) > 0, username
    # The count in every page's navigation (a count per waiting state, index-only) is the
    # inbox's length, for everyone: a user acting at two levels too.
    # The inbox page's rows, paged from the index, are the inbox's, in its order, on any page.
    for user in User.objects.all():
        waiting = list(selectors.inbox(user).values_list("pk", flat=True))
        assert selectors.waiting_count(user) == len(waiting), user.username
        pages = selectors.WaitingPages(user)
        assert [a.pk for a in pages[0 : len(waiting)]] == waiting, user.username
        assert [a.pk for a in pages[2:5]] == waiting[2:5], user.username
    # The inbox page counts what it lists for its navigation: the count every other page
    # makes, for everyone.
    client = Client()
    for user in User.objects.filter(memberships__isnull=False).distinct():
        client.force_login(user)
        response = client.get(reverse("inbox"))
        assert response.context["nav_inbox_count"] == selectors.inbox_count(user), user.username
    # The open objection waits for a reviewer who had no part in the application.
    assert selectors.objections_to_resolve(User.objects.get(username="sh_reviewer2")).exists()
    assert not selectors.objections_to_resolve(User.objects.get(username="sh_reviewer")).exists()
    # The trails obey the chain's own rules: nobody decided on what they filed.
    for decision in Decision.objects.filter(
        action__in=["approve", "return", "reject"]
    ).select_related("application"):
        assert decision.actor_id != decision.application.filed_by_id

    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
