from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import SurveyItem, Target
from hardship.formtools import MoneyField
from hardship.models import Unit


class TargetForm(forms.ModelForm):
    planned_allocation = MoneyField(
        label=_("计划拨付资金（元）"),
        required=False,
        help_text=_("本年计划到账的帮扶资金；不填则不考核资金到位率。"),
    )

    class Meta:
        model = Target
        fields = [
            "planned_allocation",
            "fund_arrival",
            "spending",
            "visit_coverage",
            "intake_on_time",
            "duties_on_time",
            "person_times",
            "serious_share",
            "exits",
            "satisfaction",
        ]


class SurveyForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    size = forms.IntegerField(label=_("抽样户数"), min_value=1)
    seed = forms.IntegerField(
        label=_("随机种子"),
        required=False,
        min_value=0,
        max_value=2**31 - 2,
        help_text=_("不填则随机生成；填写以前的种子可重现同一次抽样。"),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AnswerForm(forms.Form):
    channel = forms.ChoiceField(label=_("回访方式"), choices=SurveyItem.Channel.choices)
    answer = forms.ChoiceField(label=_("回访结果"), choices=SurveyItem.Answer.choices)
    comment = forms.CharField(label=_("意见建议"), max_length=500, required=False)
