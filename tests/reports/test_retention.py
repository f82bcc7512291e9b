"""Background exports are served only while the user still has the right to what they hold,
are readable by the service account alone, and are deleted after the retention period."""

import datetime
import io
import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from reportkit import YEAR

from hardship.models import Membership, PolicyParameter, Role
from reports import storage
from reports.models import Job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def _annual_job(client, user, unit) -> Job:
    client.force_login(user)
    client.get(reverse("annual_report_xlsx"), {"year": YEAR, "unit": unit.pk})
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.message
    return job


def _roster_job(client, user, **query) -> Job:
    client.force_login(user)
    client.get(reverse("roster_xlsx"), query)
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.message
    return job


def _download(client, job):
    return client.get(reverse("job_download", args=[job.pk]))


def _finished_days_ago(job, days) -> None:
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=days))


@override_settings(BACKGROUND_THRESHOLD_ROWS=1)
def test_download_refused_after_role_removed(client, org, ledger, finance_c1):
    job = _annual_job(client, finance_c1, org.c1)
    assert _download(client, job).status_code == 200
    Membership.objects.filter(user=finance_c1).delete()
    client.force_login(finance_c1)
    assert _download(client, job).status_code == 404
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert reverse("job_download", args=[job.pk]) not in page
    assert "不再拥有此导出范围的权限" in page


@override_settings(BACKGROUND_THRESHOLD_ROWS=1)
def test_download_refused_after_the_scope_shrank_below_the_export(client, org, ledger, reviewer_c1):
    job = _roster_job(client, reviewer_c1)  # the whole company's roster
    assert job.scope == [org.c1.path]
    # Moved down to one grassroots union: the file still holds the rest of the company.
    Membership.objects.filter(user=reviewer_c1).update(unit=org.g1a)
    client.force_login(reviewer_c1)
    assert _download(client, job).status_code == 404


@override_settings(BACKGROUND_THRESHOLD_ROWS=1)
def test_full_identity_roster_refused_once_the_user_no_longer_sees_identities(
    client, org, ledger, reviewer_c1
):
    job = _roster_job(client, reviewer_c1, full="1")
    assert job.params["full"] is True
    # Still reads the company's registry, as committee, but no longer sees ID numbers.
    Membership.objects.filter(user=reviewer_c1).update(role=Role.COMMITTEE)
    client.force_login(reviewer_c1)
    assert _download(client, job).status_code == 404


@override_settings(BACKGROUND_THRESHOLD_ROWS=1)
def test_user_keeping_the_right_still_downloads(client, org, ledger, reviewer_c1):
    job = _roster_job(client, reviewer_c1, union=org.g1a.pk)
    assert job.scope == [org.g1a.path]
    assert _download(client, job).status_code == 200


@override_settings(BACKGROUND_THRESHOLD_ROWS=1)
def test_export_file_is_owner_only(client, org, ledger, finance_c1, immediate_tasks):
    job = _annual_job(client, finance_c1, org.c1)
    path = Path(storage.exports().path(job.result_file))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(immediate_tasks.EXPORT_DIR.stat().st_mode) == 0o700


@override_settings(BACKGROUND_THRESHOLD_ROWS=1)
def test_expired_export_is_deleted_and_job_says_so(client, org, ledger, finance_c1):
    job = _annual_job(client, finance_c1, org.c1)
    path = Path(storage.exports().path(job.result_file))
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    expires = timezone.localtime(job.finished_at + datetime.timedelta(days=7))
    assert f"文件保留至 {expires:%Y-%m-%d %H:%M}" in page

    _finished_days_ago(job, 6)
    call_command("purge_expired_exports", stdout=io.StringIO())
    assert path.is_file()  # within the default 7 days

    _finished_days_ago(job, 8)
    out = io.StringIO()
    call_command("purge_expired_exports", stdout=out)
    assert "1 export(s) expired" in out.getvalue()
    assert not path.exists()
    job.refresh_from_db()
    assert (job.status, job.result_file) == (Job.Status.EXPIRED, "")
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "已过期" in page and "文件已过保留期并已删除" in page
    assert reverse("job_download", args=[job.pk]) not in page
    assert _download(client, job).status_code == 404


@override_settings(BACKGROUND_THRESHOLD_ROWS=1)
def test_retention_period_is_the_policy_parameter(client, org, ledger, finance_c1):
    PolicyParameter.objects.create(
        key=PolicyParameter.Key.EXPORT_RETENTION_DAYS,
        value=Decimal("2"),
        valid_from=datetime.date(2020, 1, 1),
    )
    job = _annual_job(client, finance_c1, org.c1)
    _finished_days_ago(job, 3)
    call_command("purge_expired_exports", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == Job.Status.EXPIRED


@override_settings(BACKGROUND_THRESHOLD_ROWS=1)
def test_daily_maintenance_deletes_expired_exports_and_stray_files(
    client, org, ledger, finance_c1, immediate_tasks
):
    job = _annual_job(client, finance_c1, org.c1)
    _finished_days_ago(job, 30)
    stray = immediate_tasks.EXPORT_DIR / "left-by-a-crashed-worker.xlsx"
    stray.write_bytes(b"PK")
    old = (timezone.now() - datetime.timedelta(days=30)).timestamp()
    os.utime(stray, (old, old))
    out = io.StringIO()
    call_command("daily_maintenance", stdout=out)
    job.refresh_from_db()
    assert job.status == Job.Status.EXPIRED
    assert not stray.exists()
    text = out.getvalue()
    assert "== close_due_notices" in text and "== verify_integrity" in text
    assert "Daily maintenance finished." in text


@override_settings(BACKGROUND_THRESHOLD_ROWS=1)
def test_daily_maintenance_goes_on_after_a_failing_step_and_then_fails(
    client, org, ledger, finance_c1, monkeypatch
):
    from django.core.management import CommandError

    from cases.management.commands import close_due_notices

    def broken():
        raise RuntimeError("database went away")

    monkeypatch.setattr(close_due_notices, "close_due_notices", broken)
    job = _annual_job(client, finance_c1, org.c1)
    _finished_days_ago(job, 30)
    err = io.StringIO()
    with pytest.raises(CommandError, match="close_due_notices failed"):
        call_command("daily_maintenance", stdout=io.StringIO(), stderr=err)
    assert "database went away" in err.getvalue()
    job.refresh_from_db()
    assert job.status == Job.Status.EXPIRED  # the next step still ran
