"""One way to page a list: what templates/includes/_pagination.html needs."""

from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, items, per_page=PAGE_SIZE, count: int | None = None):
    """The requested page of ``items`` and the query string its links keep.

    Returns a context fragment ``{"page": ..., "query": ...}``: the page object
    (``get_page`` turns a missing or bad page number into the nearest real page)
    and the current filters without ``page``, so the page links keep them. ``count``, the
    number of items when the caller has counted them already.
    """
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached property: the items are not counted again
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}


class KeysetPage:
    """A page of a list ordered newest first by primary key, reached from a neighbour page by
    its edge key (``after``: older than the last row shown; ``before``: newer than the first)
    rather than by OFFSET, so page 500 costs what page 1 does: the index walk starts at the
    key. It answers what templates/includes/_pagination.html asks of a Django page.

    The page number travels with the links as a label. A number typed into the address bar
    (no key) is still honoured, by OFFSET; and when files are added or removed between two
    clicks the label may be one off until the next "首页" or "末页", never the rows."""

    keyset = True

    def __init__(self, rows, *, number, count, per_page, has_previous, has_next, query):
        self.object_list = rows
        self.number = number
        self.paginator = Paginator(range(count), per_page)  # count and num_pages only
        self._has_previous, self._has_next = has_previous, has_next
        self._query = query

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_previous(self):
        return self._has_previous

    def has_next(self):
        return self._has_next

    def has_other_pages(self):
        return self._has_previous or self._has_next

    def previous_page_number(self):
        return max(1, self.number - 1)

    def next_page_number(self):
        return min(self.paginator.num_pages, self.number + 1)

    def _link(self, **params) -> str:
        query = self._query.copy()
        for key, value in params.items():
            query[key] = value
        return query.urlencode()

    def first_query(self):
        return self._link(page=1)

    def previous_query(self):
        if not self.object_list:
            return self.first_query()
        return self._link(page=self.previous_page_number(), before=self.object_list[0].pk)

    def next_query(self):
        return self._link(page=self.next_page_number(), after=self.object_list[-1].pk)

    def last_query(self):
        return self._link(page=self.paginator.num_pages, last=1)


def _key(value) -> int | None:
    try:
        key = int(value)
    except (TypeError, ValueError):
        return None
    return key if key > 0 else None


def keyset_paginate(request, items, per_page=PAGE_SIZE, count: int | None = None):
    """``paginate`` for a queryset ordered by descending primary key (newest first), paged by
    key (see KeysetPage). Costs the count (none when the caller gives it) and one page of
    rows, at any depth."""
    query = request.GET.copy()
    for name in ("page", "after", "before", "last"):
        query.pop(name, None)
    after, before = _key(request.GET.get("after")), _key(request.GET.get("before"))
    if after is None and before is None and request.GET.get("last") != "1":
        return _by_number(request.GET.get("page"), items, per_page, query, count)
    count = items.count() if count is None else count
    pages = max(1, -(-count // per_page))
    try:
        number = min(max(1, int(request.GET.get("page") or 1)), pages)
    except ValueError:
        number = 1
    if after is not None:
        rows = list(items.filter(pk__lt=after)[: per_page + 1])
        has_previous, has_next = True, len(rows) > per_page
        rows = rows[:per_page]
        number = number if has_next else pages
    elif before is not None:
        rows = list(items.filter(pk__gt=before).order_by("pk")[: per_page + 1])
        has_previous, has_next = len(rows) > per_page, True
        rows = rows[:per_page][::-1]
        number = number if has_previous else 1
    else:  # the last page: what is left after the full pages, read from the other end
        rows = list(items.order_by("pk")[: count - (pages - 1) * per_page or per_page])[::-1]
        has_previous, has_next, number = pages > 1, False, pages
    if not rows:  # a key from before the files changed, past either end: start again
        return _by_number(1, items, per_page, query, count)
    page = KeysetPage(
        rows,
        number=number,
        count=count,
        per_page=per_page,
        has_previous=has_previous,
        has_next=has_next,
        query=query,
    )
    return {"page": page, "query": query.urlencode()}


def _by_number(number, items, per_page, query, count=None) -> dict:
    """The first page, or a page number typed into the address bar (by OFFSET)."""
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached property: the items are not counted again
    page = paginator.get_page(number)
    keyset_page = KeysetPage(
        list(page.object_list),
        number=page.number,
        count=page.paginator.count,
        per_page=per_page,
        has_previous=page.has_previous(),
        has_next=page.has_next(),
        query=query,
    )
    return {"page": keyset_page, "query": query.urlencode()}
