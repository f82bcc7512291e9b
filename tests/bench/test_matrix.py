"""The benchmark times every page of the authorisation matrix on the bench data, as the
first bench user who may see it, and says why for every URL it does not time."""

import io

import pytest
from django.core.management import call_command
from securitykit import named_routes

from bank.models import PaymentBatch
from bench import matrix
from cases.models import Appeal, Application
from casework.models import VisitRound
from crosscheck.models import OutsideList
from employment.models import Course
from evaluation.models import Survey
from funds.models import DistributionPlan, LedgerEntry
from households.models import Household
from intake.models import Contact
from loans.models import Loan
from reports.disclosure_models import Disclosure
from reports.models import Job

pytestmark = pytest.mark.django_db


def test_every_url_of_the_matrix_is_timed_or_says_why_not():
    call_command("generate_bench_data", households=40, years=1, seed=5, stdout=io.StringIO())
    tables = [Household, Application, LedgerEntry, Job, Contact, VisitRound, Survey]
    tables += [DistributionPlan, PaymentBatch, Loan, Appeal, Disclosure, OutsideList, Course]
    before = [model.objects.count() for model in tables]

    results = matrix.walk(1)

    assert set(results) == {route.name for route in named_routes()}
    # The widest reader first; a page only a registry writer opens, as the first who may.
    assert results["household_list"]["as"] == "bench_auditor"
    assert results["household_create"]["as"] == "b0_company_reviewer"
    assert results["household_detail"]["as"] == "bench_auditor"
    assert results["evidence_download"] == {"not_measured": "no evidence in the bench data"}
    # A form that answers only POST says so, now that its record is made.
    assert results["plan_objection_resolve"] == {
        "not_measured": "not an HTML page for any bench user"
    }
    assert results["healthz"] == {"not_measured": "not an HTML page for any bench user"}
    # The records of a file's everyday work are made for the walk (bench/records.py).
    for made in ("intake_detail", "legal_aid_detail", "round_detail", "change_detail"):
        assert "p95_ms" in results[made], made
    assert "p95_ms" in results["survey_detail"] and "p95_ms" in results["verification_detail"]
    # And those of money, loans, appeals, open books, employment help and cross-checks.
    for made in (
        "plan_detail",
        "plan_notice_detail",
        "bank_batch_detail",
        "loan_detail",
        "appeal_detail",
        "disclosure_detail",
        "course_detail",
        "crosscheck_list_detail",
        "job_detail",
        "loan_disburse",
        "disclosure_correct",
    ):
        assert "p95_ms" in results[made], made
    timed = [figures for figures in results.values() if "as" in figures]
    assert len(timed) > 60
    assert all(f["queries"] > 0 and f["p95_ms"] >= f["median_ms"] > 0 for f in timed)
    # Every request, and the records made for the walk, rolled back: the data is as generated.
    assert [model.objects.count() for model in tables] == before
