"""Files go through Django's storage API, so a deployment of several servers can keep them on
shared or object storage: with both storages in memory (standing in for object storage),
nothing is written to this server's disk and everything still works."""

import datetime
import io

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from formdata import PDF_BYTES
from test_import import IMMEDIATE_TASKS, good_row, xlsx
from test_import import upload as roster_upload

from households.models import Evidence, Household
from reports import storage
from reports.models import Job

pytestmark = pytest.mark.django_db
IN_MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


@pytest.fixture
def elsewhere(settings, tmp_path):
    """Uploads and exports in storages that are not this server's disk."""
    settings.STORAGES = {**settings.STORAGES, "default": IN_MEMORY, "exports": IN_MEMORY}
    settings.MEDIA_ROOT = tmp_path / "media-unused"
    settings.EXPORT_DIR = tmp_path / "exports-unused"
    yield storages
    assert not settings.MEDIA_ROOT.exists() and not settings.EXPORT_DIR.exists()


@override_settings(BACKGROUND_THRESHOLD_ROWS=1)
def test_a_background_export_is_stored_downloaded_and_purged_through_the_storage(
    client, org, ledger, reviewer_c1, immediate_tasks, elsewhere
):
    client.force_login(reviewer_c1)
    client.get(reverse("roster_xlsx"))
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.message
    assert job.result_file == f"{job.pk}.xlsx" and storage.exports().exists(job.result_file)

    response = client.get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")

    finished = timezone.now() - datetime.timedelta(days=30)
    Job.objects.filter(pk=job.pk).update(finished_at=finished)
    call_command("purge_expired_exports", stdout=io.StringIO())
    assert not storage.exports().exists(f"{job.pk}.xlsx")


def test_a_roster_upload_waits_in_the_export_storage_for_the_worker(
    client, caseworker_g1a, elsewhere
):
    client.force_login(caseworker_g1a)
    with override_settings(BACKGROUND_THRESHOLD_ROWS=1, TASKS=IMMEDIATE_TASKS):
        roster_upload(client, xlsx([good_row(1), good_row(2)]))
        assert len(storage.exports().listdir(storage.IMPORTS)[1]) == 1
        client.post(reverse("roster_import_commit"))
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.message
    assert job.params["upload"].startswith("imports/")
    assert Household.objects.filter(status=Household.Status.IN_FILE).count() == 2
    assert storage.exports().listdir(storage.IMPORTS)[1] == []  # no copy of the ID numbers


def test_evidence_is_kept_in_the_default_storage(client, caseworker_g1a, household_g1a, elsewhere):
    client.force_login(caseworker_g1a)
    client.post(
        reverse("evidence_upload", args=[household_g1a.pk]),
        {"cause": "illness", "kind": "diagnosis", "file": io.BytesIO(PDF_BYTES)},
    )
    evidence = Evidence.objects.get()
    assert storages["default"].exists(evidence.file.name)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
