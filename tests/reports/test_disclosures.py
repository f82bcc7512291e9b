"""Open books (账务公开): the figures reconcile with the ledger to the cent, a disclosure is
published only through the committee and only while every figure still agrees with the
ledger, a published disclosure never changes (service and database), corrections are new
versions, and nobody decides their own draft.

The ledger is the scenario of tests/reports/conftest.py: C1's funds (fund_a at C1, fund_b at
G1a) in 2025 are the disclosure's scope."""

import datetime
from decimal import Decimal

import pytest
from disclosurekit import approve, disclosure_at
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from factories import MembershipFactory, UserFactory
from reportkit import YEAR, D, pay

from audit import consistency
from audit.services import verify_integrity
from funds.models import AidType, LedgerEntry
from hardship.models import Role
from reports import disclosure_figures as figures
from reports import disclosures
from reports.annual import annual_report
from reports.disclosure_access import disclosures_visible_to
from reports.disclosure_models import Disclosure, DisclosureDecision

pytestmark = pytest.mark.django_db

END = datetime.date(YEAR, 12, 31)
State = Disclosure.State


def table(snapshot, name, key) -> dict:
    return {
        row[key]: (row["amount"], row["households"], row["person_times"]) for row in snapshot[name]
    }


# --- figures ----------------------------------------------------------------------------


def test_figures_of_the_year_are_the_ledger_to_the_cent(org, ledger):
    """Written out by hand from the scenario: 2024 left 48,500 in fund_a; 2025 received
    30,000.50 (group; the 1,000 received wrongly was reversed) and 8,000 (central), paid
    3,200.50 emergency, 3,000 medical, 1,200 festival, and 800 living reversed."""
    snapshot = figures.compute(org.c1, YEAR, END)
    assert snapshot["opening"] == "48500.00"
    assert snapshot["receipts"] == [
        {"source": "central", "amount": "8000.00"},
        {"source": "group", "amount": "30000.50"},
    ]
    assert snapshot["receipts_total"] == "38000.50"
    assert table(snapshot, "by_aid_type", "aid_type") == {
        AidType.EMERGENCY: ("3200.50", 2, 2),
        AidType.MEDICAL: ("3000.00", 1, 1),
        AidType.LIVING: ("0.00", 0, 0),
        AidType.FESTIVAL: ("1200.00", 2, 2),
    }
    assert (snapshot["payments_total"], snapshot["households"], snapshot["person_times"]) == (
        "7400.50",
        3,
        5,
    )
    assert snapshot["closing"] == "79100.00"
    funds = {row["fund"]: (row["opening"], row["closing"]) for row in snapshot["funds"]}
    assert funds == {
        ledger.fund_a.pk: ("48500.00", "72300.00"),
        ledger.fund_b.pk: ("0.00", "6800.00"),
    }
    assert figures.adds_up(snapshot)


@pytest.mark.parametrize("scope", ["fed", "c1", "g1a", "g1b", "c2"])
def test_figures_agree_with_the_annual_report_and_the_rows(org, ledger, scope):
    """For every scope: the annual report's figures (reports.annual, itself reconciled with
    the rows in test_annual), and the closing balance as the sum of every row up to the end."""
    unit = getattr(org, scope)
    snapshot = figures.compute(unit, YEAR, END)
    report = annual_report(YEAR, unit)
    assert D(snapshot["opening"]) == report.opening
    assert D(snapshot["closing"]) == report.closing
    assert D(snapshot["receipts_total"]) == report.receipts_total - report.receipt_reversals
    assert D(snapshot["payments_total"]) == report.net_paid
    assert snapshot["households"] == report.households_helped
    assert snapshot["person_times"] == report.person_times
    labels = dict(AidType.choices)
    assert {
        str(labels[row["aid_type"]]): (D(row["amount"]), row["households"], row["person_times"])
        for row in snapshot["by_aid_type"]
    } == {row.label: (row.net, row.households, row.person_times) for row in report.by_aid_type}
    rows_up_to_end = LedgerEntry.objects.filter(
        fund__unit__path__startswith=unit.path, posted_on__lte=END
    )
    assert D(snapshot["closing"]) == sum((e.amount for e in rows_up_to_end), Decimal("0"))
    assert figures.adds_up(snapshot)


def test_every_payment_is_under_one_plan_or_outside_plans(org, ledger):
    snapshot = figures.compute(org.c1, YEAR, END)
    by_plan = sum(D(row["amount"]) for row in snapshot["by_plan"])
    outside = sum(D(row["amount"]) for row in snapshot["outside_plans"])
    assert by_plan + outside == D(snapshot["payments_total"])
    # reportkit pays through a plan per date and aid type: five plans in C1's 2025
    assert {row["name"] for row in snapshot["by_plan"]} == {
        "2025年03月临时救助",
        "2025年05月医疗救助",
        "2025年06月节日慰问金",
        "2025年09月生活救助",
    }


