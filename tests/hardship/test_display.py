"""How stored values read on the audit trail and a household's history."""

from simple_history.models import DeletedObject

from funds.models import DistributionPlan
from hardship.display import choice_label, field_value
from hardship.models import User


def test_an_empty_link_reads_as_a_dash_not_a_deleted_row():
    field = DistributionPlan._meta.get_field("posted_by")
    assert field_value(field, DeletedObject(User, None)) == "—"


def test_a_removed_related_row_is_named_by_kind_and_id():
    field = DistributionPlan._meta.get_field("posted_by")
    assert field_value(field, DeletedObject(User, 7)) == "已删除的用户（id=7）"


def test_every_choice_reads_as_django_would_read_it_in_both_languages():
    """get_FOO_display of every model (hardship.display.choice_label, installed at start)
    gives Django's own answer, for each choice and for a value outside them."""
    from django.apps import apps
    from django.db import models
    from django.utils import translation

    checked = 0
    for model in apps.get_models():
        for field in model._meta.fields:
            if not field.choices or f"get_{field.name}_display" not in model.__dict__:
                continue
            assert model.__dict__[f"get_{field.name}_display"].func is choice_label
            for value in [choice for choice, _label in field.flatchoices] + ["no-such-value"]:
                instance = model(**{field.attname: value})
                for language in ("zh-hans", "en"):
                    with translation.override(language):
                        ours = getattr(instance, f"get_{field.name}_display")()
                        theirs = models.Model._get_FIELD_display(instance, field)
                    assert (ours, type(ours)) == (theirs, type(theirs)), (model, field.name)
                    checked += 1
    assert checked > 500
