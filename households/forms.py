from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hardship import validators
from hardship.formtools import MoneyField
from hardship.idnumber import birth_date_of, normalise_id_number
from households.models import (
    AidMeasure,
    Cause,
    Evidence,
    Household,
    IncomeItem,
    Member,
    Tag,
)
from households.responsible import (
    check_eligible,
    eligible_users,
    eligible_users_in,
    refusal_message,
)
from households.uploads import check_valid_until, sniff_evidence

User = get_user_model()
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CompactWidgets:
    """Small Bootstrap inputs for forms laid out as table rows or filter bars (the full
    forms are rendered by crispy-forms)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = css


class HouseholdForm(forms.ModelForm):
    causes = forms.MultipleChoiceField(
        label=gettext_lazy("致困原因"),
        choices=Cause.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("可多选。"),
    )

    class Meta:
        model = Household
        fields = [
            "union",
            "worker_name",
            "gender",
            "id_number",
            "phone",
            "address",
            "employer",
            "employment_status",
            "is_model_worker",
            "model_worker_title",
            "model_worker_year",
            "tags",
            "worker_health",
            "worker_disability_grade",
            "worker_illness",
            "worker_medical_costs",
            "bank_account",
            "category",
            "level",
            "main_cause",
            "responsible_user",
            "contact_person",
            "contact_phone",
            "housing",
            "housing_area",
            "vehicles",
            "luxury_goods",
            "savings",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"worker_medical_costs": MoneyField, "savings": MoneyField}

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions
        # The 帮扶责任人 is chosen among the union's caseworkers and cadres (households.responsible).
        responsible = self.fields["responsible_user"]
        eligible = (
            eligible_users(self.instance.union)
            if self.instance.union_id
            else eligible_users_in(list(unions))
        )
        # The person already chosen stays selectable (their account may since have ended):
        # keeping them is not a new choice, and the rest of the file can still be edited.
        responsible.queryset = eligible.model.objects.filter(
            Q(pk__in=eligible.values("pk")) | Q(pk=self.instance.responsible_user_id)
        ).order_by("full_name", "username")
        responsible.error_messages["invalid_choice"] = refusal_message()
        responsible.label_from_instance = lambda user: (
            f"{user.full_name}（{user.username}）" if user.full_name else user.username
        )
        if self.instance.responsible_person and not self.instance.responsible_user_id:
            responsible.help_text = _("导入的姓名“%(name)s”尚未对应到系统用户，请选择。") % {
                "name": self.instance.responsible_person
            }
        self.fields["main_cause"].choices = [
            ("", gettext_lazy("（默认：所选的第一个原因）"))
        ] + list(Cause.choices)
        # Tags an administrator defines; a retired one stays on the files that carry it.
        self.fields["tags"].queryset = Tag.objects.filter(
            Q(is_active=True) | Q(pk__in=self.instance.tags.all() if self.instance.pk else [])
        )
        self.fields["tags"].widget = forms.CheckboxSelectMultiple()
        self.fields["tags"].help_text = _("如农民工、单亲家庭；标签由系统管理员设置。")
        # Forms and imports written before these fields existed leave them out: healthy, no costs.
        self.fields["worker_health"].required = False
        self.fields["worker_medical_costs"].required = False
        if self.instance.pk:
            self.initial["causes"] = [c.cause for c in self.instance.causes.all()]

    def clean_worker_health(self):
        return self.cleaned_data.get("worker_health") or Member.Health.HEALTHY

    def clean_worker_medical_costs(self):
        costs = self.cleaned_data.get("worker_medical_costs")
        return Decimal("0") if costs is None else costs

    def clean_id_number(self):
        # Validate here, not only through the model field's validator (which runs after
        # clean()), so that clean() only ever sees a well-formed number.
        return validators.clean_id_number(self.cleaned_data["id_number"])

    def clean_bank_account(self):
        return validators.clean_bank_account(self.cleaned_data["bank_account"])

    def clean_phone(self):
        return validators.clean_phone(
            self.cleaned_data["phone"], validators.text_limit(Household, "phone")
        )

    def clean(self):
        data = super().clean()
        id_number, gender = data.get("id_number"), data.get("gender")
        if id_number and gender and "id_number" not in self.errors:
            if mismatch := validators.gender_mismatch(id_number, gender):
                self.add_error("gender", mismatch)
        causes, main = data.get("causes") or [], data.get("main_cause")
        if main and "causes" not in self.errors and main not in causes:
            self.add_error("main_cause", _("主要致困原因须是所选致困原因之一。"))
        model_worker = data.get("is_model_worker")
        year = data.get("model_worker_year")
        if not model_worker and (data.get("model_worker_title") or year):
            self.add_error("is_model_worker", _("填写了劳模称号的，请勾选“劳模”。"))
        if (
            model_worker
            and not data.get("model_worker_title")
            and "model_worker_title" in self.data
        ):
            self.add_error("model_worker_title", _("劳模请选择称号级别。"))
        if year is not None and not 1950 <= year <= timezone.localdate().year:
            self.add_error("model_worker_year", _("获评年份须在 1950 年至今年之间。"))
        health, grade = data.get("worker_health"), data.get("worker_disability_grade")
        if health == Member.Health.DISABLED and grade is None:
            self.add_error("worker_disability_grade", _("职工本人残疾的，须填写残疾等级。"))
        if health and health != Member.Health.DISABLED and grade is not None:
            self.add_error("worker_disability_grade", _("只有职工本人残疾时才填写残疾等级。"))
        union, responsible = data.get("union"), data.get("responsible_user")
        kept = (
            responsible is not None
            and responsible.pk == self.instance.responsible_user_id
            and union is not None
            and union.pk == self.instance.union_id
        )
        if union and responsible and not kept:
            try:
                check_eligible(responsible, union)
            except ValidationError as error:
                self.add_error(None, error)
        status = self.instance.status if self.instance.pk else Household.Status.DRAFT
        if id_number and status == Household.Status.IN_FILE:
            clash = Household.objects.filter(
                id_number=id_number, status=Household.Status.IN_FILE
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("id_number", _("该身份证号已是另一户在档困难职工。"))
        return data


class MemberForm(CompactWidgets, forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "name",
            "relation",
            "birth_date",
            "id_number",
            "health",
            "disability_grade",
            "employment",
            "school_stage",
            "monthly_income",
        ]
        widgets = {"birth_date": DATE_INPUT}
        field_classes = {"monthly_income": MoneyField}

    def clean_id_number(self):
        number = normalise_id_number(self.cleaned_data.get("id_number", ""))
        # As in HouseholdForm: clean() compares the birth date with a valid number only.
        return validators.clean_id_number(number) if number else number

    def clean(self):
        data = super().clean()
        health, grade = data.get("health"), data.get("disability_grade")
        if health == Member.Health.DISABLED and grade is None:
            self.add_error("disability_grade", _("残疾成员须填写残疾等级。"))
        if health and health != Member.Health.DISABLED and grade is not None:
            self.add_error("disability_grade", _("只有残疾成员才填写残疾等级。"))
        id_number, birth = data.get("id_number"), data.get("birth_date")
        if id_number and birth and "id_number" not in self.errors:
            if birth_date_of(id_number) != birth:
                self.add_error(
                    "birth_date",
                    _("出生日期与身份证号不符（身份证号中为 %(d)s）。")
                    % {"d": birth_date_of(id_number).isoformat()},
                )
        return data


class MemberFormSet(BaseInlineFormSet):
    def __init__(self, *args, worker_id_number="", **kwargs):
        super().__init__(*args, **kwargs)
        self.worker_id_number = worker_id_number

    def clean(self):
        super().clean()
        seen = {self.worker_id_number} if self.worker_id_number else set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            number = form.cleaned_data.get("id_number")
            if not number:
                continue
            if number in seen:
                form.add_error("id_number", _("同一身份证号在本户中重复出现。"))
            seen.add(number)


MemberFormSetFactory = inlineformset_factory(
    Household, Member, form=MemberForm, formset=MemberFormSet, extra=1, can_delete=True
)


class IncomeItemForm(CompactWidgets, forms.ModelForm):
    class Meta:
        model = IncomeItem
        fields = ["source", "monthly_amount", "note"]
        field_classes = {"monthly_amount": MoneyField}


IncomeFormSetFactory = inlineformset_factory(
    Household, IncomeItem, form=IncomeItemForm, extra=1, can_delete=True
)


class AidMeasureForm(CompactWidgets, forms.ModelForm):
    class Meta:
        model = AidMeasure
        fields = ["cause", "measure", "detail", "owner", "target_on"]
        widgets = {"target_on": DATE_INPUT}

    def __init__(self, *args, causes, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cause"].choices = [("", "---------")] + [
            (c.cause, c.get_cause_display()) for c in causes
        ]
        owner = self.fields["owner"]
        owner.queryset = owners if owners is not None else User.objects.none()
        owner.label_from_instance = str
        owner.error_messages["invalid_choice"] = _OWNER_OUTSIDE
        if self.instance.pk and self.instance.status in AidMeasure.CLOSED:
            # A closed measure keeps what it was; its outcome is on the household page.
            for field in self.fields.values():
                field.disabled = True

    def clean_target_on(self):
        target = self.cleaned_data.get("target_on")
        if self.instance.pk is None and target is not None and target < timezone.localdate():
            raise forms.ValidationError(_("新增措施的计划完成日期不能早于今天。"))
        return target


_OWNER_OUTSIDE = gettext_lazy(
    "措施负责人须是本单位或上级工会的帮扶专干、基层工会主席、公司工会复核或党政班子成员。"
)

AidMeasureFormSetFactory = inlineformset_factory(
    Household, AidMeasure, form=AidMeasureForm, extra=2, can_delete=True
)


class ExitTargetForm(forms.Form):
    exit_target_on = forms.DateField(
        label=gettext_lazy("计划脱困日期（脱困时间表）"),
        required=False,
        widget=DATE_INPUT,
        help_text=gettext_lazy("按帮扶计划，预计该户脱困的日期。"),
    )


class MeasureProgressForm(forms.Form):
    """One step of a measure (开始实施 / 完成 / 未达成) from the household's plan section."""

    measure = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        choices=[
            (AidMeasure.Status.UNDER_WAY, gettext_lazy("开始实施")),
            (AidMeasure.Status.DONE, gettext_lazy("完成")),
            (AidMeasure.Status.FAILED, gettext_lazy("未达成")),
        ]
    )
    on = forms.DateField(label=gettext_lazy("日期"), widget=DATE_INPUT)
    note = forms.CharField(label=gettext_lazy("结果说明"), max_length=200, required=False)


