"""Who may produce the annual report and for which scope; the roster's access; long exports
as background jobs with a progress page and a download only for the person who asked."""

import gzip
import io
import uuid

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook
from reportkit import SHEETS, YEAR

from reports import annual
from reports.models import Job

pytestmark = pytest.mark.django_db

REPORTERS = ["auditor_fed", "committee_c1", "reviewer_c1", "finance_c1"]
NOT_REPORTERS = ["caseworker_g1a", "chair_g1a", "worker_g1a", "admin_fed", "outsider"]
ANNUAL_URLS = ["annual_report", "annual_report_xlsx", "annual_report_pdf"]


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def page(response) -> str:
    return response.content.decode()


# The annual report page: who and which scope -----------------------------------------------


@pytest.mark.parametrize("who", REPORTERS)
def test_reporter_can_open_the_annual_report_of_their_scope(client, request, org, ledger, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse("annual_report"), {"year": YEAR, "unit": org.c1.pk})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.unit == org.c1 and report.year == YEAR
    html = page(response)
    assert "年度帮扶资金使用情况" in html and "资金收支总览" in html
    assert "79,100.00" in html  # the closing balance
    tables = html.split("资金收支总览", 1)[1]  # the report, below the year/unit picker
    assert "化工车间工会" not in tables  # the other company's payments
    # The export links carry the same year and unit.
    assert f"{reverse('annual_report_xlsx')}?year={YEAR}&amp;unit={org.c1.pk}" in html
    assert f"{reverse('annual_report_pdf')}?year={YEAR}&amp;unit={org.c1.pk}" in html


def test_reporter_naming_only_the_year_gets_their_own_unit(client, org, ledger, finance_c1):
    client.force_login(finance_c1)
    response = client.get(reverse("annual_report"), {"year": YEAR})
    report = response.context["report"]
    assert (report.unit, report.year) == (org.c1, YEAR)
    assert f"{reverse('annual_report_xlsx')}?year={YEAR}&amp;unit={org.c1.pk}" in page(response)


def test_reporter_is_told_which_field_is_wrong_in_words(client, org, finance_c1):
    client.force_login(finance_c1)
    response = client.get(reverse("annual_report"), {"year": "二〇二五"})
    assert response.context["report"] is None
    assert "<div>年度：输入整数。</div>" in page(response)  # the label, not the field's name
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = page(client.get(reverse("annual_report"), {"year": "二〇二五"}))
    assert "<div>Year: Enter a whole number.</div>" in english


@pytest.mark.parametrize("who", ["committee_c1", "reviewer_c1", "finance_c1"])
def test_company_reporter_can_choose_only_units_of_their_company(client, request, org, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("annual_report"))
    assert response.status_code == 200
    choices = set(response.context["form"].fields["unit"].queryset)
    assert choices == {org.c1, org.g1a, org.g1b}
    assert response.context["report"].unit == org.c1  # the default: the top of their scope


def test_auditor_can_report_on_the_whole_tree_and_on_another_company(
    client, org, ledger, auditor_fed
):
    client.force_login(auditor_fed)
    default = client.get(reverse("annual_report"))
    assert default.context["report"].unit == org.fed
    response = client.get(reverse("annual_report"), {"year": YEAR, "unit": org.c2.pk})
    assert response.context["report"].unit == org.c2
    assert "化工车间工会" in page(response) and "24,100.00" in page(response)


@pytest.mark.parametrize("who", ["committee_c1", "reviewer_c1", "finance_c1"])
def test_company_reporter_cannot_report_on_another_company(client, request, org, ledger, who):
    client.force_login(request.getfixturevalue(who))
    query = {"year": YEAR, "unit": org.c2.pk}
    response = client.get(reverse("annual_report"), query)
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "unit" in response.context["form"].errors
    html = page(response)
    assert "化工车间工会" not in html and "24,100.00" not in html and "第二公司社会捐助" not in html
    assert client.get(reverse("annual_report_xlsx"), query).status_code == 404
    assert client.get(reverse("annual_report_pdf"), query).status_code == 404


def test_reporter_cannot_ask_for_a_year_out_of_range(client, org, finance_c1):
    client.force_login(finance_c1)
    response = client.get(reverse("annual_report"), {"year": "1899", "unit": org.c1.pk})
    assert response.context["report"] is None and "year" in response.context["form"].errors
    assert (
        client.get(reverse("annual_report_xlsx"), {"year": "abc", "unit": org.c1.pk}).status_code
        == 404
    )


@pytest.mark.parametrize("url", ANNUAL_URLS)
@pytest.mark.parametrize("who", NOT_REPORTERS)
def test_non_reporter_cannot_produce_the_annual_report(client, request, org, url, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(url), {"year": YEAR, "unit": org.c1.pk}).status_code == 403


@pytest.mark.parametrize("url", [*ANNUAL_URLS, "roster_xlsx", "notice_pdf", "statistics"])
def test_anonymous_cannot_produce_reports_and_is_sent_to_log_in(client, url):
    response = client.get(reverse(url))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_reporter_can_see_the_report_in_the_menu_and_others_cannot(
    client, finance_c1, caseworker_g1a
):
    client.force_login(finance_c1)
    assert reverse("annual_report") in page(client.get(reverse("dashboard")))
    client.force_login(caseworker_g1a)
    assert reverse("annual_report") not in page(client.get(reverse("dashboard")))


# The roster: who ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["worker_g1a", "admin_fed", "outsider"])
def test_worker_cannot_export_the_roster(client, request, org, household_g1a, who):
    """A worker sees their own file, never a list of others; administrators read no files."""
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("roster_xlsx"))
    assert response.status_code == 403
    assert "张建国".encode() not in response.content


