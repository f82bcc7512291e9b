"""The administrator sets the indicators' weights (指标权重) here: one sheet per starting year,
grouped as the texts' evaluation is (投入, 过程, 产出, 效果), checked to sum to 100."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from evaluation.models import GROUP_OF, Group, Indicator, WeightSheet, weight_field
from evaluation.services import weights_check


class WeightSheetForm(forms.ModelForm):
    class Meta:
        model = WeightSheet
        fields = ["valid_from_year", "note", *(weight_field(i) for i in Indicator)]

    def clean(self):
        data = super().clean()
        try:
            weights_check(data)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return data


@admin.register(WeightSheet)
class WeightSheetAdmin(SimpleHistoryAdmin):
    form = WeightSheetForm
    list_display = ["valid_from_year", "note"]
    fieldsets = [
        (None, {"fields": ["valid_from_year", "note"]}),
        *(
            (
                group.label,
                {
                    "fields": [
                        weight_field(indicator) for indicator, of in GROUP_OF.items() if of == group
                    ]
                },
            )
            for group in Group
        ),
    ]
