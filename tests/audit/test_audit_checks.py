"""Exit candidates and integrity checks (审核要点): each check with a case it must find and a
case it must leave alone, and the page that lists them for reviewers and auditors."""

import datetime
import io
from decimal import Decimal

import pytest
from auditkit import chained_payment, effective, pay
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from factories import (
    HardshipCauseFactory,
    HouseholdFactory,
    IncomeItemFactory,
    MemberFactory,
    PolicyParameterFactory,
)

from audit import checks
from audit.models import IntegrityRun
from funds import ledger
from hardship.models import PolicyParameter
from households.access import households_visible_to
from households.models import Household


def found(user, code, today=None) -> dict:
    """{household pk: detail} for one check, over the user's scope."""
    results = checks.run_checks(households_visible_to(user), today)
    (check,) = [c for c in results if c.code == code]
    return {f.household.pk: f.detail for f in check.findings}


def family(union, *, income="0", causes=("illness",), members=(), **fields):
    household = HouseholdFactory(in_file=True, union=union, **fields)
    for cause in causes:
        HardshipCauseFactory(household=household, cause=cause)
    for member in members:
        MemberFactory(household=household, **member)
    if Decimal(income):
        IncomeItemFactory(household=household, monthly_amount=Decimal(income))
    return household


# Income above the threshold ------------------------------------------------------------------


def test_auditor_can_find_a_household_whose_income_now_exceeds_the_threshold(
    org, policy, auditor_fed
):
    # One spouse without income: two people. 600 / 2 = 300 ≥ 280; 400 / 2 = 200 < 280.
    above = family(
        org.g1a, income="600", members=[{"relation": "spouse", "employment": "unemployed"}]
    )
    below = family(
        org.g1a, income="400", members=[{"relation": "spouse", "employment": "unemployed"}]
    )
    at = family(org.g1b, income="560", members=[{"relation": "spouse", "employment": "unemployed"}])
    result = found(auditor_fed, "income")
    assert above.pk in result and "300.00" in result[above.pk] and "280" in result[above.pk]
    assert at.pk in result  # exactly at the threshold is no longer below it
    assert below.pk not in result


def test_auditor_can_find_income_against_the_threshold_in_force_for_the_union(
    org, policy, auditor_fed
):
    PolicyParameterFactory(
        key=PolicyParameter.Key.HARDSHIP_THRESHOLD, value=Decimal("400"), unit=org.c2
    )
    g1a = family(org.g1a, income="300")
    g2a = family(org.g2a, income="300")
    result = found(auditor_fed, "income")
    assert g1a.pk in result
    assert g2a.pk not in result  # C2's own, higher threshold


def test_auditor_cannot_find_income_candidates_without_a_threshold_in_force(org, auditor_fed):
    family(org.g1a, income="5000")
    assert found(auditor_fed, "income") == {}


def test_auditor_cannot_find_an_exited_household_among_income_candidates(org, policy, auditor_fed):
    household = HouseholdFactory(exited=True, union=org.g1a)
    IncomeItemFactory(household=household, monthly_amount=Decimal("5000"))
    assert household.pk not in found(auditor_fed, "income")


# Lapsed causes ----------------------------------------------------------------------------


def test_auditor_can_find_education_claimed_without_a_member_in_school(org, auditor_fed):
    lapsed = family(
        org.g1a, causes=["education"], members=[{"school_stage": "none", "employment": "employed"}]
    )
    still = family(org.g1a, causes=["education"], members=[{"school_stage": "university"}])
    result = found(auditor_fed, "lapsed")
    assert "因学" in result[lapsed.pk]
    assert still.pk not in result


def test_auditor_can_find_disability_claimed_without_a_disabled_member(org, auditor_fed):
    lapsed = family(org.g1a, causes=["disability"], members=[{"health": "chronic"}])
    still = family(
        org.g1a, causes=["disability"], members=[{"health": "disabled", "disability_grade": 2}]
    )
    result = found(auditor_fed, "lapsed")
    assert "因残" in result[lapsed.pk]
    assert still.pk not in result


def test_auditor_can_find_unemployment_claimed_by_a_worker_back_at_work(org, auditor_fed):
    lapsed = family(org.g1a, causes=["unemployment"], employment_status="active")
    still = family(org.g1a, causes=["unemployment"], employment_status="laid_off")
    other = family(org.g1a, causes=["illness"], employment_status="active")
    result = found(auditor_fed, "lapsed")
    assert "下岗失业" in result[lapsed.pk]
    assert still.pk not in result and other.pk not in result


