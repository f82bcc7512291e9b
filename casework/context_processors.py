from django.utils import timezone

from casework.selectors import inbox_count
from casework.task_selectors import nav_counts


def inbox(request):
    """The 待我处理 count, and the pressing tasks and unread notifications (one query), in
    every page's navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = nav_counts(user, timezone.localdate())
    return {
        # The inbox page has counted what it lists: the same figure, not counted again.
        "nav_inbox_count": (
            request.inbox_count if hasattr(request, "inbox_count") else inbox_count(user)
        ),
        "nav_task_count": counts["tasks"],
        "nav_unread_count": counts["unread"],
    }
