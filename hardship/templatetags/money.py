"""The one way money is shown, on pages and in PDFs alike: thousands separators and two
decimals (1,174,000.00), and — where no column header already says （元） — the unit after
one space: "1,174,000.00 元", "1,174,000.00 yuan"."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext

register = template.Library()


def format_yuan(value, *, unit=False) -> str:
    """12345.6 → 12,345.60 (two places always: money is never shown rounded away)."""
    if value is None or value == "":
        return ""
    try:
        number = f"{Decimal(value):,.2f}"
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    return f"{number} {gettext('元')}" if unit else number


@register.filter
def yuan(value, arg="") -> str:
    """{{ amount|yuan }} in a column headed （元）; {{ amount|yuan:"unit" }} stands alone."""
    return format_yuan(value, unit=arg == "unit")