# Duplicate ID numbers ------------------------------------------------------------------------


def test_auditor_can_find_a_worker_who_is_a_member_of_a_household_in_another_company(
    org, auditor_fed, reviewer_c1, reviewer_c2
):
    worker_file = family(org.g1a)
    member_file = family(
        org.g2a, members=[{"id_number": worker_file.id_number, "relation": "spouse"}]
    )
    clean = family(org.g1a)
    result = found(auditor_fed, "duplicate")
    assert set(result) == {worker_file.pk, member_file.pk}
    assert "1" in result[worker_file.pk]
    assert clean.pk not in result
    # Each company reviewer hears of their own file only.
    assert set(found(reviewer_c1, "duplicate")) == {worker_file.pk}
    assert set(found(reviewer_c2, "duplicate")) == {member_file.pk}


def test_auditor_can_find_the_same_member_in_two_households(org, auditor_fed):
    a = family(
        org.g1a,
        members=[
            {
                "relation": "parent",
                "id_number": "230103194501010018",
                "birth_date": datetime.date(1945, 1, 1),
            }
        ],
    )
    b = family(
        org.g1b,
        members=[
            {
                "relation": "parent",
                "id_number": "230103194501010018",
                "birth_date": datetime.date(1945, 1, 1),
            }
        ],
    )
    assert set(found(auditor_fed, "duplicate")) == {a.pk, b.pk}


def test_auditor_cannot_find_a_duplicate_with_a_file_no_longer_in_file(org, auditor_fed):
    old = HouseholdFactory(exited=True, union=org.g2a)
    current = family(org.g1a, members=[{"id_number": old.id_number, "relation": "spouse"}])
    assert current.pk not in found(auditor_fed, "duplicate")
    assert found(auditor_fed, "duplicate") == {}


# Money: yearly cap and payments outside the file ----------------------------------------------


@pytest.fixture
def year_cap(db):
    return PolicyParameterFactory(
        key=PolicyParameter.Key.HOUSEHOLD_YEAR_CAP, value=Decimal("10000")
    )


def test_auditor_can_find_a_household_paid_more_than_the_yearly_cap(
    staff, household_g1a, household_g2a, fund_c1, finance_c1, year_cap, auditor_fed
):
    today = timezone.localdate()
    pay(finance_c1, fund_c1, effective(staff, household_g1a, "5000"), "5000", on=today)
    assert household_g1a.pk not in found(auditor_fed, "money")  # 5,000 within 10,000

    # The cap was lowered after the payment (the payment rules enforced the one in force).
    PolicyParameter.objects.filter(pk=year_cap.pk).update(value=Decimal("3000"))

    result = found(auditor_fed, "money")
    assert household_g1a.pk in result
    assert "5,000.00 元" in result[household_g1a.pk] and "3,000.00 元" in result[household_g1a.pk]
    assert household_g2a.pk not in result


def test_auditor_cannot_find_a_reversed_payment_over_the_cap(
    staff, household_g1a, fund_c1, finance_c1, year_cap, auditor_fed
):
    today = timezone.localdate()
    entry = pay(finance_c1, fund_c1, effective(staff, household_g1a, "5000"), "5000", on=today)
    ledger.entry_reverse(actor=finance_c1, entry=entry, reason="重复发放，冲销。", posted_on=today)
    PolicyParameter.objects.filter(pk=year_cap.pk).update(value=Decimal("3000"))
    assert household_g1a.pk not in found(auditor_fed, "money")


def test_auditor_can_find_a_payment_dated_before_the_file_was_established(
    staff, household_g1a, fund_c1, finance_c1, auditor_fed
):
    application = effective(staff, household_g1a, "2000")
    before = household_g1a.established_on - datetime.timedelta(days=10)
    entry = chained_payment(finance_c1, fund_c1, application, "800", on=before)

    result = found(auditor_fed, "money")
    assert household_g1a.pk in result
    assert entry.voucher in result[household_g1a.pk] and "不在档" in result[household_g1a.pk]
    # The row was written outside the rules but chained correctly: the chain is intact.
    call_command("verify_integrity", stdout=io.StringIO())
    assert IntegrityRun.objects.get().ok


