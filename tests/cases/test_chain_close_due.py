"""close_due_notices: a notice whose period has ended with no open objection makes its
application effective — establishment puts the file in file, exit and cancellation end it,
aid becomes payable. Also through `manage.py close_due_notices`."""

import datetime
from io import StringIO

import pytest
from casekit import advance, file
from django.core.management import call_command
from django.utils import timezone
from factories import HardshipCauseFactory, HouseholdFactory

from cases import services
from cases.models import Application, Decision, Notice
from households.models import Household

pytestmark = pytest.mark.django_db

State = Application.State


@pytest.fixture
def in_notice(staff):
    def make(household, kind, amount=None, reason="经核实，家庭情况发生变化。"):
        application = file(staff["caseworker"], household, kind, amount, reason=reason)
        return advance(
            application,
            State.IN_NOTICE,
            chair=staff["chair"],
            reviewer=staff["reviewer"],
            committee=staff["committee"],
        )

    return make


def day_after(application):
    return Notice.objects.get(application=application).ends_on + datetime.timedelta(days=1)


def test_establishment_takes_effect_and_puts_the_household_in_file(org, in_notice):
    draft = HouseholdFactory(union=org.g1a)
    HardshipCauseFactory(household=draft)
    application = in_notice(draft, "establish")
    on = day_after(application)
    done, held = services.close_due_notices(on)
    assert [a.pk for a in done] == [application.pk] and held == []
    draft.refresh_from_db()
    assert (draft.status, draft.established_on) == (Household.Status.IN_FILE, on)
    application.refresh_from_db()
    assert (application.state, application.effective_on) == (State.EFFECTIVE, on)
    assert application.notice.closed_on == on
    last = application.decisions.latest("pk")
    assert (last.action, last.actor, last.step) == (
        Decision.Action.EFFECTIVE,
        None,
        State.IN_NOTICE,
    )


def test_exit_takes_effect_and_ends_the_file(household_g1a, in_notice):
    application = in_notice(
        household_g1a, "exit", reason="子女已参加工作，家庭人均收入超过困难标准。"
    )
    on = day_after(application)
    services.close_due_notices(on)
    household_g1a.refresh_from_db()
    assert household_g1a.status == Household.Status.EXITED
    assert household_g1a.exited_on == on
    assert household_g1a.status_reason == "子女已参加工作，家庭人均收入超过困难标准。"
    application.refresh_from_db()
    assert application.state == State.EFFECTIVE


def test_cancellation_takes_effect_and_ends_the_file(household_g1a, in_notice):
    application = in_notice(household_g1a, "cancel", reason="经查隐瞒经营收入，不符合建档条件。")
    on = day_after(application)
    services.close_due_notices(on)
    household_g1a.refresh_from_db()
    assert household_g1a.status == Household.Status.CANCELLED
    assert household_g1a.cancelled_on == on
    assert household_g1a.status_reason == "经查隐瞒经营收入，不符合建档条件。"


@pytest.mark.parametrize("kind", ["emergency", "education"])
def test_aid_becomes_effective(household_g1a, in_notice, kind):
    application = in_notice(household_g1a, kind, "3000")
    on = day_after(application)
    services.close_due_notices(on)
    application.refresh_from_db()
    assert (application.state, application.effective_on) == (State.EFFECTIVE, on)
    household_g1a.refresh_from_db()
    assert household_g1a.status == Household.Status.IN_FILE


def test_notice_not_yet_ended_stays(household_g1a, in_notice):
    application = in_notice(household_g1a, "emergency", "3000")
    last_day = Notice.objects.get(application=application).ends_on
    done, held = services.close_due_notices(last_day)
    assert done == [] and held == []
    application.refresh_from_db()
    assert application.state == State.IN_NOTICE
    assert application.notice.closed_on is None


def test_closing_twice_does_nothing_more(household_g1a, in_notice):
    application = in_notice(household_g1a, "emergency", "3000")
    on = day_after(application)
    services.close_due_notices(on)
    decisions = Decision.objects.count()
    done, held = services.close_due_notices(on + datetime.timedelta(days=3))
    assert done == [] and held == []
    assert Decision.objects.count() == decisions


def test_establishment_held_back_when_the_worker_is_already_in_file(org, in_notice, household_g1a):
    """A second file for a worker already in file: left for a person to sort out."""
    draft = HouseholdFactory(union=org.g1a, id_number=household_g1a.id_number)
    HardshipCauseFactory(household=draft)
    application = in_notice(draft, "establish")
    done, held = services.close_due_notices(day_after(application))
    assert done == []
    assert [(notice.application_id, why) for notice, why in held] == [
        (application.pk, "该身份证号已是另一户在档困难职工。")
    ]
    draft.refresh_from_db()
    assert draft.status == Household.Status.DRAFT
    application.refresh_from_db()
    assert application.state == State.IN_NOTICE
    assert application.notice.closed_on is None


def test_command_reports_what_it_made_effective_and_what_it_held(
    household_g1a, in_notice, worker_g1a
):
    effective = in_notice(household_g1a, "emergency", "3000")
    disputed = in_notice(household_g1a, "education", "2000")
    waiting = in_notice(household_g1a, "emergency", "1000")
    services.objection_lodge(actor=worker_g1a, notice=disputed.notice, reason="有异议。")
    # Both periods ran their course; the third has days to go.
    today = timezone.localdate()
    Notice.objects.filter(application__in=[effective, disputed]).update(
        starts_on=today - datetime.timedelta(days=8), ends_on=today - datetime.timedelta(days=4)
    )

    out = StringIO()
    call_command("close_due_notices", stdout=out)
    output = out.getvalue()
    assert f"effective: {effective.number} 临时救助" in output
    assert f"held: {disputed.number}" in output
    assert "有未处理的异议" in output
    assert waiting.number not in output
    assert "1 made effective, 1 held back." in output
    for application, state in (
        (effective, State.EFFECTIVE),
        (disputed, State.IN_NOTICE),
        (waiting, State.IN_NOTICE),
    ):
        application.refresh_from_db()
        assert application.state == state
    assert effective.effective_on == today


def test_command_with_nothing_due(db):
    out = StringIO()
    call_command("close_due_notices", stdout=out)
    assert "0 made effective, 0 held back." in out.getvalue()
