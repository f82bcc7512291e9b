from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Application, Investigation
from hardship.formtools import MoneyField
from households.plans import measure_label

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

    def __init__(self, *args, measures=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered where the household's plan is known (the household's own application
        # page), and only if it has open measures: the one the application, and so its
        # payment, carries out.
        if measures is not None and measures.exists():
            self.fields["measure"] = forms.ModelChoiceField(
                label=_("落实的帮扶措施"),
                queryset=measures,
                required=False,
                empty_label=_("（不关联帮扶措施）"),
            )
            self.fields["measure"].label_from_instance = measure_label

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
