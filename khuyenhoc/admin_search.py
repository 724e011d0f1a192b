from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from khuyenhoc.text import fold

# One condition per word: a pasted page of text would build a query no database accepts.
# Nobody searches a name with more words than this.
MAX_SEARCH_WORDS = 8
MAX_SEARCH_CHARS = 200


def limit_search_term(search_term: str) -> str:
    """The first words of a search, within the limits above."""
    return " ".join(search_term[:MAX_SEARCH_CHARS].split()[:MAX_SEARCH_WORDS])


class LimitedSearchAdminMixin:
    """Django's own admin search, on a search term cut to a sensible size."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        return super().get_search_results(  # type: ignore[misc]
            request, queryset, limit_search_term(search_term)
        )


class FoldedSearchAdminMixin:
    """Admin search that ignores case, diacritics and đ/Đ.

    The model keeps a folded copy of its searchable text in `folded_search_field`; every word of
    the query must appear in it, so "dai son" finds "Hội Khuyến học xã Đại Sơn".
    """

    folded_search_field = "search_text"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        for word in fold(limit_search_term(search_term)).split():
            queryset = queryset.filter(**{f"{self.folded_search_field}__contains": word})
        return queryset, False
