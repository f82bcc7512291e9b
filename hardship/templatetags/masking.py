"""Display masking for sensitive personal information (PIPL; GB/T 35273 §7.2)."""

from django import template

from hardship.idnumber import mask_account, mask_id_number, mask_name, mask_phone

register = template.Library()


@register.filter
def masked_id(value):
    return mask_id_number(value or "")


@register.filter
def masked_phone(value):
    return mask_phone(value or "")


@register.filter
def masked_name(value):
    return mask_name(value or "")


@register.filter
def masked_account(value):
    return mask_account(value or "")
