"""{% page_notes "household" household %}: the notes other apps registered for the page
(hardship.page_notes)."""

from django import template

from hardship.page_notes import notes_for

register = template.Library()


@register.inclusion_tag("includes/_page_notes.html", takes_context=True)
def page_notes(context, page, obj):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"notes": notes_for(page, user, obj) if user is not None else []}
