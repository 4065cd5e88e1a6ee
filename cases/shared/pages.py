"""Long lists come a page at a time (issue 6: a list page costs the same however many
cases there are): 50 rows, GOV.UK pagination (templates/cases/pagination.html).

A page of a queryset costs three queries: the count, the page's primary keys (a narrow
query that an index answers in order, however deep the page), and the page's rows with
everything they show, by key. Asking for the rows with their joins directly costs more
at scale: PostgreSQL plans a dozen joins with an ORDER BY and a LIMIT for 10–20 ms, and
joins every row it skips on the way to a deep page (docs/performance.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows (``SELECT count(*) FROM (… LIMIT cap + 1)``), so a list of a
    quarter of a million rows costs no more to count than one of ten thousand. Past the cap
    the list says "more than" and offers pages up to the cap: the filters narrow the rest."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        # Unordered: which rows are counted up to the cap does not matter, and without the ORDER BY
        # PostgreSQL counts them straight off an index.
        counted = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)


@dataclass
class Paged:
    page: Page
    rows: list
    # The page numbers to link, with Paginator.ELLIPSIS for the gaps.
    page_range: list
    # The other GET parameters, for the links to keep.
    query: str
    param: str
    # More rows than were counted (CappedPaginator): the count shown is a lower bound.
    capped: bool = False


def paginate(
    request: HttpRequest, items, *, param: str = "page", per_page: int = PAGE_SIZE, cap: int | None = None
) -> Paged:
    """One page of ``items``, an ordered queryset (three queries, above; the count stops at
    ``cap`` rows when given) or a list."""
    is_queryset = isinstance(items, QuerySet)
    source = items.values_list("pk", flat=True) if is_queryset else items
    paginator = CappedPaginator(source, per_page, cap=cap) if cap else Paginator(source, per_page)
    page = paginator.get_page(request.GET.get(param))
    rows = list(page)
    if is_queryset and rows:
        by_pk = items.in_bulk(rows)
        rows = [by_pk[pk] for pk in rows if pk in by_pk]
    query = request.GET.copy()
    query.pop(param, None)
    page_range = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return Paged(
        page=page,
        rows=rows,
        page_range=page_range,
        query=query.urlencode(),
        param=param,
        capped=getattr(paginator, "capped", False),
    )
