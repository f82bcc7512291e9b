from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def css_string(value) -> str:
    """Text for a CSS string in a PDF stylesheet (page headers): quotes, backslashes and
    angle brackets are CSS-escaped, so a unit's name can neither end the string nor the
    <style> element."""
    out = []
    for char in str(value):
        if char in '"\\<>&\n\r' or ord(char) < 32:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return mark_safe("".join(out))
