"""Forms of a campaign: its rules (a formset on the plan form), an adjustment of one
household, an objection to the notice and its resolution."""

from django import forms
from django.utils.translation import gettext_lazy as _

from funds.models import PlanAdjustment, PlanRule
from hardship.formtools import MoneyField
from households.models import Cause, Household, Member, Tag

MONEY = {"max_digits": 12, "decimal_places": 2}
BLANK = [("", "---------")]


class PlanRuleForm(forms.Form):
    """One rule; the condition is chosen in the field of its kind (stored as its value)."""

    kind = forms.ChoiceField(label=_("规则"), choices=BLANK + list(PlanRule.Kind.choices))
    cause = forms.ChoiceField(
        label=_("致困原因"), choices=BLANK + list(Cause.choices), required=False
    )
    school_stage = forms.ChoiceField(
        label=_("就学阶段"),
        choices=BLANK + [c for c in Member.SchoolStage.choices if c[0] != Member.SchoolStage.NONE],
        required=False,
    )
    title = forms.ChoiceField(
        label=_("劳模称号不低于"),
        choices=[("", _("不限"))] + list(Household.ModelWorkerTitle.choices),
        required=False,
    )
    level = forms.ChoiceField(
        label=_("困难程度"), choices=BLANK + list(Household.Level.choices), required=False
    )
    tag = forms.ModelChoiceField(label=_("标签"), queryset=Tag.objects.none(), required=False)
    income_from = MoneyField(
        label=_("人均月收入不低于（元）"), required=False, min_value=0, **MONEY
    )
    income_to = MoneyField(label=_("人均月收入低于（元）"), required=False, min_value=0, **MONEY)
    required = forms.BooleanField(label=_("须符合"), required=False, initial=True)
    addition = MoneyField(label=_("加发金额（元）"), required=False, min_value=0, **MONEY)

    # The field that holds the condition of each kind.
    VALUE_FIELD = {
        PlanRule.Kind.CAUSE: "cause",
        PlanRule.Kind.SCHOOL_STAGE: "school_stage",
        PlanRule.Kind.MODEL_WORKER: "title",
        PlanRule.Kind.LEVEL: "level",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = Tag.objects.filter(is_active=True)

    @classmethod
    def initial_for(cls, rule: PlanRule) -> dict:
        initial = {
            "kind": rule.kind,
            "tag": rule.tag_id,
            "income_from": rule.income_from,
            "income_to": rule.income_to,
            "required": rule.required,
            "addition": rule.addition or None,
        }
        if rule.kind in cls.VALUE_FIELD:
            initial[cls.VALUE_FIELD[rule.kind]] = rule.value
        return initial

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if not kind:
            return data
        value_field = self.VALUE_FIELD.get(kind)
        if value_field and value_field != "title" and not data.get(value_field):
            self.add_error(value_field, _("请选择该规则的条件。"))
        if kind == PlanRule.Kind.TAG and not data.get("tag"):
            self.add_error("tag", _("请选择标签。"))
        if kind == PlanRule.Kind.INCOME_BAND:
            low, high = data.get("income_from"), data.get("income_to")
            if low is None and high is None:
                self.add_error("income_to", _("请至少填写收入区间的一端。"))
            elif low is not None and high is not None and high <= low:
                self.add_error("income_to", _("上限须高于下限。"))
        addition = data.get("addition") or 0
        if kind == PlanRule.Kind.NOT_HELPED_LAST_YEAR and addition:
            self.add_error("addition", _("“上年未获同类活动帮扶”只作条件，不加发金额。"))
        if not data.get("required") and not addition:
            self.add_error("addition", _("规则须作为条件（须符合）或加发金额，二者至少其一。"))
        return data

    def to_rule(self) -> PlanRule:
        data = self.cleaned_data
        kind = data["kind"]
        value_field = self.VALUE_FIELD.get(kind)
        band = kind == PlanRule.Kind.INCOME_BAND
        return PlanRule(
            kind=kind,
            value=data.get(value_field) or "" if value_field else "",
            tag=data.get("tag") if kind == PlanRule.Kind.TAG else None,
            income_from=data.get("income_from") if band else None,
            income_to=data.get("income_to") if band else None,
            required=data.get("required", False),
            addition=data.get("addition") or 0,
        )


class BaseRuleFormSet(forms.BaseFormSet):
    def rules(self) -> list[PlanRule]:
        return [
            form.to_rule()
            for form in self.forms
            if form.cleaned_data.get("kind") and not form.cleaned_data.get("DELETE")
        ]


RuleFormSet = forms.formset_factory(
    PlanRuleForm, formset=BaseRuleFormSet, extra=2, can_delete=True, max_num=20
)


class AdjustmentForm(forms.Form):
    household = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(label=_("调整"), choices=PlanAdjustment.Action.choices)
    amount = MoneyField(label=_("调整后金额（元）"), required=False, min_value=0.01, **MONEY)
    reason = forms.CharField(label=_("原因"), max_length=200)


class PlanObjectionForm(forms.Form):
    household = forms.IntegerField(label=_("涉及家庭"), required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 2}))


class PlanObjectionResolveForm(forms.Form):
    uphold = forms.TypedChoiceField(
        label=_("处理结果"),
        choices=[("0", _("异议不成立")), ("1", _("异议成立"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.ChoiceField(
        label=_("异议成立时"),
        choices=[("", "---------")] + list(PlanAdjustment.Action.choices),
        required=False,
    )
    amount = MoneyField(label=_("调整后金额（元）"), required=False, min_value=0.01, **MONEY)
