"""The checks of a wide scope, counted in the background and kept (audit.kept): the page
shows the kept numbers with their time, reads the listed files as they stand, counts again
on request and every night, and keeps each scope's apart."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from factories import HardshipCauseFactory, HouseholdFactory

from audit import checks, kept
from audit.models import CheckSnapshot
from households.access import households_visible_to
from households.models import Household

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def count_now(client, django_capture_on_commit_callbacks):
    """Ask for a count as the page's button does; the worker counts it at once."""

    def ask():
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("integrity_checks"))

    return ask


@pytest.fixture
def wide(settings):
    """Every scope is wide: its checks are kept."""
    settings.INTEGRITY_CHECKS_LIVE_FILES = 0


def with_car(union, vehicles=1):
    household = HouseholdFactory(in_file=True, union=union, vehicles=vehicles)
    HardshipCauseFactory(household=household, cause="illness")
    return household


def section(page: str, code: str) -> str:
    start = page.index(f'id="check-{code}"')
    return page[start : page.index("</div>", page.index("card-header", start) + 200)]


def test_a_wide_scope_is_counted_on_request_and_then_shows_what_a_live_count_shows(
    client, org, auditor_fed, wide, count_now
):
    cars = [with_car(org.g1a), with_car(org.g2a, vehicles=3)]
    client.force_login(auditor_fed)
    before = client.get(reverse("integrity_checks"))
    assert "尚未核查过" in before.content.decode() and before.context["checks"] == []

    assert count_now().status_code == 302
    snapshot = CheckSnapshot.objects.get()
    assert snapshot.counted_at is not None and not snapshot.pending

    page = client.get(reverse("integrity_checks"))
    live = checks.run_checks(households_visible_to(auditor_fed), TODAY)
    shown = page.context["checks"]
    assert [(c.code, c.total) for c in shown] == [(c.code, c.total) for c in live]
    assert [[(f.household, f.detail) for f in c.findings] for c in shown] == [
        [(f.household, f.detail) for f in c.findings] for c in live
    ]
    assets = section(page.content.decode(), "assets")
    assert cars[1].file_number in assets and "机动车 3 辆" in assets


def test_a_file_put_right_after_the_count_drops_out_and_the_count_stays_until_recounted(
    client, org, auditor_fed, wide, count_now
):
    right, wrong = with_car(org.g1a), with_car(org.g1b)
    client.force_login(auditor_fed)
    count_now()
    Household.objects.filter(pk=right.pk).update(vehicles=0)
    page = client.get(reverse("integrity_checks"))
    assets = next(c for c in page.context["checks"] if c.code == "assets")
    assert assets.total == 2 and [f.household for f in assets.findings] == [wrong]
    call_command("keep_checks")  # the night's count
    page = client.get(reverse("integrity_checks"))
    assert next(c for c in page.context["checks"] if c.code == "assets").total == 1


def test_each_scope_keeps_its_own_counts(client, org, reviewer_c1, reviewer_c2, wide, count_now):
    mine, theirs = with_car(org.g1a), with_car(org.g2a)
    client.force_login(reviewer_c1)
    count_now()
    page = client.get(reverse("integrity_checks")).content.decode()
    assert mine.file_number in page and theirs.file_number not in page
    client.force_login(reviewer_c2)
    page = client.get(reverse("integrity_checks"))
    assert page.context["checks"] == []  # c2 was never counted: c1's counts are not shown
    assert theirs.file_number not in page.content.decode()
    assert CheckSnapshot.objects.count() == 1


def test_a_count_waiting_is_shown_and_not_asked_for_twice(
    client, org, auditor_fed, wide, monkeypatch, count_now
):
    with_car(org.g1a)
    asked = []
    monkeypatch.setattr("audit.tasks.keep_checks", SimpleNamespace(enqueue=asked.append))
    client.force_login(auditor_fed)
    count_now()
    count_now()
    assert len(asked) == 1
    assert "核查进行中" in client.get(reverse("integrity_checks")).content.decode()
    # Stuck for over an hour: asked for again.
    CheckSnapshot.objects.update(requested_at=timezone.now() - timezone.timedelta(hours=2))
    count_now()
    assert len(asked) == 2


def test_a_scope_below_the_threshold_is_counted_live_and_keeps_nothing(
    client, org, auditor_fed, settings
):
    settings.INTEGRITY_CHECKS_LIVE_FILES = 1000
    car = with_car(org.g1a)
    client.force_login(auditor_fed)
    page = client.get(reverse("integrity_checks")).content.decode()
    assert car.file_number in page and "尚未核查过" not in page
    assert client.post(reverse("integrity_checks")).status_code == 200
    assert not CheckSnapshot.objects.exists()


def test_a_user_without_a_reading_role_has_an_empty_scope_not_every_file(org, auditor_fed):
    with_car(org.g1a)
    assert not kept._households("").exists()
