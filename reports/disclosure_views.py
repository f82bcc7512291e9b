"""Pages of the open-books disclosures (账务公开): the list per unit and year, drawing up a
disclosure or a corrected version, the disclosure as members read it (page and PDF), and
the actions on it. Each view fetches through reports.disclosure_access and writes through
reports.disclosures."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import engine
from cases.forms import DATE_INPUT, DecisionForm
from hardship.formtools import form_errors_from
from hardship.pagination import paginate
from reports import disclosure_figures, disclosures, exports
from reports.disclosure_access import (
    disclosures_visible_to,
    get_disclosure_for,
    reads_disclosures,
    units_for_list,
)
from reports.disclosure_models import Disclosure
from reports.downloads import download


class DrawUpForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("公开单位"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    period_end = forms.DateField(
        label=gettext_lazy("截止日期"),
        required=False,
        widget=DATE_INPUT,
        help_text=gettext_lazy("留空为年末；本年度为今天。"),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CorrectionForm(forms.Form):
    period_end = DrawUpForm.base_fields["period_end"]
    correction_note = forms.CharField(
        label=gettext_lazy("更正说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("向会员说明更正了什么、为什么，会随新版本一同公布。"),
    )


def _require_reader(user) -> None:
    if not reads_disclosures(user):
        raise PermissionDenied(_("账务公开只对工会工作人员开放。"))


@login_required
def disclosure_list(request):
    _require_reader(request.user)
    rows = disclosures_visible_to(request.user).select_related("unit")
    units = units_for_list(request.user).order_by("path")
    unit = request.GET.get("unit", "")
    year = request.GET.get("year", "")
    if unit.isdigit():
        rows = rows.filter(unit_id=int(unit))
    if year.isdigit():
        rows = rows.filter(year=int(year))
    return render(
        request,
        "reports/disclosure_list.html",
        {
            **paginate(request, rows, 50),
            "units": units,
            "chosen_unit": unit,
            "chosen_year": year,
            "can_draw_up": disclosures.drafting_units(request.user).exists(),
        },
    )


@login_required
def disclosure_create(request):
    units = disclosures.drafting_units(request.user).order_by("path")
    if not units.exists():
        raise PermissionDenied(_("只有财务人员和公司工会复核可以编制账务公开。"))
    initial = {"year": timezone.localdate().year - 1, "unit": units.first()}
    form = DrawUpForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            disclosure = disclosures.disclosure_draw_up(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("账务公开草稿已按台账生成。"))
            return redirect(disclosure)
    return render(
        request, "reports/disclosure_form.html", {"form": form, "title": _("编制账务公开")}
    )


@login_required
def disclosure_correct(request, pk):
    """A new version of a published disclosure, saying what it corrects."""
    published = get_disclosure_for(request.user, pk)
    # Only the version members read now is corrected: not a draft, not a superseded one.
    if published.state != Disclosure.State.PUBLISHED or published.superseded:
        raise Http404
    if not disclosures.may_draw_up(request.user, published.unit):
        raise PermissionDenied(_("只有财务人员和公司工会复核可以编制账务公开。"))
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disclosure = disclosures.disclosure_draw_up(
                actor=request.user,
                unit=published.unit,
                year=published.year,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("更正版本草稿已按台账生成。"))
            return redirect(disclosure)
    title = _("更正：%(d)s") % {"d": published}
    return render(
        request,
        "reports/disclosure_form.html",
        {"form": form, "title": title, "published": published},
    )


def _reading_context(disclosure) -> dict:
    return {
        "disclosure": disclosure,
        "figures": disclosure_figures.for_reading(disclosure.snapshot),
    }


@login_required
def disclosure_detail(request, pk):
    disclosure = get_disclosure_for(request.user, pk)
    user = request.user
    State = Disclosure.State
    level = disclosures.DISCLOSURE_APPROVAL.level_for(disclosure.state)
    decisions = list(disclosure.decisions.select_related("actor"))
    drafter = disclosures.may_draw_up(user, disclosure.unit)
    versions = disclosures_visible_to(user).filter(unit=disclosure.unit, year=disclosure.year)
    return render(
        request,
        "reports/disclosure_detail.html",
        {
            **_reading_context(disclosure),
            "decisions": decisions,
            "versions": versions.order_by("-version", "-pk"),
            "can_recompute": drafter
            and disclosure.state in (State.DRAFT, State.RETURNED, State.APPROVED),
            "can_submit": drafter and disclosure.state in (State.DRAFT, State.RETURNED),
            "can_publish": drafter and disclosure.state == State.APPROVED,
            "can_correct": drafter
            and disclosure.state == State.PUBLISHED
            and not disclosure.superseded,
            "can_act": level is not None and disclosures.refusal(user, disclosure, level) is None,
            "level": level,
            "decision_form": DecisionForm(initial={"expected_state": disclosure.state}),
        },
    )


@login_required
def disclosure_pdf(request, pk):
    disclosure = get_disclosure_for(request.user, pk)
    content = exports.pdf_bytes(
        "reports/disclosure_pdf.html", _reading_context(disclosure), user=request.user
    )
    name = _("%(unit)s-%(year)d年度账务公开-第%(v)d版.pdf") % {
        "unit": disclosure.unit.name,
        "year": disclosure.year,
        "v": disclosure.version,
    }
    return download(content, name, "application/pdf")


def _act(request, pk, service, done: str):
    disclosure = get_disclosure_for(request.user, pk)
    try:
        service(actor=request.user, disclosure=disclosure)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(disclosure)


@login_required
@require_POST
def disclosure_recompute(request, pk):
    return _act(request, pk, disclosures.disclosure_recompute, _("已按台账重新计算。"))


@login_required
@require_POST
def disclosure_submit(request, pk):
    return _act(request, pk, disclosures.disclosure_submit, _("已提交党政班子会审定。"))


@login_required
@require_POST
def disclosure_publish(request, pk):
    return _act(request, pk, disclosures.disclosure_publish, _("账务公开已公布。"))


@login_required
@require_POST
def disclosure_decide(request, pk):
    disclosure = get_disclosure_for(request.user, pk)
    if not disclosures.takes_part(request.user, disclosure):
        raise PermissionDenied(_("只有党政班子成员可以审定账务公开。"))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审批意见。"))
        return redirect(disclosure)
    try:
        disclosures.disclosure_decide(
            actor=request.user, disclosure=disclosure, **form.cleaned_data
        )
    except engine.AlreadyHandled as error:
        messages.warning(request, error.messages[0])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已办理。"))
    return redirect(disclosure)
