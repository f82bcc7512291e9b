"""The responsible person's reminders: an overdue loan of a household they are responsible
for is on their task list (hardship.worklist); someone else's is not, nor a loan repaid."""

from django.urls import reverse
from factories import MembershipFactory
from loankit import apply, decide, repay, today

from casework.selectors import inbox_count
from hardship.models import Role
from hardship.worklist import decisions_for, items_for


def sources(items, source):
    return [item for item in items if item.source == source]


def test_an_overdue_loan_reminds_the_households_responsible_person(
    current, caseworker_g1a, chair_g1a
):
    household = current.household
    household.responsible_user = caseworker_g1a
    household.save(update_fields=["responsible_user"])

    [item] = sources(items_for(caseworker_g1a, today()), "小额借款逾期")
    assert item.url == current.get_absolute_url()
    assert current.number in item.subject
    assert "3000" in item.detail and item.is_overdue(today())
    # Only the responsible person is reminded.
    assert sources(items_for(chair_g1a, today()), "小额借款逾期") == []


def test_a_loan_brought_up_to_date_leaves_the_list(current, caseworker_g1a, finance_c1):
    current.household.responsible_user = caseworker_g1a
    current.household.save(update_fields=["responsible_user"])
    repay(finance_c1, current, "4000")
    assert sources(items_for(caseworker_g1a, today()), "小额借款逾期") == []


def test_a_loan_waiting_for_the_chair_is_in_their_inbox_and_its_count(
    client, caseworker_g1a, chair_g1a, reviewer_c1, household_g1a
):
    before = inbox_count(chair_g1a)
    loan = apply(caseworker_g1a, household_g1a)
    assert inbox_count(chair_g1a) == before + 1
    client.force_login(chair_g1a)
    page = client.get(reverse("inbox")).content.decode()
    assert "小额借款审批" in page and loan.number in page
    client.force_login(reviewer_c1)
    assert loan.number not in client.get(reverse("inbox")).content.decode()


def test_a_loan_the_chair_applied_for_is_not_in_their_inbox(
    chair_g1a, caseworker_g1a, household_g1a
):
    before = inbox_count(chair_g1a)
    own = apply(chair_g1a, household_g1a)
    assert inbox_count(chair_g1a) == before  # the chain would refuse them: their own filing
    assert own.number not in [i.subject.split(" · ")[-1] for i in decisions_for(chair_g1a)]


def test_a_loan_to_the_deciders_own_household_is_not_in_their_inbox(
    chair_g1a, caseworker_g1a, household_g1a
):
    household_g1a.worker_account = chair_g1a
    household_g1a.save(update_fields=["worker_account"])
    before = inbox_count(chair_g1a)
    loan = apply(caseworker_g1a, household_g1a)
    assert inbox_count(chair_g1a) == before  # 回避: the chain would refuse them
    assert loan.number not in [i.subject.split(" · ")[-1] for i in decisions_for(chair_g1a)]


def test_a_loan_decided_at_one_level_is_not_in_the_same_persons_inbox_at_the_next(
    chair_g1a, caseworker_g1a, household_g1a, org
):
    """One person chairing the grassroots union and reviewing at the company: having
    approved as chair, the loan at the company level is not theirs to decide."""
    MembershipFactory(user=chair_g1a, unit=org.c1, role=Role.COMPANY_REVIEWER)
    loan = apply(caseworker_g1a, household_g1a)
    assert loan.number in [i.subject.split(" · ")[-1] for i in decisions_for(chair_g1a)]
    before = inbox_count(chair_g1a)
    decide(chair_g1a, loan)
    assert inbox_count(chair_g1a) == before - 1
    assert loan.number not in [i.subject.split(" · ")[-1] for i in decisions_for(chair_g1a)]
