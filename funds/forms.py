from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funds.models import AidType, DistributionPlan, Fund, LedgerEntry
from hardship import validators
from hardship.formtools import MoneyField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_FIELD = {"max_digits": 14, "decimal_places": 2, "min_value": 0.01}


class FundForm(forms.ModelForm):
    aid_types = forms.MultipleChoiceField(
        label=_("可支付的帮扶类型"),
        choices=AidType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("专款专用：只能支付所选类型。"),
    )

    class Meta:
        model = Fund
        fields = [
            "name",
            "source",
            "year",
            "unit",
            "aid_types",
            "model_workers_only",
            "bank_name",
            "account_name",
            "account_number",
        ]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].initial = timezone.localdate().year

    def clean_account_number(self):
        return validators.clean_bank_account(self.cleaned_data["account_number"])


class ReceiptForm(forms.Form):
    amount = MoneyField(label=_("到账金额（元）"), **MONEY_FIELD)
    voucher = forms.CharField(label=_("凭证号"), max_length=40)
    posted_on = forms.DateField(label=_("到账日期"), widget=DATE_INPUT, initial=timezone.localdate)
    note = forms.CharField(
        label=_("摘要"), max_length=200, help_text=_("如：集团公司2026年帮扶资金拨付")
    )


class PaymentForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("资金账户"), queryset=Fund.objects.none())
    amount = MoneyField(label=_("发放金额（元）"), **MONEY_FIELD)
    method = forms.ChoiceField(label=_("发放方式"), choices=LedgerEntry.Method.choices)
    bank_account = forms.CharField(
        label=_("银行卡号"),
        max_length=32,
        required=False,
        help_text=_("留空即发放到档案登记的银行卡；填写时须与登记卡号一致。"),
    )
    goods = forms.CharField(label=_("物资名称"), max_length=100, required=False)
    voucher = forms.CharField(label=_("凭证号"), max_length=40)
    paid_on = forms.DateField(label=_("发放日期"), widget=DATE_INPUT, initial=timezone.localdate)
    note = forms.CharField(label=_("摘要"), max_length=200, required=False)

    def clean_bank_account(self):
        # The same rule as the household form and the roster import (hardship.validators).
        return validators.clean_bank_account(self.cleaned_data["bank_account"])

    def __init__(self, *args, funds, aid_type="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        # The list holds only the funds that may pay this aid: any other (a forced choice)
        # breaks 专款专用, and is told so rather than "not one of the available choices".
        self.fields["fund"].error_messages["invalid_choice"] = _(
            "专款专用：只能从列出的、可支付“%(type)s”的资金账户中支付。"
        ) % {"type": AidType(aid_type).label if aid_type in AidType.values else "—"}


class ReversalForm(forms.Form):
    reason = forms.CharField(label=_("冲销原因"), max_length=200)


class YearCloseForm(forms.Form):
    """What the confirmation page showed: closing is refused if the ledger moved since."""

    year = forms.IntegerField(widget=forms.HiddenInput)
    expected_closing = forms.DecimalField(max_digits=14, decimal_places=2, widget=forms.HiddenInput)


class PlanForm(forms.ModelForm):
    class Meta:
        model = DistributionPlan
        fields = [
            "name",
            "kind",
            "unit",
            "fund",
            "budget",
            "starts_on",
            "ends_on",
            "aid_type",
            "category",
            "level",
            "zero_employment",
            "rule",
            "flat_amount",
            "hardship_amount",
            "extreme_amount",
            "method",
            "goods",
            "pay_on",
        ]
        widgets = {"pay_on": DATE_INPUT, "starts_on": DATE_INPUT, "ends_on": DATE_INPUT}
        field_classes = {
            "budget": MoneyField,
            "flat_amount": MoneyField,
            "hardship_amount": MoneyField,
            "extreme_amount": MoneyField,
        }

    def __init__(self, *args, units, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["fund"].queryset = funds
        self.fields["aid_type"].choices = [
            (value, label)
            for value, label in AidType.choices
            if value
            in (
                AidType.REGULAR,
                AidType.FESTIVAL,
                AidType.LIVING,
                AidType.IN_KIND,
                AidType.EDUCATION,
            )
        ]
        # A plan drawn up without choosing is a regular one (定期补助), as before campaigns.
        self.fields["kind"].required = False

    def clean_kind(self):
        return self.cleaned_data.get("kind") or DistributionPlan.Kind.REGULAR

    def clean(self):
        data = super().clean()
        rule = data.get("rule")
        if rule == DistributionPlan.Rule.FLAT and not data.get("flat_amount"):
            self.add_error("flat_amount", _("请填写每户金额。"))
        if rule == DistributionPlan.Rule.PER_LEVEL:
            for field in ("hardship_amount", "extreme_amount"):
                if not data.get(field):
                    self.add_error(field, _("按困难程度发放须分别填写金额。"))
        for field in ("flat_amount", "hardship_amount", "extreme_amount"):
            value = data.get(field)
            if value is not None and value <= 0:
                self.add_error(field, _("金额须大于零。"))
        if data.get("method") == LedgerEntry.Method.IN_KIND and not data.get("goods"):
            self.add_error("goods", _("实物发放须填写物资名称。"))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("活动结束日期不能早于开始日期。"))
        if data.get("budget") is not None and data["budget"] <= 0:
            self.add_error("budget", _("预算须大于零。"))
        return data
