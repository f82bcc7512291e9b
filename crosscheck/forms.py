"""Forms of the cross-check pages: they read and check input; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crosscheck.models import DuplicateDecision, OutsideList, Verification, VerificationItem
from crosscheck.outside import FIELDS
from hardship.formtools import MoneyField


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("名单类型"), choices=OutsideList.Kind.choices)
    source = forms.CharField(
        label=_("数据来源"),
        max_length=100,
        help_text=_("如：示范区民政局、集团公司人力资源部。同一来源的列对应关系会被记住。"),
    )
    list_date = forms.DateField(
        label=_("数据日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("名单或数据截止的日期。"),
    )
    unit = forms.ModelChoiceField(label=_("比对范围"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel 工作簿（.xlsx）或 CSV 文件（UTF-8 或 GBK 编码），第一行为列标题。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def __init__(self, *args, units, header=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.mapping_keys = []
        if header:
            # The file's columns, offered for each field once the automatic mapping failed.
            kind = self.data.get("kind") or OutsideList.Kind.CIVIL
            choices = [("", _("（自动识别）"))] + [(h, h) for h in header if h]
            for field in FIELDS.get(kind, ()):
                name = f"map_{field.key}"
                self.fields[name] = forms.ChoiceField(
                    label=_("“%(field)s”所在的列") % {"field": field.label},
                    choices=choices,
                    required=False,
                )
                self.mapping_keys.append((field.key, name))

    def chosen_mapping(self) -> dict:
        return {
            key: self.cleaned_data.get(name)
            for key, name in self.mapping_keys
            if self.cleaned_data.get(name)
        }


class ExplainForm(forms.Form):
    reason = forms.CharField(
        label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class FollowUpCloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class DuplicateForm(forms.Form):
    other = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("处理结果"), choices=DuplicateDecision.Outcome.choices, widget=forms.RadioSelect
    )
    cancel = forms.IntegerField(label=_("注销哪一份档案"), required=False, widget=forms.HiddenInput)
    fraud = forms.BooleanField(label=_("因骗取帮扶注销（列入监控名单）"), required=False)
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class FraudMarkForm(forms.Form):
    application = forms.ModelChoiceField(label=_("注销申请"), queryset=None)
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda a: (
            f"{a.number} · {a.household.file_number} · {a.get_state_display()}"
        )


class VerificationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("核查范围"), queryset=None, empty_label=None)
    plan = forms.ModelChoiceField(
        label=_("发放方案"),
        queryset=None,
        required=False,
        help_text=_("选一个已发放的方案，或填写年度。"),
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    confidence = forms.ChoiceField(
        label=_("置信水平"),
        choices=[("", "—")] + list(Verification.Confidence.choices),
        required=False,
    )
    margin = MoneyField(label=_("允许误差（%）"), required=False, max_digits=4, decimal_places=1)
    fixed_size = forms.IntegerField(
        label=_("固定抽样户数"),
        required=False,
        min_value=1,
        help_text=_("填写后不按置信水平计算。"),
    )
    seed = forms.IntegerField(
        label=_("随机种子"),
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text=_("留空由系统生成；填写以前的种子可重复同一次抽样。"),
    )

    def __init__(self, *args, units, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["plan"].queryset = plans


class RecordForm(forms.Form):
    result = forms.ChoiceField(
        label=_("核实结果"),
        choices=[
            (VerificationItem.Result.CONFIRMED, VerificationItem.Result.CONFIRMED.label),
            (VerificationItem.Result.DISCREPANCY, VerificationItem.Result.DISCREPANCY.label),
        ],
    )
    method = forms.ChoiceField(label=_("核实方式"), choices=VerificationItem.Method.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)
