from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import DATE_INPUT
from casework.models import VisitRound
from funds.models import Fund
from hardship.models import Unit


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_kind_display()}）"


class FundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.year} {obj.name}（{obj.unit.name}）"


class RoundForm(forms.ModelForm):
    """A new visit round (走访轮次): its unit among those the user organises visits for."""

    unit = UnitChoiceField(label=_("覆盖单位"), queryset=Unit.objects.none())
    fund = FundChoiceField(
        label=_("物资出自资金账户"),
        queryset=Fund.objects.none(),
        required=False,
        empty_label=_("（不指定）"),
        help_text=_("登记本轮走访时预先选中该账户；须为本单位或上级单位可支付“物资”的账户。"),
    )

    class Meta:
        model = VisitRound
        fields = ["name", "unit", "starts_on", "ends_on", "fund"]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}
        help_texts = {
            "name": _("如：2027 春节走访。"),
            "unit": _("公司工会或总工会的轮次覆盖其下全部基层工会。"),
        }

    def __init__(self, *args, units, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["fund"].queryset = funds

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data
