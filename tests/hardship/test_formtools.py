"""Selects are written by hardship.formtools.select_html, not through a template per option:
the HTML must be Django's own, to the character, whatever the choices and the values."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from factories import UnitFactory

from hardship import formtools
from hardship.models import Unit
from households.forms import HouseholdFilterForm


def django_and_ours(form):
    for name in form.fields:
        widget = form[name].field.widget
        if widget.template_name != formtools.SELECT_TEMPLATE:
            continue
        context = widget.get_context(name, form[name].value(), {"id": f"id_{name}"})
        yield (
            name,
            DjangoTemplates().render(widget.template_name, context),
            (formtools.select_html(context["widget"])),
        )


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "——"), ("x", "甲 & <b>"), ("y", "乙")], initial="y")
    grouped = forms.MultipleChoiceField(
        choices=[("组", [("1", "一"), ("2", "二")]), ("3", "三")], initial=["2", "3"]
    )
    attributes = forms.ChoiceField(
        choices=[(1, "one")],
        widget=forms.Select(attrs={"class": "form-select", "data-x": 'q"uote', "disabled": True}),
    )


def test_a_select_is_written_as_django_writes_it():
    compared = list(django_and_ours(Choices()))
    assert [name for name, _django, _ours in compared] == ["plain", "grouped", "attributes"]
    for name, django, ours in compared:
        assert ours == django, name


@pytest.mark.django_db
def test_the_household_filter_is_written_as_django_writes_it():
    UnitFactory(name='机修 "一" 车间 & <工会>', kind=Unit.Kind.GRASSROOTS)
    form = HouseholdFilterForm(
        {"status": "in_file", "category": "dibao"}, unions=Unit.objects.order_by("path")
    )
    compared = list(django_and_ours(form))
    assert len(compared) >= 5
    for name, django, ours in compared:
        assert ours == django, name


def test_the_project_renderer_writes_selects_directly(monkeypatch):
    monkeypatch.setattr(
        DjangoTemplates,
        "render",
        lambda *args, **kwargs: pytest.fail("a select went through the template engine"),
    )
    html = Choices()["plain"].as_widget()
    assert '<option value="y" selected>乙</option>' in html
