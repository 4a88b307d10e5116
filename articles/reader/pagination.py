"""Pagination for long lists without counting every row: the reader sees newer and older pages."""

from django.http import Http404


class SlicePage(list):
    """One page of rows, knowing whether another follows by fetching a single extra row."""

    def __init__(self, rows, number, per_page):
        super().__init__(rows[:per_page])
        self.number = number
        self._has_next = len(rows) > per_page

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

    @property
    def object_list(self):
        return self


def page_number(request, max_page=10_000, param="page"):
    """Return the ?page= number, or raise Http404 for anything but a whole number from 1 to max_page."""
    raw = request.GET.get(param, "1")
    if not raw.isdigit() or not 1 <= int(raw) <= max_page:
        raise Http404("No such page")
    return int(raw)


def slice_page(queryset, request, per_page, param="page"):
    """Return the requested page of a queryset with one query, or raise Http404 past the end.

    queryset may also be a function of (start, stop) that returns those rows.
    """
    number = page_number(request, param=param)
    start = (number - 1) * per_page
    stop = start + per_page + 1
    rows = queryset(start, stop) if callable(queryset) else list(queryset[start:stop])
    page = SlicePage(rows, number, per_page)
    if number > 1 and not page:
        raise Http404("No such page")
    return page
