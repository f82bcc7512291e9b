"""A family's figures on list pages (annotated by households.figures)."""

from django import template

from households import figures

register = template.Library()


@register.filter
def per_capita(household):
    """The household's monthly income per person: `{{ h|per_capita|yuan }}`."""
    return figures.per_capita(household)
