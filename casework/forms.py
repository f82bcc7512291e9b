from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import AnnualReview


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
