from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import checks, kept, trail
from audit.models import CheckSnapshot, IntegrityRun
from hardship import access
from hardship.models import ExportLog, Role, User
from households.access import households_visible_to
from households.models import RevealLog
from intake.models import IntakeRevealLog

CHECKERS = {Role.AUDITOR, Role.COMPANY_REVIEWER}


def _auditor_paths(request):
    paths = access.scope_paths(request.user, {Role.AUDITOR})
    if not paths:
        raise PermissionDenied
    return paths


@login_required
def checks_page(request):
    """Exit candidates and integrity checks, for company reviewers and auditors: counted
    as the page is asked for, or for a wide scope kept and counted again on request (POST)."""
    if not access.scope_paths(request.user, CHECKERS):
        raise PermissionDenied
    today = timezone.localdate()
    if not kept.is_wide(request.user, today):
        found = checks.run_checks(households_visible_to(request.user), today)
        return render(request, "audit/checks.html", {"checks": found})
    if request.method == "POST":
        kept.request_count(request.user)
        messages.success(request, _("核查已开始，在后台进行；完成后刷新本页即可看到新结果。"))
        return redirect("integrity_checks")
    snapshot = kept.snapshot_of(request.user)
    counted = snapshot is not None and snapshot.counted_at is not None
    return render(
        request,
        "audit/checks.html",
        {
            "snapshot": snapshot or CheckSnapshot(),
            "wide": True,
            "checks": kept.kept_checks(snapshot, today) if counted else [],
        },
    )


@login_required
def auditor_page(request):
    paths = _auditor_paths(request)
    users_in_scope = User.objects.filter(access.path_q("memberships__unit__path", paths)).distinct()
    return render(
        request,
        "audit/index.html",
        {
            "last_run": IntegrityRun.objects.first(),
            "reveals": RevealLog.objects.filter(
                access.path_q("household__union__path", paths)
            ).select_related("user", "household")[:50],
            # The front door's reveals: a contact's or legal-aid case's ID number or phone.
            "intake_reveals": IntakeRevealLog.objects.filter(
                access.path_q("contact__unit__path", paths)
                | access.path_q("legal_case__unit__path", paths)
            ).select_related("user", "contact", "legal_case")[:50],
            "exports": ExportLog.objects.filter(user__in=users_in_scope).select_related("user")[
                :50
            ],
        },
    )


class TrailFilter(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("记录类型"), choices=trail.KIND_CHOICES, required=False
    )
    actor = forms.ModelChoiceField(
        label=gettext_lazy("操作人"), queryset=User.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(label=gettext_lazy("单位"), queryset=None, required=False)
    since = forms.DateField(
        label=gettext_lazy("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=gettext_lazy("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, units, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["actor"].queryset = users
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )


@login_required
def trail_page(request):
    paths = _auditor_paths(request)
    units = (
        access.units_visible_to(request.user).filter(access.path_q("path", paths)).order_by("path")
    )
    users = (
        User.objects.filter(access.path_q("memberships__unit__path", paths))
        .distinct()
        .order_by("username")
    )
    form = TrailFilter(request.GET or None, units=units, users=users)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = trail.entries(
        request.user,
        kind=filters.get("kind") or "",
        actor=filters.get("actor"),
        unit=filters.get("unit"),
        since=filters.get("since"),
        until=filters.get("until") or None,
    )
    return render(request, "audit/trail.html", {"form": form, "rows": rows})
