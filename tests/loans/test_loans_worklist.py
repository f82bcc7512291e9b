"""The responsible person's reminders: an overdue loan of a household they are responsible
for is on their task list (hardship.worklist); someone else's is not, nor a loan repaid."""

from loankit import repay, today

from hardship.worklist import items_for


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
