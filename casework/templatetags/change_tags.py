"""{% reads_changes as flag %}: whether the signed-in user may open the list of changes
reported (the navigation shows the link only then)."""

from django import template

from casework.changes import reads_reports

register = template.Library()


@register.simple_tag(takes_context=True)
def reads_changes(context) -> bool:
    user = context.get("user")
    return bool(user and user.is_authenticated and reads_reports(user))
