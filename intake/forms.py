"""Forms of the front door: they parse; the services (intake.services, intake.legal) judge."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hardship.formtools import MoneyField
from households.forms import CompactWidgets
from households.uploads import sniff_evidence
from intake.models import Channel, Contact, LegalAidCase, LegalAidProvider, Topic

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ALL = [("", _("全部"))]


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices)
    received_at = forms.DateTimeField(
        label=_("来访时间"),
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    topic = forms.ChoiceField(label=_("类别"), choices=Topic.choices)
    caller_name = forms.CharField(
        label=_("姓名"), max_length=50, error_messages={"required": _("请填写来访人姓名。")}
    )
    id_number = forms.CharField(
        label=_("身份证号"),
        required=False,
        max_length=30,
        help_text=_("填写后按身份证号匹配已有档案和职工账号。"),
    )
    phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        max_length=20,
        help_text=_("未填身份证号时按电话匹配已有档案。"),
    )
    address = forms.CharField(label=_("通讯地址"), required=False, max_length=200)
    worker_unit = forms.ModelChoiceField(
        label=_("职工所在单位"),
        queryset=None,
        required=False,
        help_text=_("匹配到档案时以档案所在工会为准。"),
    )
    about_unit = forms.ModelChoiceField(
        label=_("被投诉单位"),
        queryset=None,
        required=False,
        help_text=_("仅投诉填写：投诉由被投诉单位的上级工会办理。"),
    )
    referred_by = forms.CharField(label=_("转来单位"), required=False, max_length=100)
    summary = forms.CharField(
        label=_("反映内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    attachment = forms.FileField(
        label=_("来信扫描件"),
        required=False,
        help_text=_("PDF、JPEG 或 PNG，按文件内容检查。"),
    )

    def __init__(self, *args, units, complaint_units, **kwargs):
        kwargs.setdefault("initial", {"received_at": timezone.localtime().replace(second=0)})
        super().__init__(*args, **kwargs)
        self.fields["worker_unit"].queryset = units
        self.fields["about_unit"].queryset = complaint_units
        self.attachment_type = ""

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            self.attachment_type = sniff_evidence(upload)
        return upload


class ContactFilterForm(CompactWidgets, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("登记编号或姓名")}),
    )
    status = forms.ChoiceField(
        label=_("状态"),
        choices=ALL + Contact.Status.choices + [("overdue", _("已超期"))],
        required=False,
    )
    channel = forms.ChoiceField(label=_("渠道"), choices=ALL + Channel.choices, required=False)
    topic = forms.ChoiceField(label=_("类别"), choices=ALL + Topic.choices, required=False)
    unit = forms.ModelChoiceField(
        label=_("承办单位"), queryset=None, required=False, empty_label=_("全部")
    )
    received_from = forms.DateField(label=_("来访日期自"), required=False, widget=DATE_INPUT)
    received_to = forms.DateField(label=_("至"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ActionForm(forms.Form):
    note = forms.CharField(
        label=_("办理情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("办理结果"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    told_how = forms.CharField(
        label=_("告知方式"),
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("电话、面告或书面答复")}),
    )
    caller_told = forms.BooleanField(label=_("已将办理结果告知来访人"), required=False)


class FollowUpForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("回访结果"), choices=Contact.Satisfaction.choices)
    note = forms.CharField(label=_("回访记录"), max_length=500, required=False)


class OnlineContactForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("类别"),
        choices=Topic.choices,
        help_text=_("选择“投诉”时，投诉由您所在工会的上级工会办理。"),
    )
    summary = forms.CharField(
        label=_("您要反映的情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    phone = forms.CharField(
        label=_("回复电话"),
        required=False,
        max_length=20,
        help_text=_("留空则使用档案中的电话。"),
    )


class LegalCaseForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("受理单位"), queryset=None)
    worker_name = forms.CharField(label=_("职工姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), required=False, max_length=30)
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=20)
    matter = forms.ChoiceField(label=_("事项"), choices=LegalAidCase.Matter.choices)
    summary = forms.CharField(
        label=_("案情"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    opened_on = forms.DateField(label=_("受理日期"), widget=DATE_INPUT)

    def __init__(self, *args, units, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("opened_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ReferForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("转介至"), queryset=None)
    referred_on = forms.DateField(label=_("转介日期"), widget=DATE_INPUT)

    def __init__(self, *args, providers, **kwargs):
        kwargs.setdefault("initial", {"referred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结案方式"), choices=LegalAidCase.Outcome.choices)
    amount_recovered = MoneyField(
        label=_("挽回金额（元）"), max_digits=12, decimal_places=2, min_value=0
    )
    concluded_on = forms.DateField(label=_("结案日期"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"concluded_on": timezone.localdate(), "amount_recovered": 0})
        super().__init__(*args, **kwargs)


class ProviderForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("所属工会"), queryset=None)
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=LegalAidProvider.Kind.choices)
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=20)
    address = forms.CharField(label=_("地址"), required=False, max_length=200)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class StatisticsForm(CompactWidgets, forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("月份"),
        choices=[("", _("全年"))] + [(m, str(m)) for m in range(1, 13)],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
