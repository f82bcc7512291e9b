from django import forms
from django.utils.translation import gettext_lazy as _


class PlanBatchForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("发放方案"), queryset=None)
    template = forms.ModelChoiceField(label=_("代发文件模板"), queryset=None)

    def __init__(self, *args, plans, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["template"].queryset = templates


class PaymentsBatchForm(forms.Form):
    payments = forms.ModelMultipleChoiceField(
        label=_("选择发放"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    template = forms.ModelChoiceField(label=_("代发文件模板"), queryset=None)
    purpose = forms.CharField(label=_("用途"), max_length=100, initial=_("帮扶资金"))

    def __init__(self, *args, payments, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payments"].queryset = payments
        self.fields["template"].queryset = templates


class ReturnFileForm(forms.Form):
    file = forms.FileField(label=_("银行回盘文件"))


class VoucherForm(forms.Form):
    file = forms.FileField(label=_("签字的发放花名册（扫描件）"), help_text=_("PDF、JPEG 或 PNG。"))
