"""Fixtures for the security tests, on top of the shared org tree (tests/conftest.py), the
approval-chain fixtures (tests/cases/conftest.py, casekit.py) and the funds helpers
(tests/funds/fundkit.py).

`world` is one of everything a URL can point at, all in C1 / G1a:

FED                      auditor_fed (asked for the finished export job), admin_fed
├── C1   reviewer_c1, committee_c1, finance_c1; fund (10,000 received: `entry`),
│        plans drawn up by finance_c1 in three states (draft, submitted, approved)
│   └── G1a  caseworker_g1a, chair_g1a, worker_g1a (own file)
│            household (= household_g1a, with a bank card) and its `evidence`;
│            applications of it waiting at each step: submitted, returned,
│            grassroots_approved (`decision` is the chair's approval), in_notice (its
│            `notice` with an open `objection`) and effective (payable)
└── C2 / G2a  caseworker_g2a: the other union's user
outsider: signed in, no role anywhere.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone
from siblings import borrow

# Reuse the approval-chain fixtures of tests/cases and the helpers of tests/funds.
_cases = borrow("cases", "funds", name="security_case_fixtures")

staff = _cases.staff
app_at = _cases.app_at

from casekit import act  # noqa: E402  (needs tests/cases on sys.path)
from fundkit import (  # noqa: E402
    ACCOUNT,
    approve,
    make_fund,
    new_plan,
    open_window,
    receive,
    set_account,
    submit,
)
from securitykit import ROLES  # noqa: E402

from cases import services as case_services  # noqa: E402
from cases.models import Application, Decision, Notice, Objection  # noqa: E402
from funds.models import DistributionPlan, Fund, LedgerEntry  # noqa: E402
from households.models import Evidence, Household  # noqa: E402
from reports.models import Job  # noqa: E402


@dataclass
class World:
    org: object
    users: dict
    household: Household
    evidence: Evidence
    submitted: Application
    returned: Application
    grassroots_approved: Application
    in_notice: Application
    effective: Application
    decision: Decision
    notice: Notice
    objection: Objection
    fund: Fund
    entry: LedgerEntry
    draft_plan: DistributionPlan
    submitted_plan: DistributionPlan
    approved_plan: DistributionPlan
    job: Job


@pytest.fixture
def world(request, org, settings, tmp_path, app_at, staff, household_g1a, evidence_g1a) -> World:
    users = {role: request.getfixturevalue(role) for role in ROLES}
    household = set_account(household_g1a, ACCOUNT)

    # Effective first: closing its notice would close any other notice already posted.
    effective = app_at("in_notice", amount="3000")
    ends_on = Notice.objects.get(application=effective).ends_on
    case_services.close_due_notices(ends_on + datetime.timedelta(days=1))
    effective.refresh_from_db()
    assert effective.state == Application.State.EFFECTIVE

    submitted = app_at("submitted")
    returned = app_at("submitted")
    act(staff["chair"], returned, "return", "请补充收入证明。")
    returned.refresh_from_db()
    grassroots_approved = app_at("grassroots_approved")
    in_notice = app_at("in_notice")
    notice = Notice.objects.get(application=in_notice)
    objection = case_services.objection_lodge(
        actor=users["caseworker_g1a"], notice=notice, reason="该户新购小汽车。"
    )

    finance = users["finance_c1"]
    open_window()  # fundkit posts on fixed dates in 2026
    # A fund of last year: that year has ended, so its closing page opens for finance.
    fund = make_fund(org.c1, name="集团公司帮扶资金", year=timezone.localdate().year - 1)
    entry = receive(finance, fund, "10000", note="集团公司拨付")
    fund.refresh_from_db()
    draft_plan = new_plan(finance, fund, org.c1, name="草稿方案")
    submitted_plan = submit(new_plan(finance, fund, org.c1, name="已提交方案"))
    approved_plan = approve(
        submit(new_plan(finance, fund, org.c1, name="已审定方案")), users["committee_c1"]
    )

    settings.EXPORT_DIR = tmp_path / "exports"
    settings.EXPORT_DIR.mkdir()
    result = settings.EXPORT_DIR / "roster.xlsx"
    result.write_bytes(b"PK\x03\x04 not really a workbook")
    job = Job.objects.create(
        kind=Job.Kind.ROSTER_XLSX,
        requested_by=users["auditor_fed"],
        status=Job.Status.DONE,
        total=1,
        done=1,
        result_file=str(result),
        result_name="困难职工台账.xlsx",
    )
    return World(
        org=org,
        users=users,
        household=household,
        evidence=evidence_g1a,
        submitted=submitted,
        returned=returned,
        grassroots_approved=grassroots_approved,
        in_notice=in_notice,
        effective=effective,
        decision=grassroots_approved.decisions.get(action=Decision.Action.APPROVE),
        notice=notice,
        objection=objection,
        fund=fund,
        entry=entry,
        draft_plan=draft_plan,
        submitted_plan=submitted_plan,
        approved_plan=approved_plan,
        job=job,
    )
