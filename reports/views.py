import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bank import selectors as bank_selectors
from bank import services as bank_services
from cases import selectors as case_selectors
from funds.access import get_plan_for
from hardship import access
from hardship.models import ExportLog
from hardship.replica import replica_reads
from hardship.trails import export_logged
from households.forms import HouseholdFilterForm
from reports import annual, exports, jobs, payroll, retention, roster, statistics, storage
from reports.downloads import XLSX, download
from reports.models import Job


class ReportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(label=gettext_lazy("单位"), queryset=None, empty_label=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )


def _report_form(request) -> ReportForm:
    """The year and unit asked for, checked against the user's report scope."""
    units = access.report_units(request.user).order_by("path")
    highest = units.first()
    if highest is None:
        raise PermissionDenied
    # This year and the user's highest unit unless the query names others.
    data = {"year": timezone.localdate().year, "unit": highest.pk}
    data.update({key: request.GET[key] for key in ("year", "unit") if request.GET.get(key)})
    return ReportForm(data, units=units)


def _logged(user, kind, scope, rows=None, *, full_identity=False):
    export_logged(user=user, kind=kind, scope=str(scope), rows=rows, full_identity=full_identity)


@login_required
@replica_reads
def annual_report_page(request):
    form = _report_form(request)
    context = {"form": form, "report": None}
    if form.is_valid():
        year, unit = form.cleaned_data["year"], form.cleaned_data["unit"]
        report = context["report"] = annual.annual_report(year, unit)
        context.update(exports.annual_context(report))
        context["query"] = f"year={year}&unit={unit.pk}"
    return render(request, "reports/annual.html", context)


@login_required
@replica_reads
def annual_report_xlsx(request):
    form = _report_form(request)
    if not form.is_valid():
        raise Http404
    year, unit = form.cleaned_data["year"], form.cleaned_data["unit"]
    rows = annual.ledger_entries(year, unit).count()
    _logged(request.user, ExportLog.Kind.ANNUAL_XLSX, f"{unit.code} {year}", rows)
    if jobs.goes_to_background(rows):
        # The worker computes the report itself: nobody waits for it here.
        params = {"year": year, "unit": unit.pk}
        job = jobs.start(user=request.user, kind=Job.Kind.ANNUAL_XLSX, params=params, total=rows)
        return redirect(job)
    report = annual.annual_report(year, unit)
    buffer = io.BytesIO()
    exports.annual_xlsx(report, buffer)
    return download(buffer.getvalue(), jobs.annual_filename(report))


@login_required
@replica_reads
def annual_report_pdf(request):
    form = _report_form(request)
    if not form.is_valid():
        raise Http404
    report = annual.annual_report(form.cleaned_data["year"], form.cleaned_data["unit"])
    content = exports.annual_pdf(report, user=request.user)
    _logged(request.user, ExportLog.Kind.ANNUAL_PDF, f"{report.unit.code} {report.year}")
    name = _("%(unit)s-%(year)d年度帮扶资金使用情况.pdf") % {
        "unit": report.unit.name,
        "year": report.year,
    }
    return download(content, name, "application/pdf")


@login_required
@replica_reads
def roster_xlsx(request):
    """The roster with the household list's current filters, in the user's scope."""
    units = access.units_visible_to(request.user).order_by("path")
    if not units.exists():
        raise PermissionDenied
    form = HouseholdFilterForm(request.GET or None, unions=units)
    filters = form.cleaned_data if form.is_valid() else {}
    households = jobs.roster_queryset(request.user, filters)
    count = households.count()
    # Masked by default; roles that need full ID and phone numbers ask for them, and it is logged.
    full = request.GET.get("full") == "1" and access.searches_identity(request.user)
    scope = "; ".join(f"{k}={v}" for k, v in filters.items() if v) or _("全部")
    _logged(request.user, ExportLog.Kind.ROSTER, scope, count, full_identity=full)
    if jobs.goes_to_background(count):
        params = {k: (v.pk if hasattr(v, "pk") else v) for k, v in filters.items() if v}
        params["full"] = full
        job = jobs.start(user=request.user, kind=Job.Kind.ROSTER_XLSX, params=params, total=count)
        return redirect(job)
    buffer = io.BytesIO()
    roster.roster_xlsx(
        households,
        buffer,
        identity_for=jobs.identity_rule(request.user, full),
        year=timezone.localdate().year,
    )
    return download(buffer.getvalue(), jobs.roster_filename())


