from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Counting every match of a broad search costs as much as the search itself; people never page
# past the first few pages, so counts stop here and the page says "more than 1,000".
COUNT_LIMIT = 1000


class CappedPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        return self.object_list[: COUNT_LIMIT + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_LIMIT
