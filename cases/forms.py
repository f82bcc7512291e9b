from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Application, Investigation, Visit
from funds.models import Fund
from hardship.formtools import MoneyField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["kind", "reason", "amount", "self_paid"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"amount": MoneyField, "self_paid": MoneyField}
        help_texts = {
            "amount": _("临时救助、助学、医疗救助须填写。"),
            "self_paid": _("医疗救助须填写；系统按分档比例给出建议金额。"),
        }

    def clean(self):
        cleaned = super().clean()
        # Said here, on the field, so that the model's check constraint on the same rule
        # is skipped instead of showing its technical name.
        if (
            cleaned.get("kind") in Application.MONEY_KINDS
            and cleaned.get("amount") is None
            and "amount" not in self.errors
        ):
            self.add_error("amount", _("请填写申请金额。"))
        return cleaned


class ResubmitForm(ApplicationForm):
    class Meta(ApplicationForm.Meta):
        fields = ["reason", "amount", "self_paid"]


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", _("同意")), ("return", _("退回修改")), ("reject", _("不同意"))]
    )
    comment = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_state = forms.CharField(widget=forms.HiddenInput)


class InvestigationForm(forms.ModelForm):
    class Meta:
        model = Investigation
        fields = ["method", "visited_on", "investigators", "findings"]
        widgets = {"visited_on": DATE_INPUT, "findings": forms.Textarea(attrs={"rows": 3})}


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ObjectionResolveForm(forms.Form):
    # No "reject" outcome: an upheld objection goes back to verification, and only the
    # committee, in the chain, decides that an application is not granted.
    OUTCOMES = [
        ("dismiss", _("异议不成立，继续公示")),
        ("verify", _("异议成立，退回公司工会复核")),
    ]
    outcome = forms.ChoiceField(label=_("处理结果"), choices=OUTCOMES, widget=forms.RadioSelect)
    resolution = forms.CharField(
        label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    state = forms.ChoiceField(
        label=_("环节"), choices=[("", _("全部"))] + Application.State.choices, required=False
    )
    kind = forms.ChoiceField(
        label=_("类型"), choices=[("", _("全部"))] + Application.Kind.choices, required=False
    )


class VisitForm(forms.ModelForm):
    fund = forms.ModelChoiceField(
        label=_("物资出自资金账户"),
        queryset=None,
        required=False,
        empty_label=_("（不从帮扶资金列支）"),
        help_text=_("选择后按实物发放记入该资金账户台账（专款专用：须为可支付“物资”的账户）。"),
    )

    class Meta:
        model = Visit
        fields = [
            "visited_on",
            "kind",
            "visitors",
            "notes",
            "goods",
            "goods_quantity",
            "goods_unit",
            "goods_value",
        ]
        widgets = {"visited_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"goods_unit": _("如：公斤、升、袋、吨。")}
        field_classes = {"goods_value": MoneyField}

    def __init__(self, *args, funds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds if funds is not None else Fund.objects.none()
        self.order_fields(["visited_on", "kind", "visitors", "notes", "fund"])

    def clean(self):
        data = super().clean()
        if data.get("goods") and data.get("goods_value") is None:
            self.add_error("goods_value", _("送了慰问物品的，请填写物品价值。"))
        if data.get("goods_value") is not None and not data.get("goods"):
            self.add_error("goods", _("请填写慰问物品名称。"))
        quantity, unit = data.get("goods_quantity"), (data.get("goods_unit") or "").strip()
        if quantity is not None and quantity <= 0:
            self.add_error("goods_quantity", _("数量须大于零。"))
        if quantity is not None and not unit:
            self.add_error("goods_unit", _("填写了数量的，请填写计量单位。"))
        if unit and quantity is None:
            self.add_error("goods_quantity", _("填写了计量单位的，请填写数量。"))
        if (quantity is not None or unit) and not data.get("goods"):
            self.add_error("goods", _("请填写慰问物品名称。"))
        if data.get("fund") is not None:
            # Goods from a fund go into its books: what, how much and what it cost.
            for name, message in (
                ("goods", _("从资金账户列支的，请填写物品名称。")),
                ("goods_quantity", _("从资金账户列支的，请填写数量。")),
                ("goods_unit", _("从资金账户列支的，请填写计量单位。")),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
            value = data.get("goods_value")
            if value is not None and value <= 0 and "goods_value" not in self.errors:
                self.add_error("goods_value", _("从资金账户列支的物品价值须大于零。"))
        return data
