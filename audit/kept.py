"""The integrity checks of a wide scope, kept. Counting every check over a province takes
seconds (about 9 s at a million files): each check has to read every file, member and
payment in scope. Where the scope holds more files in file than settings.
INTEGRITY_CHECKS_LIVE_FILES, the checks are counted in the background (on request, and
every night by daily_maintenance for the scopes counted before) and kept per scope
(audit.models.CheckSnapshot): each check's number of findings and the files of its first
ones. The page then shows those numbers, with the time they were counted, and reads the
findings of the listed files as they stand now: a file put right since drops out."""

import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.checks import TITLES, check_parts, run_checks
from audit.findings import Check, findings_of
from audit.models import CheckSnapshot
from hardship import access
from households import composition
from households.models import Household

# A count asked for longer ago than this and not finished is asked for again.
STUCK_AFTER = 3600


def scope_of(user) -> str:
    """The key of the files the user reads: their registry readers' tree paths."""
    return "|".join(sorted(access.scope_paths(user, access.REGISTRY_READERS)))


def _households(scope: str):
    paths = [path for path in scope.split("|") if path]  # no paths: no files
    return Household.objects.filter(access.path_q("union__path", paths))


def is_wide(user, today) -> bool:
    """Whether the user's checks are read from the kept counts (a cheap count: composition)."""
    files = composition.in_file(access.registry_unit_ids(user), today)
    return files > settings.INTEGRITY_CHECKS_LIVE_FILES


def snapshot_of(user) -> CheckSnapshot | None:
    return CheckSnapshot.objects.filter(scope=scope_of(user)).first()


def request_count(user) -> CheckSnapshot:
    """Ask for the user's scope to be counted in the background, unless a count is already
    waiting (one that has waited over STUCK_AFTER is asked for again)."""
    from audit.tasks import keep_checks  # the task module imports this one

    with transaction.atomic():
        snapshot, _new = CheckSnapshot.objects.select_for_update().get_or_create(
            scope=scope_of(user)
        )
        now = timezone.now()
        waiting = snapshot.pending and (now - snapshot.requested_at).total_seconds() < STUCK_AFTER
        if not waiting:
            snapshot.requested_at = now
            snapshot.save(update_fields=["requested_at"])
            transaction.on_commit(lambda: keep_checks.enqueue(snapshot.scope))
    return snapshot


def count(scope: str, today=None) -> CheckSnapshot:
    """Count every check over the scope and keep the result (the background task)."""
    started = time.perf_counter()
    checks = run_checks(_households(scope), today)
    listed = {
        check.code: list(dict.fromkeys(finding.household.pk for finding in check.findings))
        for check in checks
    }
    snapshot, _new = CheckSnapshot.objects.update_or_create(
        scope=scope,
        defaults={
            "counted_at": timezone.now(),
            "took_ms": round((time.perf_counter() - started) * 1000),
            "totals": {check.code: check.total for check in checks},
            "listed": listed,
        },
    )
    return snapshot


def recount_kept() -> int:
    """Count again every scope counted before (daily_maintenance): the numbers the page
    shows are then at most a day old. Returns how many scopes were counted."""
    scopes = list(CheckSnapshot.objects.values_list("scope", flat=True))
    for scope in scopes:
        count(scope)
    return len(scopes)


def kept_checks(snapshot: CheckSnapshot, today=None) -> list[Check]:
    """The kept numbers, with the findings of the listed files as they stand now."""
    today = today or timezone.localdate()
    households = _households(snapshot.scope)
    checks = []
    for code, title in TITLES.items():
        ids = snapshot.listed.get(code, [])
        findings = []
        if ids:
            findings = findings_of(check_parts(code, households.filter(pk__in=ids), today))
        checks.append(Check(code, str(title), snapshot.totals.get(code, 0), findings))
    return checks
