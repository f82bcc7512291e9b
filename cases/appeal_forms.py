from django import forms
from django.utils.translation import gettext_lazy as _


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("申诉理由"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=_("请写明对原决定的哪些认定有异议，以及事实和依据。"),
        error_messages={"required": _("请填写申诉理由。")},
    )


class AppealDecisionForm(forms.Form):
    OUTCOMES = [("uphold", _("申诉成立")), ("dismiss", _("维持原决定"))]

    outcome = forms.ChoiceField(choices=OUTCOMES)
    send_back_to = forms.ChoiceField(
        label=_("申诉成立时退回的环节"),
        required=False,
        help_text=_("申请回到该环节重新审查；不能越过作出原决定的环节。"),
    )
    comment = forms.CharField(
        label=_("复查意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("请填写复查意见。")},
    )
    expected_state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["send_back_to"].choices = [("", "—")] + [
            (level.state, level.label) for level in levels
        ]
