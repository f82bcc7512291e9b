"""Pages of the outside lists, match reports, suspected duplicates, watch list and follow-ups.
Payment verification has its own pages (verification_views.py). Thin: parse, authorise
(a write's right is checked before its form is read), call the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crosscheck import outside, reading, selectors, services
from crosscheck.forms import (
    DuplicateForm,
    ExplainForm,
    FollowUpCloseForm,
    FraudMarkForm,
    ImportForm,
)
from crosscheck.models import DuplicateDecision, MatchLine
from hardship import access
from hardship.formtools import form_errors_from
from hardship.models import Unit
from hardship.pagination import paginate

LINES_PER_PAGE = 100


def _require(user, roles, message):
    if not access.scope_paths(user, roles):
        raise PermissionDenied(message)


def _readers_only(user):
    _require(
        user,
        access.CROSSCHECK_READERS,
        _("外部比对只对帮扶专干、基层工会主席、公司工会复核和审计开放。"),
    )


@login_required
@require_GET
def list_index(request):
    _readers_only(request.user)
    paged = paginate(request, selectors.lists_visible_to(request.user), 50)
    return render(
        request,
        "crosscheck/lists.html",
        {
            **paged,
            "may_import": bool(access.scope_paths(request.user, access.CROSSCHECK_IMPORTERS)),
        },
    )


def _import_units(user):
    return Unit.objects.filter(
        access.path_q("path", access.scope_paths(user, access.CROSSCHECK_IMPORTERS))
    ).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def list_import(request):
    _require(
        request.user,
        access.CROSSCHECK_IMPORTERS,
        _("只有公司工会复核（帮扶中心）可以导入外部名单。"),
    )
    units = _import_units(request.user)
    row_errors = []
    if request.method != "POST":
        return render(request, "crosscheck/import.html", {"form": ImportForm(units=units)})
    form = ImportForm(request.POST, request.FILES, units=units)
    if form.is_valid():
        try:
            header, rows = reading.read_table(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            # The file's columns are offered on the form in case they must be chosen.
            form = ImportForm(request.POST, request.FILES, units=units, header=header)
            form.is_valid()
            data = form.cleaned_data
            try:
                outside_list = outside.outside_list_import(
                    actor=request.user,
                    kind=data["kind"],
                    source=data["source"],
                    list_date=data["list_date"],
                    unit=data["unit"],
                    file_name=data["file"].name,
                    header=header,
                    rows=rows,
                    chosen_mapping=form.chosen_mapping(),
                )
            except outside.ImportRefused as error:
                form.add_error(None, error.messages[0])
                row_errors = error.row_errors
            except ValidationError as error:  # MappingNeeded, or a field the service names
                form_errors_from(form, error)
            else:
                messages.success(
                    request,
                    _("已导入 %(n)d 行，比对结果 %(lines)d 条。")
                    % {"n": outside_list.row_count, "lines": outside_list.lines.count()},
                )
                return redirect(outside_list)
    return render(
        request,
        "crosscheck/import.html",
        {"form": form, "row_errors": row_errors[:500], "error_count": len(row_errors)},
        status=400,
    )


@login_required
@require_GET
def list_detail(request, pk):
    outside_list = selectors.get_list_for(request.user, pk)
    services.report_viewed(user=request.user, outside_list=outside_list)
    # A company's list may leave tens of thousands of lines: a page of them, and the
    # counts of each kind from one grouped query.
    counts = selectors.line_counts(outside_list)
    listing = paginate(
        request, selectors.report_lines(outside_list), LINES_PER_PAGE, count=sum(counts.values())
    )
    for line in listing["page"]:
        line.may_act = services.may_work_on_line(request.user, line)
    return render(
        request,
        "crosscheck/list_detail.html",
        {
            "outside_list": outside_list,
            **listing,
            "counts": [(MatchLine.Kind(k).label, counts.get(k, 0)) for k in MatchLine.Kind.values],
            "explain_form": ExplainForm(),
            "log": outside_list.access_log.select_related("user")[:20],
        },
    )


@login_required
@require_POST
def line_act(request, pk):
    line = selectors.get_line_for(request.user, pk)
    if not services.may_work_on_line(request.user, line):
        raise PermissionDenied(_("只有帮扶专干、基层工会主席和公司工会复核可以处理比对结果。"))
    action = request.POST.get("action")
    try:
        if action == "explain":
            form = ExplainForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["reason"])
            services.line_explain(actor=request.user, line=line, reason=form.cleaned_data["reason"])
            messages.success(request, _("已记录情况说明。"))
        elif action == "follow_up":
            follow_up = services.line_follow_up(actor=request.user, line=line)
            messages.success(
                request,
                _("已提出跟进事项，跟进人：%(who)s。")
                % {"who": follow_up.assigned_to or _("（未指定）")},
            )
        else:
            messages.error(request, _("请选择要办理的操作。"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    page = request.POST.get("page", "")
    back = f"?page={page}" if page.isdigit() else ""  # to the page the line was acted on
    return redirect(f"{line.outside_list.get_absolute_url()}{back}#line-{line.pk}")


@login_required
@require_GET
def duplicates(request):
    _readers_only(request.user)
    # A page of pairs: the count and the page are read from the keys two files share, not
    # from every file in scope (crosscheck.pairs).
    paged = paginate(request, selectors.duplicate_pairs_for(request.user))
    for pair in paged["page"].object_list:
        pair.may_decide = services.may_decide_pair(
            request.user, pair.first, pair.second or pair.first
        )
    return render(
        request,
        "crosscheck/duplicates.html",
        {**paged, "form": DuplicateForm(), "outcomes": DuplicateDecision.Outcome},
    )


@login_required
@require_POST
def duplicate_decide(request, pk):
    household = selectors.get_scope_household(request.user, pk)
    if not services.may_decide_pair(request.user, household, household):
        raise PermissionDenied(_("只有帮扶专干、基层工会主席和公司工会复核可以处理疑似重复档案。"))
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理结果并填写理由。"))
        return redirect("crosscheck_duplicates")
    data = form.cleaned_data
    other = selectors.get_pair_other(data["other"])
    cancel = {household.pk: household, other.pk: other}.get(data.get("cancel"))
    try:
        decision = services.duplicate_decide(
            actor=request.user,
            first=household,
            second=other,
            outcome=data["outcome"],
            reason=data["reason"],
            cancel=cancel,
            fraud=data["fraud"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("crosscheck_duplicates")
    if decision.application_id:
        messages.success(
            request,
            _("已提出注销申请 %(number)s，进入审批。") % {"number": decision.application.number},
        )
        return redirect(decision.application)
    messages.success(request, _("已标记为不是重复，此后不再列出。"))
    return redirect("crosscheck_duplicates")


@login_required
@require_http_methods(["GET", "POST"])
def watchlist(request):
    _readers_only(request.user)
    applications = selectors.cancellations_to_mark(request.user)
    may_mark = bool(access.scope_paths(request.user, access.FRAUD_MARKERS))
    form = FraudMarkForm(applications=applications)
    status = 200
    if request.method == "POST":
        if not may_mark:
            raise PermissionDenied(_("只有基层工会主席和公司工会复核可以标记骗取帮扶。"))
        form = FraudMarkForm(request.POST, applications=applications)
        if form.is_valid():
            try:
                services.fraud_mark(
                    actor=request.user,
                    application=form.cleaned_data["application"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("已标记。注销生效后，该户职工和家庭成员列入监控名单。"))
                return redirect("crosscheck_watchlist")
        status = 400
    marks = list(selectors.watch_list_for(request.user))
    effective = set(selectors.watched_marks().values_list("pk", flat=True))
    for mark in marks:
        mark.in_force = mark.pk in effective
    return render(
        request,
        "crosscheck/watchlist.html",
        {"marks": marks, "form": form, "may_mark": may_mark},
        status=status,
    )


@login_required
@require_GET
def follow_ups(request):
    _require(
        request.user,
        access.CROSSCHECK_READERS | access.VERIFIERS,
        _("跟进事项只对帮扶专干、基层工会主席、公司工会复核、财务和审计开放。"),
    )
    show_closed = request.GET.get("closed") == "1"
    items = selectors.follow_ups_visible_to(request.user).filter(closed_at__isnull=not show_closed)
    paged = paginate(request, items, 50)
    for item in paged["page"].object_list:
        item.may_close = not item.closed_at and services.may_close_follow_up(request.user, item)
    return render(
        request,
        "crosscheck/follow_ups.html",
        {**paged, "show_closed": show_closed, "close_form": FollowUpCloseForm()},
    )


@login_required
@require_POST
def follow_up_close(request, pk):
    follow_up = selectors.get_follow_up_for(request.user, pk)
    if not services.may_close_follow_up(request.user, follow_up):
        raise PermissionDenied(
            _("只有跟进人或该单位的帮扶专干、基层工会主席、公司工会复核可以办结。")
        )
    form = FollowUpCloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写办理结果。"))
        services.follow_up_close(
            actor=request.user, follow_up=follow_up, outcome=form.cleaned_data["outcome"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("跟进事项已办结。"))
    return redirect("crosscheck_follow_ups")