class EvidenceForm(forms.Form):
    cause = forms.ChoiceField(label=gettext_lazy("对应致困原因"))
    kind = forms.ChoiceField(label=gettext_lazy("材料类型"), choices=Evidence.Kind.choices)
    file = forms.FileField(
        label=gettext_lazy("文件"),
        help_text=gettext_lazy("PDF、JPEG 或 PNG。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    valid_until = forms.DateField(
        label=gettext_lazy("有效期至"),
        required=False,
        widget=DATE_INPUT,
        help_text=gettext_lazy("残疾证、低保证、诊断证明等有有效期的填写。"),
    )

    def __init__(self, *args, causes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cause"].choices = [(c.cause, c.get_cause_display()) for c in causes]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = sniff_evidence(upload)
        return upload

    def clean_valid_until(self):
        valid_until = self.cleaned_data.get("valid_until")
        check_valid_until(valid_until)
        return valid_until


class HouseholdFilterForm(CompactWidgets, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("姓名、身份证号或电话")}),
    )
    union = forms.ModelChoiceField(
        label=gettext_lazy("单位"), queryset=None, required=False, empty_label=gettext_lazy("全部")
    )
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        choices=[("", gettext_lazy("全部"))] + Household.Status.choices,
        required=False,
    )
    category = forms.ChoiceField(
        label=gettext_lazy("类别"),
        choices=[("", gettext_lazy("全部"))] + Household.Category.choices,
        required=False,
    )
    level = forms.ChoiceField(
        label=gettext_lazy("程度"),
        choices=[("", gettext_lazy("全部"))] + Household.Level.choices,
        required=False,
    )
    cause = forms.ChoiceField(
        label=gettext_lazy("致困原因"),
        choices=[("", gettext_lazy("全部"))] + Cause.choices,
        required=False,
    )
    employment = forms.ChoiceField(
        label=gettext_lazy("就业"),
        choices=[("", gettext_lazy("全部")), ("zero", gettext_lazy("零就业家庭"))],
        required=False,
    )
    model_worker = forms.ChoiceField(
        label=gettext_lazy("劳模"),
        choices=[("", gettext_lazy("全部")), ("yes", gettext_lazy("困难劳模"))]
        + Household.ModelWorkerTitle.choices,
        required=False,
    )
    tag = forms.ModelChoiceField(
        label=gettext_lazy("标签"),
        queryset=Tag.objects.all(),
        required=False,
        empty_label=gettext_lazy("全部"),
    )

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions


class ResponsibleAssignForm(forms.Form):
    """Choose the 帮扶责任人 of one household among its union's eligible users."""

    user = forms.ModelChoiceField(label=gettext_lazy("帮扶责任人"), queryset=None)
    reason = forms.CharField(label=gettext_lazy("原因"), max_length=100, required=False)

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = eligible_users(household.union)
        self.fields["user"].error_messages["invalid_choice"] = refusal_message()
