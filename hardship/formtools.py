import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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
