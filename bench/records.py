"""Records the generated data has none of, made for the matrix walk (bench/matrix.py) so
that their pages are timed too: one of each, about a file of the walk's union, through
the services as a person would make them. The walk makes them inside its transaction and
rolls them back with it, so the bench data stays as generated."""

import datetime

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