def test_a_cut_off_counts_a_payment_reversed_after_it_as_standing(org, ledger):
    """To 5 September the 800 living payment of 1 September stands (reversed on the 10th)."""
    snapshot = figures.compute(org.c1, YEAR, datetime.date(YEAR, 9, 5))
    assert table(snapshot, "by_aid_type", "aid_type")[AidType.LIVING] == ("800.00", 1, 1)
    assert (snapshot["payments_total"], snapshot["person_times"]) == ("8200.50", 6)


def test_the_snapshot_holds_no_personal_data(org, ledger):
    text = str(figures.compute(org.c1, YEAR, END))
    for household in (ledger.h1, ledger.h2, ledger.h3):
        assert household.worker_name not in text
        assert household.file_number not in text


def test_audit_seals_the_snapshot_as_reports_does(org, ledger):
    snapshot = figures.compute(org.c1, YEAR, END)
    assert consistency.snapshot_digest(snapshot) == figures.digest(snapshot)


# --- the flow ---------------------------------------------------------------------------


def test_finance_draws_up_the_committee_approves_finance_publishes(
    org, ledger, finance_c1, committee_c1
):
    disclosure = disclosure_at(State.PUBLISHED, finance_c1, committee_c1, org.c1, YEAR)
    disclosure.refresh_from_db()
    assert (disclosure.state, disclosure.version, disclosure.published_by) == (
        State.PUBLISHED,
        1,
        finance_c1,
    )
    trail = list(disclosure.decisions.values_list("action", "actor__username", "snapshot_digest"))
    assert [(action, who) for action, who, _d in trail] == [
        ("submit", "finance_c1"),
        ("approve", "committee_c1"),
        ("publish", "finance_c1"),
    ]
    assert {digest for _a, _w, digest in trail} == {disclosure.digest}
    run = verify_integrity()
    assert run.ok, run.report
    assert "账务公开：1 份的公开数据与校验值一致。" in run.report


def test_publishing_refuses_a_figure_the_ledger_no_longer_shows_and_names_it(
    org, ledger, finance_c1, committee_c1
):
    disclosure = disclosure_at(State.APPROVED, finance_c1, committee_c1, org.c1, YEAR)
    # A late payment dated in the year, posted after the committee approved.
    pay(
        finance_c1,
        ledger.fund_a,
        [(ledger.h1, "250.25")],
        AidType.MEDICAL,
        datetime.date(YEAR, 12, 20),
    )
    with pytest.raises(ValidationError) as refused:
        disclosures.disclosure_publish(actor=finance_c1, disclosure=disclosure)
    message = " ".join(refused.value.messages)
    assert "“帮扶支出合计”公开稿为 7,400.50，按台账重算为 7,650.75" in message
    assert "“期末余额”公开稿为 79,100.00，按台账重算为 78,849.75" in message
    assert "“医疗救助·金额”公开稿为 3,000.00，按台账重算为 3,250.25" in message
    # Five figures are named, the rest counted (the new plan's row, each fund, …).
    assert "另有 6 项不一致" in message
    disclosure.refresh_from_db()
    assert (disclosure.state, disclosure.published_at) == (State.APPROVED, None)
    assert not disclosure.decisions.filter(action="publish").exists()

    # Recomputed, it is a draft again: the committee approved other figures.
    disclosure = disclosures.disclosure_recompute(actor=finance_c1, disclosure=disclosure)
    assert (disclosure.state, disclosure.snapshot["payments_total"]) == (State.DRAFT, "7650.75")
    disclosures.disclosure_submit(actor=finance_c1, disclosure=disclosure)
    approve(disclosure, committee_c1)
    disclosure = disclosures.disclosure_publish(actor=finance_c1, disclosure=disclosure)
    assert disclosure.state == State.PUBLISHED


def test_the_committee_cannot_approve_figures_the_ledger_no_longer_shows(
    org, ledger, finance_c1, committee_c1
):
    disclosure = disclosure_at(State.SUBMITTED, finance_c1, committee_c1, org.c1, YEAR)
    pay(
        finance_c1,
        ledger.fund_a,
        [(ledger.h1, "250.25")],
        AidType.MEDICAL,
        datetime.date(YEAR, 12, 20),
    )
    with pytest.raises(ValidationError, match="帮扶支出合计"):
        approve(disclosure, committee_c1)
    disclosure.refresh_from_db()
    assert disclosure.state == State.SUBMITTED
    assert not disclosure.decisions.filter(action="approve").exists()


