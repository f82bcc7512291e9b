from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import DATE_INPUT
from casework.models import AnnualReview, Duty, Visit, VisitRound
from funds.models import Fund
from hardship.formtools import MoneyField
from households.models import AidMeasure
from households.plans import measure_label


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("复核结论"),
        choices=AnnualReview.Outcome.choices,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("复核情况说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("提出脱困或注销时，这里的说明就是申请理由。"),
    )


class VisitForm(forms.ModelForm):
    # The task (帮扶任务) this visit does, when recorded from the task list; the view narrows
    # the choice to the duties in the user's scope, the service checks it fits.
    duty = forms.ModelChoiceField(
        queryset=Duty.objects.none(), required=False, widget=forms.HiddenInput
    )
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
            "round",
            "measure",
        ]
        widgets = {"visited_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"goods_unit": _("如：公斤、升、袋、吨。")}
        field_classes = {"goods_value": MoneyField}

    def __init__(self, *args, funds=None, rounds=None, measures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds if funds is not None else Fund.objects.none()
        # The rounds (走访轮次) a visit to this household may count towards.
        self.fields["round"].queryset = rounds if rounds is not None else VisitRound.objects.none()
        self.fields["round"].empty_label = _("（不记入走访轮次）")
        self.fields["round"].help_text = _("记入轮次的走访计入该轮次的走访覆盖率。")
        # The household's open measures this visit may carry out (一户一措施).
        self.fields["measure"].queryset = (
            measures if measures is not None else AidMeasure.objects.none()
        )
        self.fields["measure"].label_from_instance = measure_label
        self.fields["measure"].empty_label = _("（不关联帮扶措施）")
        self.order_fields(["visited_on", "kind", "round", "visitors", "notes", "fund"])

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
