"""How a stored value reads on a change history (the audit trail and a household's own
history): choice labels, 是/否, money as everywhere else, and times in the local zone to the
second — never the raw UTC value with microseconds that str() gives."""

import datetime
from decimal import Decimal
from functools import partialmethod

from django.apps import apps
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject

from hardship.templatetags.money import format_yuan

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def local_time(value: datetime.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime(TIME_FORMAT)


def field_value(field, value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, DeletedObject):
        # simple-history's stand-in for a related row it cannot load: an empty link (pk None)
        # reads as nothing, a removed row by its kind and id.
        if value.pk is None:
            return "—"
        return _("已删除的%(kind)s（id=%(pk)s）") % {
            "kind": value.model._meta.verbose_name,
            "pk": value.pk,
        }
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime):
        return local_time(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal) and getattr(field, "decimal_places", None) == 2:
        return format_yuan(value)
    return str(value)


def choice_label(self, field):
    """Model.get_FOO_display without translating every label of the field's choices: Django
    builds a dictionary of them on each call, hashing each lazy label (a translation each),
    about 870 of a household list page's 970 translations. The first matching value's label
    is the same answer."""
    value = getattr(self, field.attname)
    for choice, label in field.flatchoices:
        if choice == value:
            return force_str(label, strings_only=True)
    return force_str(value, strings_only=True)


def use_choice_labels() -> None:
    """Make every model's get_FOO_display use choice_label (called from the app's ready()).
    Django set each as a partial method of Model._get_FIELD_display when the model class was
    made; a method a model defines itself is left alone."""
    for model in apps.get_models():
        for field in model._meta.fields:
            name = f"get_{field.name}_display"
            if field.choices and isinstance(model.__dict__.get(name), partialmethod):
                setattr(model, name, partialmethod(choice_label, field=field))
