"""Each decision pins the household file its decider saw: the application page can show the
file as it stood then, with what changed since, and flags a file edited after sign-off."""

import datetime
import re

import pytest
from casekit import act, advance, edit_household, file, latest_version
from django.urls import reverse
from factories import HardshipCauseFactory, HouseholdFactory, MemberFactory
from formdata import household_edit_data

from cases import services
from cases.models import Application
from households.models import Member

pytestmark = pytest.mark.django_db

State = Application.State
WARNING = "党政班子会审定后，档案又被修改"


def snapshot_url(application, decision):
    return reverse("household_snapshot", args=[application.pk, decision.pk])


def field_value(page: str, label: str) -> str:
    match = re.search(rf"{re.escape(label)}</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S)
    assert match, f"{label} not on the page"
    return match.group(1).strip()


def test_chair_decision_pins_the_version_and_snapshot_shows_the_old_value(
    client, app_at, caseworker_g1a, chair_g1a, household_g1a
):
    application = app_at(State.SUBMITTED)
    act(chair_g1a, application)
    decision = application.decisions.get(action="approve")
    assert decision.household_version == latest_version(household_g1a)

    # The caseworker then records a car through the household edit page.
    client.force_login(caseworker_g1a)
    household_g1a.refresh_from_db()
    response = client.post(
        reverse("household_edit", args=[household_g1a.pk]),
        household_edit_data(household_g1a, vehicles="2"),
    )
    assert response.status_code == 302
    household_g1a.refresh_from_db()
    assert household_g1a.vehicles == 2
    assert latest_version(household_g1a) != decision.household_version

    client.force_login(chair_g1a)
    response = client.get(snapshot_url(application, decision))
    assert response.status_code == 200
    page = response.content.decode()
    assert field_value(page, "机动车（辆）") == "0"
    # The change after the decision is listed: field, old value, new value.
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    change = [r for r in rows if "机动车（辆）" in r]
    assert change, "the change after the decision is not listed"
    cells = [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", change[0], re.S)
    ]
    assert cells[-2:] == ["0", "2"]
    assert "王干事" in cells


def test_snapshot_of_the_latest_decision_lists_no_changes(client, app_at, chair_g1a):
    application = app_at(State.SUBMITTED)
    act(chair_g1a, application)
    decision = application.decisions.get(action="approve")
    client.force_login(chair_g1a)
    page = client.get(snapshot_url(application, decision)).content.decode()
    assert "没有修改记录" in page


def test_snapshot_shows_members_as_they_were(
    client, app_at, chair_g1a, caseworker_g1a, household_g1a
):
    spouse = household_g1a.members.get()
    application = app_at(State.SUBMITTED)
    act(chair_g1a, application)
    decision = application.decisions.get(action="approve")
    # Afterwards a child is added and the spouse's row removed.
    child = MemberFactory(household=household_g1a, name="张小军")
    spouse_name = spouse.name
    spouse._history_user = caseworker_g1a
    spouse.delete()
    assert list(Member.objects.filter(household=household_g1a)) == [child]

    client.force_login(chair_g1a)
    page = client.get(snapshot_url(application, decision)).content.decode()
    members = page[page.index("家庭成员（当时）") : page.index("此后的修改")]
    assert spouse_name in members
    assert "张小军" not in members


def test_every_decision_has_its_own_snapshot(client, app_at, staff, household_g1a):
    application = app_at(State.SUBMITTED)
    act(staff["chair"], application)
    edit_household(household_g1a, staff["caseworker"], savings=50000)
    advance(
        application, State.COMPANY_VERIFIED, chair=None, reviewer=staff["reviewer"], committee=None
    )
    chair_decision = application.decisions.get(step=State.SUBMITTED, action="approve")
    reviewer_decision = application.decisions.get(step=State.GRASSROOTS_APPROVED)
    client.force_login(staff["reviewer"])
    assert (
        field_value(
            client.get(snapshot_url(application, chair_decision)).content.decode(), "存款（元）"
        )
        == "0.00"
    )
    assert (
        field_value(
            client.get(snapshot_url(application, reviewer_decision)).content.decode(), "存款（元）"
        )
        == "50,000.00"
    )


def test_application_page_links_each_decision_to_its_snapshot(client, app_at, chair_g1a):
    application = app_at(State.SUBMITTED)
    act(chair_g1a, application)
    client.force_login(chair_g1a)
    page = client.get(application.get_absolute_url()).content.decode()
    for decision in application.decisions.all():
        assert snapshot_url(application, decision) in page


def test_snapshot_of_another_applications_decision_is_not_found(client, app_at, chair_g1a):
    first = app_at(State.SUBMITTED)
    second = app_at(State.SUBMITTED)
    act(chair_g1a, first)
    client.force_login(chair_g1a)
    decision = first.decisions.get(action="approve")
    assert client.get(snapshot_url(second, decision)).status_code == 404


def test_edit_after_signoff_is_flagged_on_the_application(client, app_at, staff, household_g1a):
    application = app_at(State.IN_NOTICE)
    client.force_login(staff["reviewer"])
    assert WARNING not in client.get(application.get_absolute_url()).content.decode()

    edit_household(household_g1a, staff["caseworker"], luxury_goods="新购小汽车一辆")
    page = client.get(application.get_absolute_url()).content.decode()
    assert WARNING in page
    assert "高档消费品" in page[page.index(WARNING) :]


def test_edit_before_signoff_is_not_flagged(client, app_at, staff, household_g1a):
    application = app_at(State.COMPANY_VERIFIED)
    edit_household(household_g1a, staff["caseworker"], vehicles=1)
    act(staff["committee"], application)
    client.force_login(staff["committee"])
    assert WARNING not in client.get(application.get_absolute_url()).content.decode()


def test_establishment_taking_effect_is_not_flagged_as_an_edit(client, org, staff):
    """Putting the file in file is what the signed-off application decided, not an edit."""
    draft = HouseholdFactory(union=org.g1a)
    HardshipCauseFactory(household=draft)
    application = advance(
        file(staff["caseworker"], draft, "establish", None),
        State.IN_NOTICE,
        chair=staff["chair"],
        reviewer=staff["reviewer"],
        committee=staff["committee"],
    )
    application.refresh_from_db()
    services.close_due_notices(application.notice.ends_on + datetime.timedelta(days=1))
    application.refresh_from_db()
    assert application.state == State.EFFECTIVE
    client.force_login(staff["reviewer"])
    assert WARNING not in client.get(application.get_absolute_url()).content.decode()
