from casework.selectors import inbox_count


def inbox(request):
    """The 待我处理 count in every page's navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_inbox_count": inbox_count(user)}
