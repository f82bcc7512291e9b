"""Payment verification by sampling: the sample size from confidence and margin (or fixed),
the seed that repeats a draw, the households paid by a plan (reversed payments left out),
the answers with their result rate, a discrepancy that opens a follow-up, and the auditor's
right to draw and record (their audit work) while finance of another company sees nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from factories import HouseholdFactory
from fundkit import (
    ACCOUNT,
    approve,
    make_fund,
    new_plan,
    open_window,
    receive,
    reverse_entry,
    submit,
)

from crosscheck import verification
from crosscheck.models import FollowUp, Verification, VerificationItem
from funds import plans
from intake.models import Contact

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("population", "confidence", "margin", "expected"),
    [(160, "95", "10", 61), (1000, "95", "5", 278), (10, "99", "5", 10), (200, "90", "10", 51)],
)
def test_sample_size_from_confidence_and_margin(population, confidence, margin, expected):
    assert verification.sample_size(population, confidence, Decimal(margin)) == expected


def test_the_same_seed_draws_the_same_households():
    ids = list(range(1, 301))
    first = verification.draw(ids, 20, 12345)
    assert first == verification.draw(list(reversed(ids)), 20, 12345)
    assert first != verification.draw(ids, 20, 54321)
    assert len(set(first)) == 20


@pytest.fixture
def posted_plan(org, finance_c1, committee_c1):
    open_window()
    households = [
        HouseholdFactory(in_file=True, union=org.g1a, bank_account=ACCOUNT) for _ in range(6)
    ]
    fund = make_fund(org.c1)
    receive(finance_c1, fund, "10000")
    plan = approve(submit(new_plan(finance_c1, fund, org.c1)), committee_c1)
    entries = plans.plan_post(actor=finance_c1, plan=plan)
    reverse_entry(finance_c1, entries[0])  # paid back: not asked about
    plan.refresh_from_db()
    return plan, households, entries


def test_a_plan_sample_repeats_with_its_seed_and_leaves_out_reversed_payments(
    posted_plan, finance_c1, auditor_fed
):
    plan, _households, entries = posted_plan
    paid = verification.paid_households(unit=plan.unit, plan=plan)
    assert len(paid) == len(entries) - 1 and entries[0].household_id not in paid
    assert set(paid.values()) == {Decimal("600.00")}
    one = verification.verification_draw(
        actor=finance_c1, unit=plan.unit, plan=plan, fixed_size=3, seed=99
    )
    two = verification.verification_draw(
        actor=auditor_fed, unit=plan.unit, plan=plan, fixed_size=3, seed=99
    )
    households = lambda v: [i.household_id for i in v.items.all()]  # noqa: E731
    assert households(one) == households(two) and len(households(one)) == 3
    assert (one.seed, one.population) == (99, len(paid))
    drawn = verification.verification_draw(
        actor=finance_c1, unit=plan.unit, plan=plan, confidence="95", margin=Decimal("10")
    )
    assert drawn.items.count() == verification.sample_size(len(paid), "95", Decimal("10"))
    assert 0 <= drawn.seed < 2**31


def test_answers_give_the_rate_and_a_discrepancy_opens_a_follow_up(
    client, posted_plan, finance_c1, auditor_fed, caseworker_g1a
):
    plan, *_ = posted_plan
    drawn = verification.verification_draw(
        actor=finance_c1, unit=plan.unit, plan=plan, fixed_size=4, seed=1
    )
    first, second, third, _fourth = drawn.items.all()
    verification.verification_record(
        actor=finance_c1, item=first, result="confirmed", method="phone"
    )
    client.force_login(auditor_fed)  # the auditor records too: audit work
    url = reverse("verification_record", args=[second.pk])
    assert client.post(url, {"result": "confirmed", "method": "visit"}).status_code == 302
    with pytest.raises(ValidationError) as refused:
        verification.verification_record(
            actor=auditor_fed, item=third, result="discrepancy", method="phone"
        )
    assert "请说明情况" in str(refused.value)
    verification.verification_record(
        actor=auditor_fed, item=third, result="discrepancy", method="phone", note="职工称未收到。"
    )
    third.refresh_from_db()
    follow_up = third.follow_up
    assert (follow_up.origin, follow_up.assigned_to, follow_up.household) == (
        FollowUp.Origin.VERIFICATION,
        caseworker_g1a,
        third.household,
    )
    # …and a complaint on the front door's register, about the household's union, with the
    # complaint time limit, that the worker's answer reached the register by.
    complaint = Contact.objects.get(number=third.complaint_number)
    assert (complaint.topic, complaint.channel, complaint.household) == (
        "complaint",
        "referral",
        third.household,
    )
    assert complaint.about_unit == third.household.union and complaint.unit is not None
    assert "职工称未收到。" in complaint.summary and f"第{drawn.pk}号" in complaint.referred_by
    assert verification.results(drawn) == {
        "total": 4,
        "recorded": 3,
        "confirmed": 2,
        "discrepancies": 1,
        "rate": Decimal("66.7"),
    }
    page = client.get(drawn.get_absolute_url()).content.decode()
    assert "66.7%" in page and drawn.seed and str(drawn.seed) in page
    with pytest.raises(ValidationError):  # recorded once
        verification.verification_record(
            actor=finance_c1, item=first, result="discrepancy", method="visit", note="改口"
        )


def test_a_year_sample_and_its_page_for_finance_and_auditors(
    client, posted_plan, finance_c1, auditor_fed, committee_c1, caseworker_g2a
):
    plan, *_ = posted_plan
    client.force_login(auditor_fed)
    response = client.post(
        reverse("verification_create"),
        {
            "unit": plan.unit.pk,
            "year": plan.pay_on.year,
            "confidence": "95",
            "margin": "10",
            "seed": "42",
        },
    )
    drawn = Verification.objects.get()
    assert response.status_code == 302 and response["Location"] == drawn.get_absolute_url()
    assert (drawn.year, drawn.plan, drawn.seed, drawn.drawn_by) == (
        plan.pay_on.year,
        None,
        42,
        auditor_fed,
    )
    for user in (committee_c1, caseworker_g2a):
        client.force_login(user)
        assert client.get(drawn.get_absolute_url()).status_code == 404
        assert (
            client.post(
                reverse("verification_create"),
                {"unit": plan.unit.pk, "year": 2026, "fixed_size": 1},
            ).status_code
            == 403
        )
    with pytest.raises(PermissionDenied):
        verification.verification_draw(actor=committee_c1, unit=plan.unit, year=2026, fixed_size=1)


def test_nothing_paid_nothing_to_draw(org, finance_c1):
    with pytest.raises(ValidationError) as refused:
        verification.verification_draw(actor=finance_c1, unit=org.c1, year=2001, fixed_size=5)
    assert "没有发放记录" in refused.value.messages[0]
    assert not VerificationItem.objects.exists()
