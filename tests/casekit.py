"""Helpers for the approval-chain tests: file an application and move it along the chain
through the real services, as the people named would."""

from decimal import Decimal

from django.utils import timezone

from cases import engine, services
from cases.models import Application, Decision
from households.models import Household

State = Application.State
Action = Decision.Action

# The order in which an application climbs the chain.
CLIMB = (State.SUBMITTED, State.GRASSROOTS_APPROVED, State.COMPANY_VERIFIED, State.IN_NOTICE)


def money(value):
    return None if value is None else Decimal(str(value))


def file(actor, household, kind="emergency", amount="5000", *, self_paid=None, reason=None):
    return services.application_file(
        actor=actor,
        household=household,
        kind=kind,
        reason=reason or "家中突发变故，收入中断，申请帮扶。",
        amount=money(amount),
        self_paid=money(self_paid),
    )


def act(actor, application, action="approve", comment=""):
    """Act on the application as it stands now (the state the actor sees)."""
    application.refresh_from_db()
    return engine.decide(
        chain=services.APPLICATION_APPROVAL,
        actor=actor,
        obj=application,
        action=action,
        expected_state=application.state,
        comment=comment,
    )


def investigate(actor, application):
    application.refresh_from_db()
    return services.investigation_record(
        actor=actor,
        application=application,
        method="home_visit",
        visited_on=timezone.localdate(),
        investigators="孙复核、王干事",
        findings="入户核实家庭人口、收入与住房情况，与申报一致。",
    )


def advance(application, to_state, *, chair, reviewer, committee):
    """Approve level by level until the application waits in `to_state`."""
    actors = {
        State.SUBMITTED: chair,
        State.GRASSROOTS_APPROVED: reviewer,
        State.COMPANY_VERIFIED: committee,
    }
    application.refresh_from_db()
    while application.state != to_state:
        actor = actors[application.state]
        if (
            application.state == State.GRASSROOTS_APPROVED
            and not application.investigations.exists()
        ):
            investigate(actor, application)
        application = act(actor, application, comment="同意。")
    return application


def latest_version(household) -> int:
    return (
        Household.history.filter(id=household.pk)
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
    )


def edit_household(household, actor=None, **fields):
    """Change the stored file with history, as households.services would."""
    household = Household.objects.get(pk=household.pk)
    for name, value in fields.items():
        setattr(household, name, value)
    household._history_user = actor
    household.save()
    return household
