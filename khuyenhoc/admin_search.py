from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from khuyenhoc.text import fold


class FoldedSearchAdminMixin:
    """Admin search that ignores case, diacritics and đ/Đ.

    The model keeps a folded copy of its searchable text in `folded_search_field`; every word of
    the query must appear in it, so "dai son" finds "Hội Khuyến học xã Đại Sơn".
    """

    folded_search_field = "search_text"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        for word in fold(search_term).split():
            queryset = queryset.filter(**{f"{self.folded_search_field}__contains": word})
        return queryset, False
