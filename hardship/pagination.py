"""One way to page a list: what templates/includes/_pagination.html needs."""

from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, items, per_page=PAGE_SIZE):
    """The requested page of ``items`` and the query string its links keep.

    Returns a context fragment ``{"page": ..., "query": ...}``: the page object
    (``get_page`` turns a missing or bad page number into the nearest real page)
    and the current filters without ``page``, so the page links keep them.
    """
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}
