"""Pages for importing a household roster (困难职工台账) from Excel: template, upload and
preview, the marked-up error workbook, and the commit (directly, or as a background job for
a large file).

The uploaded file is stored in the export storage under imports/ with a random name; the
session remembers that name. Nothing the browser sends ever names a path.
"""

import datetime
import re
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hardship import access
from reports import import_format, import_workbooks, imports, jobs, storage
from reports.downloads import download
from reports.models import Job

SESSION_KEY = "roster_import"
UPLOAD_NAME = re.compile(r"^[0-9a-f]{32}$")
UPLOAD_MAX_AGE = 24 * 3600  # abandoned uploads (they hold ID numbers) go after a day
PREVIEW_ROWS = 100
PREVIEW_ERRORS = 500


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("台账文件"),
        help_text=gettext_lazy("Excel 工作簿（.xlsx），请使用本页提供的模板填写。"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > import_format.MAX_BYTES:
            raise ValidationError(
                _("文件过大（%(size)s），上限为 %(limit)s。请拆分后分批导入。")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(import_format.MAX_BYTES),
                }
            )
        return upload


def _require_importer(user):
    if not access.can_create_households(user):
        raise PermissionDenied


def _sweep_old_uploads() -> None:
    files = storage.exports()
    limit = timezone.now() - datetime.timedelta(seconds=UPLOAD_MAX_AGE)
    try:
        _folders, names = files.listdir(storage.IMPORTS)
    except FileNotFoundError:
        return
    for name in names:
        stored = f"{storage.IMPORTS}/{name}"
        try:
            if name.endswith(".xlsx") and files.get_modified_time(stored) < limit:
                files.delete(stored)
        except OSError:
            pass


def _stored_name(request) -> tuple[str | None, dict]:
    """The upload this session made (its name in the export storage), if still there."""
    state = request.session.get(SESSION_KEY) or {}
    token = state.get("name", "")
    if not UPLOAD_NAME.match(token):
        return None, {}
    name = storage.import_name(token)
    return (name, state) if storage.exports().exists(name) else (None, {})


def _forget_upload(request, *, delete=True) -> None:
    name, _state = _stored_name(request)
    if delete and name is not None:
        storage.exports().delete(name)
    request.session.pop(SESSION_KEY, None)


def _store_upload(request, upload) -> str:
    """Keep the upload (a roster of ID numbers: owner-only on disk) in the export storage,
    which the worker that may commit it reads too."""
    _forget_upload(request)
    _sweep_old_uploads()
    token = uuid.uuid4().hex
    name = storage.exports().save(storage.import_name(token), upload)
    request.session[SESSION_KEY] = {"name": token}
    return name


def _preview_context(preview: import_format.Preview) -> dict:
    return {
        "preview": preview,
        "errors": [
            {"row": e.row, "column": e.column, "message": e.message}
            for e in preview.errors[:PREVIEW_ERRORS]
        ],
        "more_errors": max(0, len(preview.errors) - PREVIEW_ERRORS),
        "rows": [(row, row.display()) for row in preview.rows[:PREVIEW_ROWS]],
        "more_rows": max(0, len(preview.rows) - PREVIEW_ROWS),
        "background": jobs.goes_to_background(preview.total),
    }


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request):
    _require_importer(request.user)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name = _store_upload(request, form.cleaned_data["file"])
        try:
            with storage.exports().open(name, "rb") as fileobj:
                preview = imports.parse_and_validate(fileobj, request.user)
        except ValidationError as error:
            _forget_upload(request)
            form.add_error("file", error)
        else:
            request.session[SESSION_KEY] = {
                "name": request.session[SESSION_KEY]["name"],
                "rows": preview.total,
                "ok": preview.ok,
                "original": form.cleaned_data["file"].name[-100:],
            }
            context = _preview_context(preview)
            context.update(upload_form=RosterUploadForm(), original=form.cleaned_data["file"].name)
            return render(request, "reports/import_preview.html", context)
    name, state = _stored_name(request)
    return render(
        request,
        "reports/import_form.html",
        {
            "form": form,
            "errors_file": name is not None and not state.get("ok"),
            "max_rows": import_format.MAX_ROWS,
            "columns": import_format.COLUMNS,
            "units": access.editable_units(request.user).order_by("code"),
        },
    )


@login_required
@require_GET
def roster_import_template(request):
    _require_importer(request.user)
    content = import_workbooks.template_workbook(
        access.editable_units(request.user).order_by("code")
    )
    return download(content, _("困难职工台账导入模板.xlsx"))


@login_required
@require_GET
def roster_import_errors(request):
    _require_importer(request.user)
    name, _state = _stored_name(request)
    if name is None:
        messages.error(request, _("没有待导入的文件，请重新上传。"))
        return redirect("roster_import")
    try:
        with storage.exports().open(name, "rb") as fileobj:
            preview = imports.parse_and_validate(fileobj, request.user)
            content = import_workbooks.errors_workbook(fileobj, preview)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("roster_import")
    return download(content, _("台账导入错误标注.xlsx"))


@login_required
@require_POST
def roster_import_commit(request):
    _require_importer(request.user)
    name, state = _stored_name(request)
    if name is None:
        messages.error(request, _("没有待导入的文件，请重新上传。"))
        return redirect("roster_import")
    if not state.get("ok"):
        messages.error(request, _("文件中还有错误，请改正后重新上传。"))
        return redirect("roster_import")
    rows = int(state.get("rows") or 0)
    if jobs.goes_to_background(rows):
        job = jobs.start(
            user=request.user,
            kind=Job.Kind.ROSTER_IMPORT,
            params={"upload": name},
            total=rows,
        )
        # The job owns the file now (it deletes it once imported).
        _forget_upload(request, delete=False)
        return redirect(reverse("job_detail", args=[job.pk]))
    try:
        count = imports.commit_file(name, request.user)
    except ValidationError as error:
        # Something changed since the preview (for example another file was filed):
        # nothing was written; the marked-up workbook shows what to fix.
        request.session[SESSION_KEY] = {**state, "ok": False}
        messages.error(request, " ".join(error.messages))
        return redirect("roster_import")
    _forget_upload(request)
    messages.success(request, _("已导入 %(n)d 户困难职工档案，状态为“在档”。") % {"n": count})
    return redirect("household_list")