def test_submitting_refuses_figures_the_ledger_no_longer_shows(org, ledger, finance_c1):
    disclosure = disclosures.disclosure_draw_up(actor=finance_c1, unit=org.c1, year=YEAR)
    pay(
        finance_c1,
        ledger.fund_b,
        [(ledger.h2, "100")],
        AidType.FESTIVAL,
        datetime.date(YEAR, 12, 1),
    )
    with pytest.raises(ValidationError, match="节日慰问金·金额"):
        disclosures.disclosure_submit(actor=finance_c1, disclosure=disclosure)
    assert Disclosure.objects.get(pk=disclosure.pk).state == State.DRAFT


def test_a_disclosure_is_published_only_once_approved(org, ledger, finance_c1):
    disclosure = disclosures.disclosure_draw_up(actor=finance_c1, unit=org.c1, year=YEAR)
    with pytest.raises(ValidationError, match="须经党政班子会审定"):
        disclosures.disclosure_publish(actor=finance_c1, disclosure=disclosure)
    disclosures.disclosure_submit(actor=finance_c1, disclosure=disclosure)
    with pytest.raises(ValidationError, match="须经党政班子会审定"):
        disclosures.disclosure_publish(actor=finance_c1, disclosure=disclosure)


def test_the_committee_returns_with_a_reason_and_finance_resubmits(
    org, ledger, finance_c1, committee_c1
):
    disclosure = disclosure_at(State.SUBMITTED, finance_c1, committee_c1, org.c1, YEAR)
    with pytest.raises(ValidationError, match="必须填写意见"):
        disclosures.disclosure_decide(
            actor=committee_c1,
            disclosure=disclosure,
            action="return",
            expected_state=State.SUBMITTED,
        )
    disclosures.disclosure_decide(
        actor=committee_c1,
        disclosure=disclosure,
        action="return",
        expected_state=State.SUBMITTED,
        comment="请补充截止日期说明。",
    )
    disclosure = disclosures.disclosure_submit(actor=finance_c1, disclosure=disclosure)
    assert disclosure.state == State.SUBMITTED


# --- separation of duties ---------------------------------------------------------------


def test_nobody_approves_their_own_draft(org, ledger, finance_c1):
    """One person on the committee and in finance of C1 draws up: the committee refuses them."""
    both = UserFactory(username="finance_committee_c1", full_name="双岗")
    MembershipFactory(user=both, unit=org.c1, role=Role.FINANCE)
    MembershipFactory(user=both, unit=org.c1, role=Role.COMMITTEE)
    disclosure = disclosure_at(State.SUBMITTED, both, None, org.c1, YEAR)
    with pytest.raises(PermissionDenied, match="不能审定自己编制或提交"):
        approve(disclosure, both)
    # Nor may they approve one another finance officer drew up but they submitted.
    other = disclosures.disclosure_draw_up(actor=finance_c1, unit=org.c1, year=YEAR - 1)
    disclosures.disclosure_submit(actor=both, disclosure=other)
    with pytest.raises(PermissionDenied, match="不能审定自己编制或提交"):
        approve(other, both)


def test_only_the_committee_above_decides(org, ledger, finance_c1, reviewer_c1, auditor_fed):
    disclosure = disclosure_at(State.SUBMITTED, reviewer_c1, None, org.g1a, YEAR)
    for user in (finance_c1, reviewer_c1, auditor_fed):
        with pytest.raises(PermissionDenied, match="党政班子会审定"):
            approve(disclosure, user)


def test_drawing_up_is_for_finance_and_the_reviewer_in_scope(
    org, ledger, committee_c1, auditor_fed, caseworker_g1a, finance_c1
):
    for user in (committee_c1, auditor_fed, caseworker_g1a):
        with pytest.raises(PermissionDenied):
            disclosures.disclosure_draw_up(actor=user, unit=org.c1, year=YEAR)
    with pytest.raises(PermissionDenied):  # another company's books
        disclosures.disclosure_draw_up(actor=finance_c1, unit=org.c2, year=YEAR)
    with pytest.raises(PermissionDenied):  # a federation holds no funds: its companies disclose
        disclosures.disclosure_draw_up(actor=finance_c1, unit=org.fed, year=YEAR)


# --- bad input --------------------------------------------------------------------------


def test_bad_periods_are_refused_in_chinese(org, ledger, finance_c1):
    this_year = datetime.date.today().year
    with pytest.raises(ValidationError, match="不能公开尚未开始的年度"):
        disclosures.disclosure_draw_up(actor=finance_c1, unit=org.c1, year=this_year + 1)
    with pytest.raises(ValidationError, match="截止日期须在 2025 年之内"):
        disclosures.disclosure_draw_up(
            actor=finance_c1, unit=org.c1, year=YEAR, period_end=datetime.date(YEAR + 1, 1, 1)
        )
    assert not Disclosure.objects.exists()


