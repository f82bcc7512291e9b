"""The loan rules, one by one, through the services and the approval engine."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from factories import HouseholdFactory, MembershipFactory, PolicyParameterFactory, person
from fundkit import balance_of, ledger_sum, make_fund, receive
from loankit import (
    GUARANTOR_ID,
    apply,
    approve_all,
    decide,
    decide_motion,
    lend,
    loan_fund,
    months_ago,
    propose,
    repay,
    today,
)

from audit import chain as hash_chain
from funds import closing, ledger
from funds.models import AidType, LedgerEntry
from hardship.models import PolicyParameter, Role
from loans import selectors, services, standing
from loans.models import Loan, LoanDecision, Motion

pytestmark = pytest.mark.django_db


def messages(error) -> str:
    value = error.value
    return " ".join(value.messages) if hasattr(value, "messages") else str(value)


# Applying ---------------------------------------------------------------------------------


def test_caseworker_can_apply_and_the_loan_waits_for_the_grassroots_chair(
    caseworker_g1a, household_g1a
):
    loan = apply(caseworker_g1a, household_g1a)
    assert loan.state == Loan.State.SUBMITTED
    assert loan.number.startswith(f"JK{today().year}-")
    assert loan.annual_rate == 0  # interest-free unless the policy says otherwise
    (submitted,) = loan.trail.all()
    assert submitted.action == "submit" and submitted.chain_position == 1
    assert submitted.row_hash == hash_chain.row_hash(submitted.prev_hash, submitted.chain_content())


def test_a_household_not_in_file_cannot_borrow(caseworker_g1a, org):
    draft = HouseholdFactory(union=org.g1a)
    with pytest.raises(ValidationError) as error:
        apply(caseworker_g1a, draft)
    assert "先建档、后帮扶" in messages(error)
    assert not Loan.objects.exists()


def test_the_cap_and_the_term_are_policy_with_defaults(caseworker_g1a, household_g1a):
    with pytest.raises(ValidationError) as error:
        apply(caseworker_g1a, household_g1a, amount="30000.01")
    assert "超过每笔上限 30,000.00 元" in messages(error)
    with pytest.raises(ValidationError) as error:
        apply(caseworker_g1a, household_g1a, term=25)
    assert "最长 24 个月" in messages(error)
    PolicyParameterFactory(key=PolicyParameter.Key.LOAN_CAP, value=Decimal("5000"))
    with pytest.raises(ValidationError) as error:
        apply(caseworker_g1a, household_g1a, amount="5000.01")
    assert "5,000.00" in messages(error)
    assert apply(caseworker_g1a, household_g1a, amount="5000").amount == Decimal("5000")


def test_the_guarantor_id_number_is_stored_normalised_and_checked(caseworker_g1a, household_g1a):
    with pytest.raises(ValidationError):
        apply(caseworker_g1a, household_g1a, guarantor_id_number="110101199003074515")
    loan = apply(
        caseworker_g1a, household_g1a, guarantor_id_number=" １１０１０１１９９００３０７４５１４ "
    )
    assert loan.guarantor_id_number == GUARANTOR_ID


def test_the_borrower_cannot_guarantee_their_own_loan(caseworker_g1a, household_g1a):
    with pytest.raises(ValidationError) as error:
        apply(caseworker_g1a, household_g1a, guarantor_id_number=household_g1a.id_number)
    assert "不能作自己的担保人" in messages(error)


def test_one_application_at_a_time(caseworker_g1a, household_g1a):
    apply(caseworker_g1a, household_g1a)
    with pytest.raises(ValidationError) as error:
        apply(caseworker_g1a, household_g1a)
    assert "在办理中" in messages(error)


def test_only_an_editor_of_the_file_can_apply(auditor_fed, finance_c1, household_g1a):
    for actor in (auditor_fed, finance_c1):
        with pytest.raises(PermissionDenied):
            apply(actor, household_g1a)


# The chain ---------------------------------------------------------------------------------


def test_three_levels_approve_a_loan_each_decision_chained(
    caseworker_g1a, chair_g1a, reviewer_c1, committee_c1, household_g1a
):
    loan = apply(caseworker_g1a, household_g1a)
    loan = approve_all(loan, chair_g1a, reviewer_c1, committee_c1)
    assert loan.state == Loan.State.APPROVED
    steps = list(loan.trail.values_list("step", "action", "actor__username", "resulting_state"))
    assert steps == [
        ("submitted", "submit", "caseworker_g1a", "submitted"),
        ("submitted", "approve", "chair_g1a", "grassroots_approved"),
        ("grassroots_approved", "approve", "reviewer_c1", "company_verified"),
        ("company_verified", "approve", "committee_c1", "approved"),
    ]
    positions = list(LoanDecision.objects.values_list("chain_position", flat=True))
    assert positions == [1, 2, 3, 4]
    assert len({d.digest for d in loan.trail.all()}) == 1  # the terms they all approved


def test_the_wrong_level_and_the_applicant_cannot_decide(
    org, caseworker_g1a, reviewer_c1, household_g1a
):
    loan = apply(caseworker_g1a, household_g1a)
    with pytest.raises(PermissionDenied):
        decide(reviewer_c1, loan)  # not the grassroots level
    with pytest.raises(PermissionDenied):
        decide(caseworker_g1a, loan)
    both = person(
        "both_g1a", "兼主席", (Role.CASEWORKER, org.g1a), (Role.GRASSROOTS_CHAIR, org.g1a)
    )
    own = apply(both, HouseholdFactory(in_file=True, union=org.g1a))
    with pytest.raises(PermissionDenied) as error:
        decide(both, own)
    assert "不能审批自己提交的借款申请" in messages(error)


def test_one_person_cannot_act_at_two_levels(org, caseworker_g1a, chair_g1a, household_g1a):
    MembershipFactory(user=chair_g1a, unit=org.c1, role=Role.COMPANY_REVIEWER)
    loan = decide(chair_g1a, apply(caseworker_g1a, household_g1a))
    with pytest.raises(PermissionDenied) as error:
        decide(chair_g1a, loan)
    assert "两个审批环节" in messages(error)


def test_return_and_reject_need_a_comment(caseworker_g1a, chair_g1a, household_g1a):
    loan = apply(caseworker_g1a, household_g1a)
    with pytest.raises(ValidationError):
        decide(chair_g1a, loan, action="reject")
    loan = decide(chair_g1a, loan, action="return", comment="请补充担保人收入证明。")
    assert loan.state == Loan.State.RETURNED


def test_someone_who_acted_first_is_named(caseworker_g1a, chair_g1a, org, household_g1a):
    from cases import engine
    from loans import approval

    second = person("chair2_g1a", "钱主席", (Role.GRASSROOTS_CHAIR, org.g1a))
    loan = apply(caseworker_g1a, household_g1a)
    decide(chair_g1a, loan)
    with pytest.raises(engine.AlreadyHandled) as error:
        engine.decide(
            chain=approval.LOAN_APPROVAL,
            obj=loan,
            actor=second,
            action="approve",
            expected_state="submitted",
        )
    assert "已由 李主席 于" in messages(error)


# Lending ------------------------------------------------------------------------------------


def test_finance_lends_from_the_loan_fund_through_the_ledger(approved, finance_c1, fund):
    loan = lend(finance_c1, approved, fund, on=months_ago(1))
    assert loan.state == Loan.State.CURRENT
    entry = loan.disbursement
    assert entry.kind == LedgerEntry.Kind.LOAN_OUT and entry.amount == Decimal("-6000")
    assert entry.payee_name == "张建国" and entry.household is None
    assert entry.aid_type == AidType.LOAN and entry.row_hash
    assert balance_of(fund) == Decimal("44000") == ledger_sum(fund)
    dues = list(loan.installments.values_list("due_on", "amount"))
    assert len(dues) == 6 and sum(a for _d, a in dues) == Decimal("6000")
    assert dues[0][0] == months_ago(0) or dues[0][0] > months_ago(1)


def test_a_loan_repaid_at_term_has_one_installment_with_the_interest_policy(
    caseworker_g1a, chair_g1a, reviewer_c1, committee_c1, finance_c1, fund, household_g1a
):
    PolicyParameterFactory(key=PolicyParameter.Key.LOAN_ANNUAL_RATE, value=Decimal("6"))
    loan = apply(caseworker_g1a, household_g1a, amount="10000", term=12, schedule="at_term")
    loan = lend(finance_c1, approve_all(loan, chair_g1a, reviewer_c1, committee_c1), fund)
    (only,) = loan.installments.all()
    assert only.amount == Decimal("10600.00")
    assert only.due_on.year == today().year + 1


def test_a_fund_that_does_not_lend_cannot_lend(approved, finance_c1, org):
    aid_fund = make_fund(org.c1, name="帮扶资金")
    receive(finance_c1, aid_fund, "10000", on=months_ago(1))
    with pytest.raises(ledger.PaymentRefused) as error:
        lend(finance_c1, approved, aid_fund)
    assert "专款专用" in messages(error)


def test_lending_beyond_the_balance_is_refused(approved, finance_c1, org):
    small = loan_fund(finance_c1, org.c1, amount="5000", name="小额循环金")
    with pytest.raises(ledger.PaymentRefused) as error:
        lend(finance_c1, approved, small)
    assert "保持资金平衡" in messages(error)
    assert balance_of(small) == Decimal("5000")


def test_only_an_approved_loan_is_lent_and_only_by_finance(
    caseworker_g1a, committee_c1, finance_c1, fund, org
):
    waiting = apply(caseworker_g1a, HouseholdFactory(in_file=True, union=org.g1a))
    with pytest.raises(ValidationError) as error:
        lend(finance_c1, waiting, fund)
    assert "经党政班子会审定" in messages(error)
    with pytest.raises(PermissionDenied):
        lend(committee_c1, waiting, fund)


def test_a_household_that_left_the_file_is_not_lent_to(approved, finance_c1, fund, household_g1a):
    from households.models import Household

    Household.objects.filter(pk=household_g1a.pk).update(
        status=Household.Status.EXITED, exited_on=months_ago(2), status_reason="再就业"
    )
    with pytest.raises(ledger.PaymentRefused) as error:
        lend(finance_c1, approved, fund)
    assert "先建档、后帮扶" in messages(error)


# Repaying -----------------------------------------------------------------------------------


def test_a_repayment_larger_than_what_is_owed_is_refused(current, finance_c1, fund):
    with pytest.raises(ValidationError) as error:
        repay(finance_c1, current, "6000.01")
    assert "超过未还金额 6,000.00 元" in messages(error)
    assert not current.repayments.exists()
    assert balance_of(fund) == Decimal("44000")


def test_repayments_come_back_into_the_fund_until_the_loan_is_repaid(current, finance_c1, fund):
    repay(finance_c1, current, "2500", on=months_ago(1))
    repay(finance_c1, current, "3500")
    current.refresh_from_db()
    assert current.state == Loan.State.REPAID and current.closed_on == today()
    assert balance_of(fund) == Decimal("50000") == ledger_sum(fund)
    kinds = list(LedgerEntry.objects.filter(fund=fund).values_list("kind", flat=True))
    assert kinds.count(LedgerEntry.Kind.LOAN_REPAYMENT) == 2
    with pytest.raises(ValidationError):
        repay(finance_c1, current, "1")


def test_the_same_repayment_entered_twice_is_refused(current, finance_c1):
    owed = services.owed_now(current)
    repay(finance_c1, current, "1000", expected_outstanding=owed)
    with pytest.raises(ValidationError) as error:
        repay(finance_c1, current, "1000", expected_outstanding=owed)
    assert "避免重复登记" in messages(error) and "吴会计" in messages(error)
    assert current.repayments.count() == 1


def test_loan_rows_are_not_reversed_in_the_ledger(current, finance_c1):
    with pytest.raises(ValidationError) as error:
        ledger.entry_reverse(actor=finance_c1, entry=current.disbursement, reason="错")
    assert "不能冲销" in messages(error)


# Overdue, second loans, deferral and write-off --------------------------------------------


def test_overdue_days_count_from_the_oldest_unpaid_installment(current, finance_c1):
    first_due = current.installments.get(number=1).due_on
    now = standing.standing(current, today())
    assert now.days_late == (today() - first_due).days > 60
    assert now.overdue_amount == Decimal("3000")
    repay(finance_c1, current, "1000")
    second_due = current.installments.get(number=2).due_on
    assert standing.standing(current, today()).days_late == (today() - second_due).days


def test_a_second_loan_while_one_is_overdue_is_refused_unless_the_committee_decides(
    current, caseworker_g1a, chair_g1a, reviewer_c1, committee_c1, household_g1a
):
    with pytest.raises(ValidationError) as error:
        apply(caseworker_g1a, household_g1a)
    assert "逾期未还" in messages(error) and current.number in messages(error)
    with pytest.raises(ValidationError):
        apply(caseworker_g1a, household_g1a, overdue_override=True)  # no reason given
    second = apply(
        caseworker_g1a, household_g1a, overdue_override=True, override_reason="扩大经营可还旧款"
    )
    second = approve_all(second, chair_g1a, reviewer_c1, committee_c1)
    assert second.state == Loan.State.APPROVED
    committee = second.trail.get(step="company_verified")
    assert committee.digest == LoanDecision.digest_of(second)  # the flag is in what they approved


def test_the_committee_cannot_approve_a_loan_when_an_overdue_one_arose_meanwhile(
    current, caseworker_g1a, chair_g1a, reviewer_c1, committee_c1, household_g1a, finance_c1
):
    repay(finance_c1, current, "4000")  # nothing overdue now
    second = apply(caseworker_g1a, household_g1a, amount="1000")
    second = decide(reviewer_c1, decide(chair_g1a, second))
    current.installments.filter(number=5).update(due_on=months_ago(1))  # now one is late again
    with pytest.raises(ValidationError) as error:
        decide(committee_c1, second)
    assert "特别决定" in messages(error)


def test_a_deferral_is_decided_by_the_committee_and_moves_what_is_unpaid(
    current, caseworker_g1a, committee_c1, finance_c1
):
    repay(finance_c1, current, "1000")
    before = dict(current.installments.values_list("number", "due_on"))
    motion = propose(caseworker_g1a, current, Motion.Kind.DEFERRAL, months=6, reason="店面拆迁")
    with pytest.raises(PermissionDenied):
        decide_motion(caseworker_g1a, motion)
    with pytest.raises(PermissionDenied):
        decide_motion(finance_c1, motion)
    decide_motion(committee_c1, motion)
    after = dict(current.installments.values_list("number", "due_on"))
    assert after[1] == before[1]
    assert all(after[n] > before[n] for n in range(2, 7))
    assert not standing.standing(current, today()).is_overdue
    assert current.trail.filter(motion=motion).count() == 2


def test_a_write_off_is_never_one_persons_decision(current, finance_c1, committee_c1, org, fund):
    both = person(
        "finance_committee_c1", "吕兼职", (Role.FINANCE, org.c1), (Role.COMMITTEE, org.c1)
    )
    motion = propose(both, current)
    with pytest.raises(PermissionDenied) as error:
        decide_motion(both, motion)
    assert "不能审定自己提出的" in messages(error)
    current.refresh_from_db()
    assert current.state == Loan.State.CURRENT
    decide_motion(committee_c1, motion)
    current.refresh_from_db()
    assert current.state == Loan.State.WRITTEN_OFF and current.written_off == Decimal("6000")
    assert balance_of(fund) == Decimal("44000")  # the money lent is gone, no row is written


def test_a_motion_needs_a_reason_and_one_at_a_time(current, caseworker_g1a):
    with pytest.raises(ValidationError):
        propose(caseworker_g1a, current, reason=" ")
    with pytest.raises(ValidationError):
        propose(caseworker_g1a, current, Motion.Kind.DEFERRAL, months=None)
    propose(caseworker_g1a, current)
    with pytest.raises(ValidationError):
        propose(caseworker_g1a, current)


# The books ----------------------------------------------------------------------------------


def test_the_year_closing_counts_loans_lent_and_repaid(org, finance_c1, approved):
    last_year = today().year - 1
    fund = make_fund(org.c1, name="往年借款资金", year=last_year, aid_types=[AidType.LOAN])
    receive(finance_c1, fund, "20000", on=datetime.date(last_year, 1, 8))
    loan = lend(finance_c1, approved, fund, on=datetime.date(last_year, 6, 1))
    repay(finance_c1, loan, "1000", on=datetime.date(last_year, 7, 1))
    figures = closing.year_figures(fund, last_year)
    assert figures.receipts == Decimal("21000") and figures.payments == Decimal("-6000")
    done = closing.year_close(actor=finance_c1, fund=fund, year=last_year)
    assert done.closing == Decimal("15000") == balance_of(fund)


def test_a_loan_fund_cannot_pay_aid(finance_c1, fund, org, household_g1a):
    from fundkit import approve, new_plan, submit

    plan = approve(
        submit(new_plan(finance_c1, fund, org.c1, aid_type=AidType.LOAN, pay_on=today())),
        person("committee2_c1", "冯委员", (Role.COMMITTEE, org.c1)),
    )
    from funds import plans

    with pytest.raises(ledger.PaymentRefused) as error:
        plans.plan_post(actor=finance_c1, plan=plan)
    assert "小额借款不是帮扶发放" in messages(error)


def test_the_figures_count_each_state(
    current, finance_c1, caseworker_g1a, chair_g1a, reviewer_c1, committee_c1, org, fund
):
    repay(finance_c1, current, "1000")  # the oldest unpaid installment is two months late
    other = HouseholdFactory(in_file=True, union=org.g1a)
    repaid = lend(
        finance_c1,
        approve_all(
            apply(caseworker_g1a, other, amount="1200", term=2),
            chair_g1a,
            reviewer_c1,
            committee_c1,
        ),
        fund,
        on=months_ago(3),
    )
    for line in repaid.installments.all():
        repay(finance_c1, repaid, line.amount, on=line.due_on)
    figures = selectors.loan_figures(Loan.objects.all(), on=today())
    assert (figures.granted, figures.granted_amount) == (2, Decimal("7200"))
    assert (figures.repaid, figures.repaid_on_time) == (1, 1)
    assert figures.overdue == 1 and figures.outstanding == Decimal("5000")
    assert sum(band.loans for band in figures.bands) == 1
    assert figures.bands[1].loans == 1  # 31-90 days: the oldest installment is three months late
    assert figures.default_rate == 0


def test_the_loan_decisions_are_a_chain_verify_integrity_walks(current, committee_c1):
    from audit.registry import installed_chains

    (chain,) = [c for c in installed_chains() if c.name == LoanDecision.CHAIN]
    assert hash_chain.verify(chain.rows(), chain.content_of).ok
    LoanDecision.objects.filter(step="company_verified").update(comment="改过的意见")
    walk = hash_chain.verify(chain.rows(), chain.content_of)
    assert [p.kind for p in walk.problems] == ["content"]
