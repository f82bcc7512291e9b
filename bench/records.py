"""Records the generated data has none of, made for the matrix walk (bench/matrix.py) so
that their pages are timed too: one of each, about a file of the walk's union, through
the services as a person would make them. The walk makes them inside its transaction and
rolls them back with it, so the bench data stays as generated."""

import datetime

from django.db import transaction
from django.utils import timezone

from casework.changes import change_report
from casework.models import ChangeReport
from casework.rounds import round_create
from crosscheck.models import Verification, VerificationItem
from evaluation.models import Survey, SurveyItem
from hardship.models import Role, User
from households.models import Household
from intake import legal, services


def made(union, household: Household) -> dict:
    """The records, by the names the matrix's URL table uses (tests/fixtures/world.py)."""
    caseworker = User.objects.get(memberships__unit=union, memberships__role=Role.CASEWORKER)
    reviewer = User.objects.get(username="b0_company_reviewer")
    company, today = union.parent, timezone.localdate()
    contact = services.contact_record(
        actor=caseworker,
        channel="hotline",
        received_at=timezone.now(),
        topic="help",
        summary="来电询问医疗救助。",
        caller_name=household.worker_name,
        id_number=household.id_number,
        worker_unit=union,
    )
    legal_case = legal.legal_case_open(
        actor=caseworker,
        unit=union,
        worker_name=household.worker_name,
        phone="13800138000",
        matter="wages",
        summary="拖欠工资。",
    )
    visit_round = round_create(
        actor=reviewer,
        unit=company,
        name="春节走访",
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=40),
    )
    report = change_report(
        actor=caseworker,
        household=household,
        kind=ChangeReport.Kind.EMPLOYMENT,
        occurred_on=today,
        description="配偶找到工作。",
    )
    # Samples drawn by the company (随机抽查, 满意度回访), of this one file.
    drawn = {"unit": company, "year": today.year, "seed": 7, "population": 1}
    verification = Verification.objects.create(
        fixed_size=1, drawn_by=User.objects.get(username="b0_finance"), **drawn
    )
    survey = Survey.objects.create(size=1, drawn_by=reviewer, **drawn)
    return {
        "contact": contact,
        "legal_case": legal_case,
        "visit_round": visit_round,
        "change_report": report,
        "verification": verification,
        "verification_item": VerificationItem.objects.create(
            verification=verification, household=household, amount="3000.00"
        ),
        "survey": survey,
        "survey_item": SurveyItem.objects.create(survey=survey, household=household),
    }


