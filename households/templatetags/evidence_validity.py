"""{% validity_badge evidence %}: how an evidence document stands against its valid-until
date (households.expiry), for every list of a household's evidence."""

from django import template
from django.utils import timezone

from households.expiry import validity, warning_days

register = template.Library()


@register.inclusion_tag("households/includes/_validity_badge.html", takes_context=True)
def validity_badge(context, evidence):
    if evidence.valid_until is None:
        return {"state": None}
    # One policy look-up per union and page.
    cache = context.render_context.setdefault("evidence_warning_days", {})
    household = evidence.household
    today = timezone.localdate()
    if household.union_id not in cache:
        cache[household.union_id] = warning_days(household.union, today)
    return {"state": validity(evidence, today, cache[household.union_id])}
