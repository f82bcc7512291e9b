import unicodedata

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class FiniteDecimalField(forms.DecimalField):
    """A DecimalField that refuses NaN and infinities when converting, not only when
    validating. A formset asks each extra form has_changed() first, which compares the
    field's initial value with the converted input: against a signalling NaN ("sNaN") that
    comparison raises decimal.InvalidOperation, a server error instead of a form error."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


def ascii_amount(value: str) -> str:
    """Fold full-width characters (１００．５０, as Chinese input methods type them) to ASCII
    and refuse any other script's digits with a clear message. Python's Decimal would
    otherwise read "٣" or "३" as 3 without a word."""
    folded = "".join(
        unicodedata.normalize("NFKC", char) if "\uff01" <= char <= "\uff5e" else char
        for char in value
    )
    for char in folded:
        if not char.isascii() and (char.isdigit() or unicodedata.category(char) == "Nd"):
            raise ValidationError(
                _("金额只能使用数字 0-9（全角数字会自动转换），“%(c)s”不是可接受的数字。")
                % {"c": char},
                code="digits",
            )
    return folded


class MoneyField(FiniteDecimalField):
    """Every money input: full-width digits become ASCII, other scripts' digits are
    refused, NaN and infinities are refused (FiniteDecimalField)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = ascii_amount(value)
        return super().to_python(value)


def form_errors_from(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, where the form
    has that field, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs_html(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict) -> str:
    """A <select> as Django's select.html and select_option.html write it (to the
    character: tests/hardship/test_formtools.py compares them), without a
    template render per option: a page's filter selects (the unions of a province, the
    tags) took a third of its rendering time that way."""
    parts = [f'<select name="{escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{escape(str(option["value"]))}"'
                f"{_attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class ProjectFormRenderer(DjangoTemplates):
    """Django's template renderer without the `maxlength` attribute on inputs: a browser
    cuts longer text off silently (typed or pasted), so the server refuses it instead and
    says the limit (see use_project_wording); selects written directly (select_html). Set
    as FORM_RENDERER."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if isinstance(widget, dict):
            for one in [widget, *widget.get("subwidgets", [])]:
                one.get("attrs", {}).pop("maxlength", None)
            if template_name == SELECT_TEMPLATE and all(
                option["template_name"] == OPTION_TEMPLATE
                for _name, options, _index in widget["optgroups"]
                for option in options
            ):
                return select_html(widget)
        return super().render(template_name, context, request=request)


def use_project_wording() -> None:
    """Replace Django's stock messages for length and range limits, whose Chinese wording
    ("确保该变量包含不超过 …") reads as a programmer's note, with the project's own, naming
    the limit. Validators read `message` when they fail, so setting it on the class reaches
    every form and model field, however early it was built. Called from the app's ready()."""
    validators.MaxLengthValidator.message = ngettext_lazy(
        "不能超过 %(limit_value)d 个字符（现在是 %(show_value)d 个）。",
        "不能超过 %(limit_value)d 个字符（现在是 %(show_value)d 个）。",
        "limit_value",
    )
    validators.MinLengthValidator.message = ngettext_lazy(
        "至少要有 %(limit_value)d 个字符（现在是 %(show_value)d 个）。",
        "至少要有 %(limit_value)d 个字符（现在是 %(show_value)d 个）。",
        "limit_value",
    )
    validators.MaxValueValidator.message = _("不能大于 %(limit_value)s。")
    validators.MinValueValidator.message = _("不能小于 %(limit_value)s。")
    validators.StepValueValidator.message = _("须为 %(limit_value)s 的整数倍。")
    validators.DecimalValidator.messages = {
        "invalid": _("请输入数字。"),
        "max_digits": ngettext_lazy(
            "数字过长：最多 %(max)s 位。", "数字过长：最多 %(max)s 位。", "max"
        ),
        "max_decimal_places": ngettext_lazy(
            "最多 %(max)s 位小数。", "最多 %(max)s 位小数。", "max"
        ),
        "max_whole_digits": ngettext_lazy(
            "整数部分最多 %(max)s 位。", "整数部分最多 %(max)s 位。", "max"
        ),
    }
