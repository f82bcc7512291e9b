"""CSRF: a POST without the token is refused (403) everywhere, before any view runs, for
someone who could otherwise act, and writes nothing. The same POST with the token goes
through to the view (and answers as the authorisation matrix says)."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from securitykit import ROLES, call, named_routes, sign_in, url_for

from cases.models import Application, Decision, Investigation, Objection
from funds.models import DistributionPlan, LedgerEntry, PlanDecision
from households.models import Evidence
from reports.models import Job
from security.test_authorisation_matrix import EXPECTED

pytestmark = pytest.mark.django_db

ROUTES = named_routes()

# For each POST-only URL, someone whose role lets them act on the world's record there.
ACTORS = {
    "notifications_read_all": "caseworker_g1a",
    "household_reveal": "caseworker_g1a",
    "card_confirm": "chair_g1a",
    "evidence_upload": "caseworker_g1a",
    "evidence_delete": "caseworker_g1a",
    "measure_progress": "caseworker_g1a",
    "responsible_assign": "caseworker_g1a",
    "application_act": "chair_g1a",  # the submitted application waits at grassroots review
    "investigation_add": "reviewer_c1",  # the grassroots-approved one waits for the company
    "objection_lodge": "worker_g1a",  # a worker of the company reads its notices
    # none of the matrix's people may settle the world's objection (cases.rules
    # .objection_refusal): a second reviewer of C1, with no part in the application
    "objection_resolve": "reviewer2_c1",
    "receipt_add": "finance_c1",
    "plan_submit": "finance_c1",  # drew the draft plan up
    "plan_act": "committee_c1",
    "plan_post": "finance_c1",
    "disclosure_recompute": "finance_c1",
    "disclosure_submit": "finance_c1",
    "disclosure_decide": "committee_c1",
    "disclosure_publish": "finance_c1",
    "plan_adjust": "finance_c1",  # drew the draft plan up
    "plan_adjustment_undo": "finance_c1",
    "plan_objection_resolve": "reviewer_c1",  # no part in the campaign
    "plan_objection_lodge": "worker_g1a",
    "bank_batch_sent": "finance_c1",
    "bank_return_import": "finance_c1",
    "bank_voucher_upload": "finance_c1",
    "roster_import_commit": "caseworker_g1a",
    "appeal_decide": "reviewer_c1",  # the company reviewer above the chair who rejected
    "intake_reveal": "caseworker_g1a",
    "intake_act": "caseworker_g1a",
    "intake_close": "caseworker_g1a",
    "intake_follow_up": "caseworker_g1a",
    "legal_aid_reveal": "caseworker_g1a",
    "legal_aid_refer": "caseworker_g1a",
    "legal_aid_conclude": "caseworker_g1a",
    "loan_act": "chair_g1a",  # the loan waits at grassroots review
    "loan_motion_act": "committee_c1",
    "enrolment_create": "caseworker_g1a",
    "crosscheck_line_act": "reviewer_c1",
    "crosscheck_duplicate_decide": "caseworker_g1a",
    "crosscheck_follow_up_close": "caseworker_g1a",
    "verification_record": "finance_c1",
    "survey_answer": "caseworker_g1a",
    "change_reject": "chair_g1a",  # caseworker_g1a reported the world's change
    "change_exit_propose": "chair_g1a",
    "logout": "caseworker_g1a",
    "twofactor_recovery_codes": "caseworker_g1a",
    "twofactor_disable": "caseworker_g1a",
}


def actor(world, name):
    """A person of the matrix, or the second reviewer of C1 (made on first use)."""
    if name not in world.users:
        from factories import MembershipFactory, UserFactory

        from hardship.models import Role

        user = UserFactory(username=name, full_name="卫复核")
        MembershipFactory(user=user, unit=world.org.c1, role=Role.COMPANY_REVIEWER)
        world.users[name] = user
    return world.users[name]


def expected_for(name, role) -> int:
    return 302 if role == "reviewer2_c1" else EXPECTED[name, "POST"][role]


def csrf_client() -> Client:
    client = Client(enforce_csrf_checks=True)
    client.raise_request_exception = False
    return client


def token_of(client) -> str:
    """The CSRF token a page gives the browser (the cookie, set when a page renders it)."""
    assert client.get(reverse("login")).status_code in (200, 302)
    return client.cookies["csrftoken"].value


def state():
    """What a POST to any of these URLs could change."""
    return (
        sorted(Application.objects.values_list("pk", "state")),
        sorted(DistributionPlan.objects.values_list("pk", "state")),
        Decision.objects.count(),
        Investigation.objects.count(),
        Objection.objects.count(),
        sorted(Objection.objects.values_list("pk", "status")),
        LedgerEntry.objects.count(),
        PlanDecision.objects.count(),
        Evidence.objects.count(),
        Job.objects.count(),
        StaticDevice.objects.count(),
        Session.objects.count(),
    )


def refused_for_csrf(response) -> bool:
    return response.status_code == 403 and b"CSRF" in response.content


def post_only_routes(client, world):
    """URLs of the walk that answer a signed-in GET with 405 and offer POST instead."""
    sign_in(client, world.users["caseworker_g1a"])
    found = []
    for route in ROUTES:
        response = call(client, "GET", url_for(route, world))
        if response.status_code == 405 and "POST" in response.get("Allow", ""):
            found.append(route)
    return found


def test_every_post_only_url_refuses_a_post_without_a_token(world):
    client = csrf_client()
    routes = post_only_routes(client, world)
    assert {r.name for r in routes} == set(ACTORS), "a new POST-only URL needs an actor"

    for route in routes:
        person = actor(world, ACTORS[route.name])
        url = url_for(route, world)
        sign_in(client, person)
        before = state()

        refused = client.post(url)
        assert refused_for_csrf(refused), (route.name, refused.status_code)
        refused = client.post(url, {"csrfmiddlewaretoken": "x" * 64})
        assert refused_for_csrf(refused), (route.name, "wrong token", refused.status_code)
        assert state() == before, route.name

        # With the page's token the request reaches the view: the actor could act.
        token = token_of(client)
        allowed = call(client, "POST", url, data={"csrfmiddlewaretoken": token})
        assert allowed.status_code == expected_for(route.name, ACTORS[route.name]), (
            route.name,
            allowed.status_code,
        )
        assert allowed.status_code != 403, route.name


@pytest.mark.parametrize("role", ["caseworker_g1a", "finance_c1", None], ids=str)
def test_every_url_refuses_a_post_without_a_token(world, role):
    """Not only the POST-only ones: forms that also answer GET, the login page and the
    health probe are behind the same check."""
    assert role is None or role in ROLES
    client = csrf_client()
    sign_in(client, world.users[role] if role else None)
    before = state()
    for route in ROUTES:
        response = client.post(url_for(route, world), {"anything": "1"})
        assert refused_for_csrf(response), (route.name, response.status_code)
    assert state() == before


def test_the_token_may_come_in_the_htmx_header(world):
    """htmx sends the token from <body hx-headers> as X-CSRFToken: that is accepted too."""
    client = csrf_client()
    sign_in(client, world.users["caseworker_g1a"])
    page = client.get(reverse("dashboard"))
    token = client.cookies["csrftoken"].value
    assert "X-CSRFToken" in page.content.decode()
    url = reverse("household_reveal", args=[world.household.pk, "phone"])
    assert refused_for_csrf(client.post(url))
    response = client.post(url, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert world.household.phone in response.content.decode()