def made_for_money(union, household: Household, records: dict) -> dict:
    """The records of money, loans, appeals, open books, employment help and cross-checks,
    made through the test kits' service calls (tests/*kit.py; the matrix's world makes its
    own with the same calls) by the bench's people of the walk's company and union. Nothing
    is written to file storage (no scans, no certificates): the rollback could not undo it."""
    import casekit
    import disclosurekit
    import employkit
    import fundkit
    import loankit

    from bank import services as bank_services
    from bank.examples import add_examples
    from bank.models import BatchTemplate, TemplateColumn
    from cases import appeals
    from crosscheck import outside
    from crosscheck import services as crosscheck_services
    from crosscheck.models import OutsideList
    from employment import services as employment
    from funds import campaign_services
    from funds.models import Fund
    from reports.models import Job

    people = {
        role: User.objects.get(username=name)
        for role, name in (
            ("caseworker", "b0g0_caseworker"),
            ("chair", "b0g0_chair"),
            ("reviewer", "b0_company_reviewer"),
            ("committee", "b0_committee"),
            ("finance", "b0_finance"),
        )
    }
    finance, committee, caseworker = people["finance"], people["committee"], people["caseworker"]
    company, today = union.parent, timezone.localdate()
    fundkit.open_window()  # the kits post on fixed dates of 2026
    fund = fundkit.make_fund(company, name="走查帮扶资金", year=today.year)
    fundkit.receive(finance, fund, "900000000", on=today)
    Fund.objects.filter(pk=fund.pk).update(
        bank_name="中国工商银行",
        account_name="公司工会帮扶资金专户",
        account_number="0200001234567890123",
    )
    fund.refresh_from_db()
    payment = _first_payable(finance, fund, union)
    if not BatchTemplate.objects.exists():  # a test database flushed by an earlier test
        add_examples(BatchTemplate, TemplateColumn)
    batch = bank_services.batch_from_payments(
        actor=finance,
        entries=[payment],
        template=BatchTemplate.objects.order_by("pk").first(),
    )
    # Of the company's 特困 files only: a list of thousands at a million files, drawn up in
    # seconds (every file of a company of that size takes minutes for each plan).
    extreme = {"pay_on": today, "level": "extreme"}
    plan = fundkit.new_plan(finance, fund, company, name="走查方案", **extreme)
    campaign = fundkit.approve(
        fundkit.submit(fundkit.new_campaign(finance, fund, company, **extreme)), committee
    )
    appealed = casekit.file(caseworker, household, amount="800")
    casekit.act(people["chair"], appealed, "reject", "家庭人均收入高于困难标准。")
    deciders = (people["chair"], people["reviewer"], committee)
    loan_fund = loankit.loan_fund(finance, company)
    current_loan = loankit.lend(
        finance, loankit.approve_all(loankit.apply(caseworker, household), *deciders), loan_fund
    )
    # Of working age, as the vacancy asks (18–55): the referrals and the placement are its.
    member = (
        household.members.filter(
            birth_date__range=(
                today.replace(year=today.year - 50),
                today.replace(year=today.year - 20),
            )
        )
        .order_by("pk")
        .first()
    )
    employer, provider = employkit.register(caseworker, union)
    course = employkit.make_course(caseworker, provider)
    outside_list = outside.outside_list_import(
        actor=people["reviewer"],
        kind=OutsideList.Kind.CIVIL,
        source="区民政局",
        list_date=today,
        unit=company,
        file_name="民政名单.csv",
        header=["身份证号", "姓名", "救助类别"],
        rows=[(2, [household.id_number, household.worker_name, "低保"])],
    )
    match_line = outside_list.lines.filter(household=household).get()
    return {
        "batch": batch,
        "draft_plan": plan,
        "campaign": campaign,
        "plan_objection": campaign_services.plan_objection_lodge(
            actor=caseworker, notice=campaign.notice, reason="名单中有已调离职工。"
        ),
        "submitted_plan": fundkit.submit(
            fundkit.new_plan(finance, fund, company, name="走查方案（已提交）", **extreme)
        ),
        "plan_notice": campaign.notice,
        "appeal": appeals.appeal_lodge(
            actor=caseworker, application=appealed, reason="收入认定有误，请求复查。"
        ),
        # Approved before the next applies: a file has one application in process at a time.
        "approved_loan": loankit.approve_all(loankit.apply(caseworker, household), *deciders),
        "loan": loankit.apply(caseworker, household, amount="2000"),
        "current_loan": current_loan,
        "repayment": loankit.repay(finance, current_loan, "500"),
        "loan_motion": loankit.propose(
            caseworker, current_loan, kind="deferral", months=3, reason="店面装修"
        ),
        "draft_disclosure": disclosurekit.disclosure_at(
            "draft", finance, committee, company, today.year
        ),
        "submitted_disclosure": disclosurekit.disclosure_at(
            "submitted", finance, committee, company, today.year - 1
        ),
        "published_disclosure": disclosurekit.disclosure_at(
            "published", finance, committee, company, today.year - 3
        ),
        "course": course,
        "enrolment": employment.enrolment_create(actor=caseworker, member=member, course=course),
        "referral": employkit.refer(caseworker, member, employer),
        "placement": employkit.hire(
            caseworker,
            employkit.refer(
                caseworker, member, employer, vacancy=employkit.make_vacancy(caseworker, employer)
            ),
        ),
        "outside_list": outside_list,
        "match_line": match_line,
        "follow_up": crosscheck_services.line_follow_up(actor=people["reviewer"], line=match_line),
        "job": Job.objects.create(
            kind=Job.Kind.ROSTER_XLSX,
            requested_by=User.objects.get(username="bench_auditor"),
            status=Job.Status.DONE,
            total=1,
            done=1,
            result_name="困难职工台账.xlsx",
        ),
    }


def _first_payable(finance, fund, union):
    """A bank payment of 100 yuan on the first of the union's effective applications with
    that much left to pay (the generated ledger pays some in full)."""
    import fundkit

    from cases.models import Application
    from funds.ledger import PaymentRefused

    for application in Application.objects.filter(union=union, state="effective").order_by("pk"):
        fundkit.set_account(application.household, fundkit.ACCOUNT)
        try:
            with transaction.atomic():
                return fundkit.pay(finance, fund, application, "100", paid_on=timezone.localdate())
        except PaymentRefused:
            continue
    raise LookupError("effective application with money left to pay")