# Long work as background jobs -----------------------------------------------------------------


@override_settings(BACKGROUND_THRESHOLD_ROWS=1)
def test_finance_can_export_a_large_annual_report_in_the_background(
    client, org, ledger, finance_c1, immediate_tasks
):
    client.force_login(finance_c1)
    response = client.get(reverse("annual_report_xlsx"), {"year": YEAR, "unit": org.c1.pk})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    assert (job.kind, job.requested_by, job.params) == (
        Job.Kind.ANNUAL_XLSX,
        finance_c1,
        {"year": YEAR, "unit": org.c1.pk},
    )
    # The immediate task backend ran the job inside the request.
    assert job.status == Job.Status.DONE, job.message
    assert job.done == job.total == 11
    assert job.result_name == "第一公司工会-2025年度帮扶资金使用情况.xlsx"

    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert reverse("job_download", args=[job.pk]) in page(detail)
    assert "<html" in page(detail)

    download = client.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    wb = load_workbook(io.BytesIO(body(download)))
    assert wb.sheetnames == SHEETS
    assert wb["汇总"]["A1"].value == "第一公司工会 2025 年度帮扶资金使用情况"
    assert wb["资金台账"].max_row == 1 + 11


@override_settings(BACKGROUND_THRESHOLD_ROWS=1)
def test_an_export_that_fails_half_way_says_so_and_leaves_no_file(
    client, org, ledger, finance_c1, immediate_tasks, monkeypatch
):
    real_rows = annual.ledger_rows

    def rows_then_failure(year, unit):
        yield next(iter(real_rows(year, unit)))
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(annual, "ledger_rows", rows_then_failure)
    client.force_login(finance_c1)
    client.get(reverse("annual_report_xlsx"), {"year": YEAR, "unit": org.c1.pk})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert "server closed the connection" in job.message
    # The export was written to a scratch file, never to the export storage.
    assert (
        not immediate_tasks.EXPORT_DIR.exists() or list(immediate_tasks.EXPORT_DIR.iterdir()) == []
    )
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


@override_settings(BACKGROUND_THRESHOLD_ROWS=1)
def test_caseworker_can_export_a_large_roster_in_the_background(
    client, org, ledger, caseworker_g1a, immediate_tasks
):
    client.force_login(caseworker_g1a)
    response = client.get(reverse("roster_xlsx"), {"category": "near_dibao"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert job.kind == Job.Kind.ROSTER_XLSX
    assert job.params == {"category": "near_dibao", "full": False}
    assert job.status == Job.Status.DONE, job.message
    assert job.total == 2
    download = client.get(reverse("job_download", args=[job.pk]))
    ws = load_workbook(io.BytesIO(body(download))).active
    names = {row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert names == {"张建国", "李秀英"}  # G1a only: G1b and the other company are out of scope


@override_settings(BACKGROUND_THRESHOLD_ROWS=1)
def test_other_user_cannot_see_or_download_someone_elses_job(
    client, org, ledger, finance_c1, committee_c1, immediate_tasks
):
    client.force_login(finance_c1)
    client.get(reverse("annual_report_xlsx"), {"year": YEAR, "unit": org.c1.pk})
    job = Job.objects.get()
    assert job.status == Job.Status.DONE
    client.force_login(committee_c1)  # same company, same report rights: still not their job
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("job_detail", args=[uuid.uuid4()])).status_code == 404


def test_reporter_can_watch_a_queued_job_as_a_status_fragment(client, finance_c1):
    job = Job.objects.create(kind=Job.Kind.ANNUAL_XLSX, requested_by=finance_c1, total=200, done=50)
    client.force_login(finance_c1)
    fragment = client.get(reverse("job_detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    html = page(fragment)
    assert html.lstrip().startswith('<div id="job-status"')
    assert "<html" not in html and "<nav" not in html
    assert 'hx-trigger="every 1s"' in html  # still queued: the fragment keeps polling
    assert "50 / 200" in html and 'value="25"' in html
    # Not done: nothing to download yet.
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404
    full = client.get(reverse("job_detail", args=[job.pk]))
    assert "<html" in page(full) and 'id="job-status"' in page(full)


def test_reporter_can_read_why_a_job_failed(client, finance_c1):
    job = Job.objects.create(
        kind=Job.Kind.ANNUAL_XLSX,
        requested_by=finance_c1,
        status=Job.Status.FAILED,
        message="Unit matching query does not exist.",
    )
    client.force_login(finance_c1)
    html = page(client.get(reverse("job_detail", args=[job.pk]), headers={"HX-Request": "true"}))
    assert "任务失败" in html and "Unit matching query does not exist." in html
    assert "hx-trigger" not in html  # a finished job stops polling


def test_reporter_cannot_download_a_file_outside_the_export_folder(
    client, finance_c1, immediate_tasks, tmp_path
):
    outside = tmp_path / "secret.xlsx"
    outside.write_bytes(b"PK")
    job = Job.objects.create(
        kind=Job.Kind.ANNUAL_XLSX,
        requested_by=finance_c1,
        status=Job.Status.DONE,
        result_file=str(outside),
        result_name="secret.xlsx",
    )
    client.force_login(finance_c1)
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_pages_are_sent_compressed_to_browsers_that_accept_it(client, reviewer_c1):
    client.force_login(reviewer_c1)
    plain = client.get(reverse("statistics"))
    assert "Content-Encoding" not in plain
    packed = client.get(reverse("statistics"), headers={"Accept-Encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert html.startswith("<!DOCTYPE html>") or "<html" in html
    assert len(packed.content) < len(plain.content) / 3