@login_required
def notice_pdf(request):
    notices = case_selectors.notices_for(request.user)
    content = exports.pdf_bytes("reports/notice_pdf.html", {"notices": notices}, user=request.user)
    _logged(request.user, ExportLog.Kind.NOTICE_PDF, _("当前公示"), len(notices))
    return download(content, _("公示名单.pdf"), "application/pdf")


@login_required
def application_pdf(request, pk):
    application = case_selectors.application_detail(request.user, pk)
    from households.assessment import assess

    content = exports.pdf_bytes(
        "reports/application_pdf.html",
        {
            "application": application,
            "household": application.household,
            "assessment": assess(application.household),
        },
        user=request.user,
    )
    _logged(request.user, ExportLog.Kind.APPLICATION_PDF, application.number)
    return download(
        content, _("申请审批表-%(n)s.pdf") % {"n": application.number}, "application/pdf"
    )


@login_required
@replica_reads
def statistics_page(request):
    if not access.reads_registry(request.user):
        raise PermissionDenied
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
    return render(request, "reports/statistics.html", statistics.page_context(request.user, year))


@login_required
def job_detail(request, pk):
    job = get_object_or_404(Job, pk=pk, requested_by=request.user)
    template = (
        "reports/includes/_job_status.html"
        if request.headers.get("HX-Request")
        else "reports/job.html"
    )
    return render(
        request,
        template,
        {
            "job": job,
            "expires_at": retention.expires_at(job),
            "may_download": job.status == Job.Status.DONE and jobs.may_download(request.user, job),
        },
    )


@login_required
def job_download(request, pk):
    job = get_object_or_404(Job, pk=pk, requested_by=request.user, status=Job.Status.DONE)
    name = storage.stored_name(job.result_file)  # None for anything but an export file
    if (
        not jobs.may_download(request.user, job)  # the right as it is now, not when asked
        or name is None
        or not storage.exports().exists(name)
    ):
        raise Http404
    return FileResponse(
        storage.exports().open(name, "rb"),
        as_attachment=True,
        filename=job.result_name,
        content_type=XLSX,
    )


# Bank batches and the signed payment roster (发放花名册) -------------------------------


@login_required
def bank_batch_file(request, pk):
    """The bank's batch file (full card numbers): finance of the batch's fund only."""
    batch = bank_selectors.get_batch_for(request.user, pk)
    if not bank_selectors.keeps_books(request.user, batch):
        raise PermissionDenied(
            _("银行代发文件含完整卡号，只有该资金账户所属单位的财务人员可以下载。")
        )
    try:
        content = bank_services.batch_file(actor=request.user, batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(batch)
    rows = batch.lines.count()
    _logged(
        request.user,
        ExportLog.Kind.BANK_FILE,
        f"{batch.number} {batch.purpose}",
        rows,
        full_identity=True,
    )
    extension = batch.template.file_format
    types = {"csv": "text/csv", "xlsx": XLSX}
    return download(
        content, f"{batch.number}-{batch.template.bank_name}.{extension}", types[extension]
    )


def _roster_download(request, roster, scope, name, kind):
    count = len(roster.lines)
    if kind == "pdf":
        content = payroll.roster_pdf(roster, user=request.user)
        _logged(request.user, ExportLog.Kind.PAYROLL_PDF, scope, count)
        return download(content, f"{name}.pdf", "application/pdf")
    content = payroll.roster_xlsx(roster)
    _logged(request.user, ExportLog.Kind.PAYROLL_XLSX, scope, count)
    return download(content, f"{name}.xlsx")


@login_required
def bank_roster(request, pk, kind):
    batch = bank_selectors.get_batch_for(request.user, pk)
    name = _("发放花名册-%(n)s") % {"n": batch.number}
    return _roster_download(request, payroll.batch_roster(batch), batch.number, name, kind)


@login_required
def plan_roster(request, pk, kind):
    plan = get_plan_for(request.user, pk)
    name = _("发放花名册-%(n)s") % {"n": plan.name}
    return _roster_download(request, payroll.plan_roster(plan), plan.name, name, kind)
