"""Forms of the employment pages: they read and check input; the services write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employment.models import Enrolment, Partner, Referral, Trade
from employment.selectors import AGE_BANDS
from hardship.formtools import MoneyField
from households.plans import measure_label
from households.uploads import sniff_evidence

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 12, "decimal_places": 2}


class PartnerForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("登记单位"), queryset=None)
    kind = forms.ChoiceField(label=_("类别"), choices=Partner.Kind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    contact_person = forms.CharField(label=_("联系人"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class VacancyForm(forms.Form):
    employer = forms.ModelChoiceField(label=_("用工单位"), queryset=None)
    position = forms.CharField(label=_("岗位名称"), max_length=100)
    trade = forms.ChoiceField(label=_("工种"), choices=Trade.choices)
    age_min = forms.IntegerField(label=_("最低年龄"), min_value=16, max_value=70, initial=16)
    age_max = forms.IntegerField(label=_("最高年龄"), min_value=16, max_value=70, initial=59)
    location = forms.CharField(
        label=_("工作地点"), max_length=100, help_text=_("如：南岗区；按家庭住址匹配。")
    )
    monthly_wage = MoneyField(label=_("月工资（元）"), **MONEY)
    openings = forms.IntegerField(label=_("招聘人数"), min_value=1, max_value=999, initial=1)

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers


class CourseForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("培训机构"), queryset=None)
    name = forms.CharField(label=_("课程名称"), max_length=100)
    trade = forms.ChoiceField(label=_("工种"), choices=Trade.choices)
    starts_on = forms.DateField(label=_("开班日期"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("结业日期"), widget=DATE_INPUT)
    cost = MoneyField(label=_("培训费用（元）"), initial=0, **MONEY)
    fund = forms.ModelChoiceField(
        label=_("资金来源"),
        queryset=None,
        required=False,
        help_text=_("培训机构登记单位或其上级单位、开班年度的资金账户；费用为零时可不选。"),
    )

    def __init__(self, *args, providers, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["fund"].queryset = funds


class MeasureChoice(forms.ModelChoiceField):
    """The open measure of the member's household's plan a training or referral carries
    out (一户一措施)."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("落实的帮扶措施"),
            queryset=None,
            required=False,
            empty_label=_("（不关联帮扶措施）"),
            **kwargs,
        )

    def label_from_instance(self, obj):
        return measure_label(obj)


class EnrolForm(forms.Form):
    course = forms.ModelChoiceField(label=_("培训课程"), queryset=None)
    measure = MeasureChoice()

    def __init__(self, *args, courses, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["measure"].queryset = measures


class EnrolmentResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("培训结果"),
        choices=[c for c in Enrolment.Result.choices if c[0] != Enrolment.Result.ENROLLED],
    )
    certificate_number = forms.CharField(label=_("证书编号"), max_length=50, required=False)
    certificate = forms.FileField(
        label=_("结业证书"),
        required=False,
        help_text=_("PDF、JPEG 或 PNG；结业合格时必须上传。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    content_type = ""

    def clean_certificate(self):
        upload = self.cleaned_data["certificate"]
        if upload:
            self.content_type = sniff_evidence(upload)
        return upload


class ReferralForm(forms.Form):
    employer = forms.ModelChoiceField(label=_("用工单位"), queryset=None)
    vacancy = forms.ModelChoiceField(label=_("招聘岗位"), queryset=None, required=False)
    position = forms.CharField(label=_("岗位"), max_length=100)
    wage_offered = MoneyField(label=_("提供月工资（元）"), **MONEY)
    referred_on = forms.DateField(
        label=_("推荐日期"), widget=DATE_INPUT, initial=timezone.localdate
    )
    measure = MeasureChoice()

    def __init__(self, *args, employers, vacancies, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.fields["vacancy"].queryset = vacancies
        self.fields["measure"].queryset = measures


class ReferralResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("推荐结果"),
        choices=[c for c in Referral.Result.choices if c[0] != Referral.Result.PENDING],
    )
    result_on = forms.DateField(label=_("结果日期"), widget=DATE_INPUT, initial=timezone.localdate)
    start_on = forms.DateField(
        label=_("上岗日期"), widget=DATE_INPUT, required=False, help_text=_("已录用时填写。")
    )
    monthly_wage = MoneyField(
        label=_("月工资（元）"), required=False, help_text=_("已录用时填写。"), **MONEY
    )


class PlacementConfirmForm(forms.Form):
    measure = forms.ModelChoiceField(
        label=_("同时完成帮扶计划中的措施"),
        queryset=None,
        required=False,
        empty_label=_("不关联帮扶措施"),
    )

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["measure"].label_from_instance = lambda m: (
            f"{m.get_measure_display()}：{m.detail}" if m.detail else m.get_measure_display()
        )


class MatchForm(forms.Form):
    vacancy = forms.ModelChoiceField(
        label=_("按岗位匹配"), queryset=None, required=False, empty_label=_("不限岗位")
    )
    trade = forms.ChoiceField(
        label=_("持证工种"), choices=[("", _("不限"))] + Trade.choices, required=False
    )
    age_band = forms.ChoiceField(
        label=_("年龄段"),
        choices=[("", _("不限"))] + [(key, _("%s 岁") % key) for key in AGE_BANDS],
        required=False,
    )
    location = forms.CharField(label=_("居住地（住址包含）"), max_length=100, required=False)

    def __init__(self, *args, vacancies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = vacancies
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else ("form-control form-control-sm")
            )
            field.widget.attrs["class"] = css
