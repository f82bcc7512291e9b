"""Starting exports and imports, directly when small, as background jobs when large."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from hardship import access, replica
from households import selectors as household_selectors
from reports import annual, exports, roster
from reports.models import Job


def annual_job(job, user, path, progress) -> str:
    unit = access.report_units(user).get(pk=job.params["unit"])
    report = annual.annual_report(job.params["year"], unit)
    exports.annual_xlsx(report, path, progress=progress)
    return annual_filename(report)


def annual_filename(report) -> str:
    return _("%(unit)s-%(year)d年度帮扶资金使用情况.xlsx") % {
        "unit": report.unit.name,
        "year": report.year,
    }


def identity_rule(user, full: bool):
    """Full ID and phone numbers only when asked for and only where the role may see them."""
    if not full:
        return lambda household: False
    return lambda household: access.can_see_identity(user, household)


def roster_filters(user, params: dict) -> dict:
    filters = {k: v for k, v in params.items() if k != "full"}
    if filters.get("union"):
        filters["union"] = access.units_visible_to(user).filter(pk=filters["union"]).first()
    return filters


def roster_queryset(user, filters):
    return household_selectors.household_list(user, filters).select_related("union")


def roster_job(job, user, path, progress) -> str:
    households = roster_queryset(user, roster_filters(user, job.params))
    roster.roster_xlsx(
        households,
        path,
        identity_for=identity_rule(user, job.params.get("full", False)),
        year=timezone.localdate().year,
        progress=progress,
    )
    return roster_filename()


def roster_filename() -> str:
    return _("困难职工台账.xlsx")


def import_job(job, user, path, progress) -> str:
    from reports import imports

    result = imports.commit_file(job.params["upload"], user, progress=progress)
    job.message = _("已导入 %(n)d 户。") % {"n": result}
    Job.objects.filter(pk=job.pk).update(message=job.message)
    return ""


# The jobs that only read (exports): they may read the replica.
REPLICA_KINDS = {Job.Kind.ANNUAL_XLSX, Job.Kind.ROSTER_XLSX}

RUNNERS = {
    Job.Kind.ANNUAL_XLSX: annual_job,
    Job.Kind.ROSTER_XLSX: roster_job,
    Job.Kind.ROSTER_IMPORT: import_job,
}


def export_scope(user, kind, params) -> list[str]:
    """The tree paths an export covers: the report's unit, the roster's union filter, or else
    everything the user reads in the registry."""
    if kind == Job.Kind.ANNUAL_XLSX:
        return [access.report_units(user).get(pk=params["unit"]).path]
    if kind == Job.Kind.ROSTER_XLSX:
        if params.get("union"):
            return [access.units_visible_to(user).get(pk=params["union"]).path]
        return access.scope_paths(user, access.REGISTRY_READERS)
    return []


def may_download(user, job) -> bool:
    """Whether the user still has the right to everything the file holds: the roles that
    made it are re-checked at every download (a role removed since means no file)."""
    if job.kind == Job.Kind.ANNUAL_XLSX:
        roles, visible = access.REPORTERS, access.report_units(user)
        asked = job.params.get("unit")
    elif job.kind == Job.Kind.ROSTER_XLSX:
        if job.params.get("full") and not access.searches_identity(user):
            return False
        roles, visible = access.REGISTRY_READERS, access.units_visible_to(user)
        asked = job.params.get("union")
    else:
        return False
    scope = job.scope
    if not scope:  # made before the scope was recorded: the unit asked for, or any scope
        scope = (
            list(visible.filter(pk=asked).values_list("path", flat=True))
            if asked
            else access.scope_paths(user, roles)
        )
    return bool(scope) and all(access.covers(user, roles, path) for path in scope)


def start(*, user, kind, params, total) -> Job:
    """Queue a background job (the worker picks it up)."""
    from reports.tasks import run_job

    job = Job.objects.create(
        kind=kind,
        params=params,
        requested_by=user,
        total=total,
        scope=export_scope(user, kind, params),
    )
    # Exports read the replica once it holds everything committed before this request.
    run_job.enqueue(str(job.pk), replica.primary_position() if kind in REPLICA_KINDS else "")
    return job


def goes_to_background(rows: int) -> bool:
    return rows > settings.BACKGROUND_THRESHOLD_ROWS