def test_auditor_can_find_a_payment_dated_after_the_file_was_ended(
    staff, household_g1a, fund_c1, finance_c1, auditor_fed
):
    application = effective(staff, household_g1a, "2000")
    today = timezone.localdate()
    entry = chained_payment(finance_c1, fund_c1, application, "800", on=today)
    Household.objects.filter(pk=household_g1a.pk).update(
        status=Household.Status.EXITED, exited_on=today - datetime.timedelta(days=1)
    )
    result = found(auditor_fed, "money")
    assert entry.voucher in result[household_g1a.pk]


def test_auditor_cannot_find_a_payment_made_while_in_file(
    staff, household_g1a, fund_c1, finance_c1, auditor_fed
):
    application = effective(staff, household_g1a, "2000")
    pay(finance_c1, fund_c1, application, "800", on=timezone.localdate())
    chained_payment(finance_c1, fund_c1, application, "100", on=household_g1a.established_on)
    assert household_g1a.pk not in found(auditor_fed, "money")


# Evidence and assets ---------------------------------------------------------------------------


def test_auditor_can_find_a_cause_claimed_without_evidence(org, household_g1a, auditor_fed):
    result = found(auditor_fed, "evidence")
    assert "因病" in result[household_g1a.pk]


def test_auditor_cannot_find_a_cause_with_its_evidence_on_file(
    household_g1a, evidence_g1a, auditor_fed
):
    assert household_g1a.pk not in found(auditor_fed, "evidence")


def test_auditor_can_find_only_the_cause_whose_evidence_is_missing(
    household_g1a, evidence_g1a, auditor_fed
):
    HardshipCauseFactory(household=household_g1a, cause="education")
    result = checks.causes_without_evidence(Household.objects.filter(pk=household_g1a.pk))
    assert [f.detail for f in result] == ["“因学”无证明材料"]


def test_auditor_can_find_vehicles_or_luxury_goods_recorded(org, auditor_fed):
    car = family(org.g1a, vehicles=1)
    piano = family(org.g1a, luxury_goods="钢琴")
    plain = family(org.g1a)
    result = found(auditor_fed, "assets")
    assert "机动车 1 辆" in result[car.pk]
    assert "钢琴" in result[piano.pk]
    assert plain.pk not in result


# Overdue reviews ---------------------------------------------------------------------------------


def test_auditor_can_find_reviews_overdue_by_more_than_90_days(org, auditor_fed):
    today = timezone.localdate()
    long_overdue = family(org.g1a, review_due_on=today - datetime.timedelta(days=91))
    just_90 = family(org.g1a, review_due_on=today - datetime.timedelta(days=90))
    overdue_a_little = family(org.g1a, review_due_on=today - datetime.timedelta(days=10))
    result = found(auditor_fed, "overdue")
    assert "91" in result[long_overdue.pk]
    assert just_90.pk not in result and overdue_a_little.pk not in result


# The page ------------------------------------------------------------------------------------------


@pytest.fixture
def findings_in_two_companies(org):
    return {
        "g1a": family(org.g1a, worker_name="甲车间", vehicles=2),
        "g2a": family(org.g2a, worker_name="乙化工", vehicles=3),
    }


@pytest.mark.parametrize("who", ["reviewer_c1", "auditor_fed"])
def test_checker_can_open_the_checks_page_with_links_to_each_record(
    client, request, findings_in_two_companies, who
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("integrity_checks"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{findings_in_two_companies["g1a"].get_absolute_url()}"' in page
    assert [c.code for c in response.context["checks"]] == [
        "income",
        "lapsed",
        "duplicate",
        "money",
        "evidence",
        "assets",
        "overdue",
        "plan",
    ]


def test_reviewer_cannot_see_findings_of_another_company(
    client, findings_in_two_companies, reviewer_c1, auditor_fed
):
    client.force_login(reviewer_c1)
    page = client.get(reverse("integrity_checks")).content.decode()
    other = findings_in_two_companies["g2a"]
    assert other.file_number not in page and "乙化工" not in page
    client.force_login(auditor_fed)
    page = client.get(reverse("integrity_checks")).content.decode()
    assert f'href="{other.get_absolute_url()}"' in page


def test_auditor_of_one_company_can_see_only_that_company_on_the_checks_page(
    client, findings_in_two_companies, auditor_c2
):
    client.force_login(auditor_c2)
    page = client.get(reverse("integrity_checks")).content.decode()
    assert "乙化工" in page and "甲车间" not in page


@pytest.mark.parametrize(
    "who", ["caseworker_g1a", "chair_g1a", "finance_c1", "committee_c1", "worker_g1a", "outsider"]
)
def test_other_roles_cannot_open_the_checks_page(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("integrity_checks")).status_code == 403
