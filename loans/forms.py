from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funds.models import Fund, LedgerEntry
from hardship import validators
from hardship.formtools import MoneyField
from loans.models import Loan, Motion

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0.01}
METHODS = [
    (LedgerEntry.Method.BANK, LedgerEntry.Method.BANK.label),
    (LedgerEntry.Method.CASH, LedgerEntry.Method.CASH.label),
]


class LoanApplyForm(forms.Form):
    purpose = forms.CharField(
        label=_("借款用途"), max_length=200, help_text=_("如：开办早餐店、购置维修工具。")
    )
    amount = MoneyField(label=_("借款金额（元）"), **MONEY)
    term_months = forms.IntegerField(label=_("借款期限（月）"), min_value=1, max_value=120)
    schedule = forms.ChoiceField(label=_("还款方式"), choices=Loan.Schedule.choices)
    guarantor_name = forms.CharField(label=_("担保人姓名"), max_length=50)
    guarantor_id_number = forms.CharField(label=_("担保人身份证号"), max_length=30)
    guarantor_phone = forms.CharField(label=_("担保人电话"), max_length=20)
    guarantor_relation = forms.CharField(
        label=_("担保人与借款人关系"), max_length=20, help_text=_("如：同事、亲属。")
    )
    overdue_override = forms.BooleanField(
        label=_("提请党政班子会特别决定（该户有逾期借款时）"), required=False
    )
    override_reason = forms.CharField(label=_("特别决定的理由"), max_length=200, required=False)

    def clean_guarantor_id_number(self):
        return validators.clean_id_number(self.cleaned_data["guarantor_id_number"])

    def clean_guarantor_phone(self):
        return validators.clean_phone(self.cleaned_data["guarantor_phone"])


class DisburseForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("借款资金"), queryset=Fund.objects.none())
    method = forms.ChoiceField(label=_("借出方式"), choices=METHODS)
    voucher = forms.CharField(label=_("凭证号"), max_length=40)
    lent_on = forms.DateField(label=_("借出日期"), widget=DATE_INPUT, initial=timezone.localdate)

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        self.fields["fund"].error_messages["invalid_choice"] = _(
            "专款专用：只能从列出的借款资金中借出。"
        )


class RepaymentForm(forms.Form):
    amount = MoneyField(label=_("还款金额（元）"), **MONEY)
    method = forms.ChoiceField(label=_("还款方式"), choices=METHODS)
    bank_account = forms.CharField(
        label=_("付款账号"),
        max_length=32,
        required=False,
        help_text=_("银行转账时填写；留空为档案登记的银行卡。"),
    )
    voucher = forms.CharField(label=_("凭证号"), max_length=40)
    paid_on = forms.DateField(label=_("还款日期"), widget=DATE_INPUT, initial=timezone.localdate)
    expected_outstanding = forms.DecimalField(
        max_digits=12, decimal_places=2, widget=forms.HiddenInput
    )

    def clean_bank_account(self):
        return validators.clean_bank_account(self.cleaned_data["bank_account"])


class MotionForm(forms.Form):
    kind = forms.ChoiceField(label=_("事项"), choices=Motion.Kind.choices)
    months = forms.IntegerField(
        label=_("展期月数"), min_value=1, max_value=24, required=False, help_text=_("展期时填写。")
    )
    reason = forms.CharField(label=_("理由"), max_length=200)


class RepaymentReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("冲销原因"),
        max_length=150,
        help_text=_("如：重复登记、金额录错、记到了别人的借款上。"),
    )
