from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import DATE_INPUT
from casework.models import ChangeReport


class ChangeReportForm(forms.ModelForm):
    class Meta:
        model = ChangeReport
        fields = ["kind", "occurred_on", "member", "description"]
        widgets = {"occurred_on": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "description": _(
                "请写明发生了什么变化，例如孩子参加工作的单位和月收入、住院的医院和病情。"
            ),
            "member": _("变化涉及某位家庭成员的，请选择；涉及职工本人或全家的可不选。"),
        }

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = household.members.all()
        self.fields["member"].empty_label = _("（职工本人或全家）")


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    propose_exit = forms.BooleanField(
        label=_("同时提出脱困申请"),
        required=False,
        help_text=_("勾选后，保存档案的同时以本报告为理由提出脱困申请，进入审批。"),
    )


class RejectForm(forms.Form):
    review_note = forms.CharField(
        label=_("不接受的理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