def test_one_disclosure_on_its_way_per_unit_and_year(org, ledger, finance_c1, reviewer_c1):
    disclosures.disclosure_draw_up(actor=finance_c1, unit=org.c1, year=YEAR)
    with pytest.raises(ValidationError, match="已有一份尚未公布的账务公开"):
        disclosures.disclosure_draw_up(actor=reviewer_c1, unit=org.c1, year=YEAR)
    assert Disclosure.objects.count() == 1


# --- immutability and versions ----------------------------------------------------------


@pytest.fixture
def published(org, ledger, finance_c1, committee_c1):
    return disclosure_at(State.PUBLISHED, finance_c1, committee_c1, org.c1, YEAR)


def test_the_service_refuses_to_change_a_published_disclosure(published, finance_c1):
    for service in (
        disclosures.disclosure_recompute,
        disclosures.disclosure_submit,
        disclosures.disclosure_publish,
    ):
        with pytest.raises(ValidationError, match="已公布，不能再改动"):
            service(actor=finance_c1, disclosure=published)


def test_the_database_refuses_to_change_or_delete_a_published_disclosure(published):
    statements = [
        ("UPDATE reports_disclosure SET snapshot = '{}'::jsonb WHERE id = %s", [published.pk]),
        ("UPDATE reports_disclosure SET state = 'draft' WHERE id = %s", [published.pk]),
        ("DELETE FROM reports_disclosure WHERE id = %s", [published.pk]),
    ]
    for sql, params in statements:
        with pytest.raises(DatabaseError, match="published and cannot change"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
    with pytest.raises(DatabaseError, match="published and cannot change"):
        with transaction.atomic():
            Disclosure.objects.filter(pk=published.pk).update(correction_note="改")
    published.refresh_from_db()
    assert published.state == State.PUBLISHED


def test_the_database_publishes_only_the_approved_figures(org, ledger, finance_c1, committee_c1):
    approved = disclosure_at(State.APPROVED, finance_c1, committee_c1, org.c1, YEAR)
    with pytest.raises(DatabaseError, match="only an approved disclosure is published"):
        with transaction.atomic():
            Disclosure.objects.filter(pk=approved.pk).update(
                state="published",
                published_by=finance_c1,
                published_at=approved.computed_at,
                snapshot={**approved.snapshot, "payments_total": "1.00"},
            )


def test_a_changed_snapshot_is_named_by_the_integrity_check(org, ledger, finance_c1):
    draft = disclosures.disclosure_draw_up(actor=finance_c1, unit=org.c1, year=YEAR)
    Disclosure.objects.filter(pk=draft.pk).update(
        snapshot={**draft.snapshot, "payments_total": "1.00"}
    )
    run = verify_integrity()
    assert not run.ok
    assert (
        f"账务公开（id={draft.pk}，2025 年度第 1 版）：公开数据与校验值不一致（被改动）。"
        in run.report
    )
    with pytest.raises(ValidationError, match="校验值不一致"):
        disclosures.disclosure_submit(actor=finance_c1, disclosure=draft)


def test_a_correction_is_a_new_version_and_both_stay_readable(
    published, org, ledger, finance_c1, committee_c1, caseworker_g1a
):
    with pytest.raises(ValidationError) as refused:
        disclosures.disclosure_draw_up(actor=finance_c1, unit=org.c1, year=YEAR)
    assert "correction_note" in refused.value.message_dict
    second = disclosure_at(
        State.PUBLISHED,
        finance_c1,
        committee_c1,
        org.c1,
        YEAR,
        correction_note="第 1 版漏列一笔医疗救助。",
    )
    assert (second.version, second.supersedes_id) == (2, published.pk)
    seen = {d.pk: (d.version, d.superseded) for d in disclosures_visible_to(caseworker_g1a)}
    assert seen == {published.pk: (1, True), second.pk: (2, False)}
    published.refresh_from_db()
    assert published.state == State.PUBLISHED  # the first version is left as it was
    third = disclosures.disclosure_draw_up(
        actor=finance_c1, unit=org.c1, year=YEAR, correction_note="再次更正。"
    )
    assert (third.version, third.supersedes_id) == (3, second.pk)


def test_a_rejected_draft_leaves_the_way_open(org, ledger, finance_c1, committee_c1):
    disclosure = disclosure_at(State.SUBMITTED, finance_c1, committee_c1, org.c1, YEAR)
    disclosures.disclosure_decide(
        actor=committee_c1,
        disclosure=disclosure,
        action="reject",
        expected_state=State.SUBMITTED,
        comment="数据口径有误。",
    )
    again = disclosures.disclosure_draw_up(actor=finance_c1, unit=org.c1, year=YEAR)
    assert again.version == 1
    assert DisclosureDecision.objects.filter(disclosure=disclosure, action="reject").exists()
