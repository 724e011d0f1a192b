"""Admin lists that stay fast at province scale (a million rows and more).

- The page count is exact up to `EXACT_COUNT_LIMIT` rows; above it the list says "khoảng …"
  with the database's own estimate (PostgreSQL's planner) instead of counting every row.
- The unfiltered total ("x trên tổng y") is not counted at all.
- Facet counts ("Hiện số lượng") are offered only while the list holds few enough rows for
  them to be cheap; a province-wide list first needs a filter.
- The year filter lists years from the table's index (MIN and MAX), not a DISTINCT scan.
"""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

EXACT_COUNT_LIMIT = 10_000
FACETS_ROW_LIMIT = 50_000


def per_request(request: HttpRequest, key: Any, compute: Any) -> Any:
    """A value computed once per request (list filters are built again for each facet)."""
    cache = request.__dict__.setdefault("_admin_list_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def bounded_count(queryset: QuerySet, limit: int) -> int:
    """COUNT(*) over at most `limit` + 1 rows: cheap however large the table is."""
    return queryset.order_by()[: limit + 1].count()


def estimated_count(queryset: QuerySet) -> int | None:
    """The planner's row estimate on PostgreSQL; None where the database has none."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Exact below EXACT_COUNT_LIMIT rows, the planner's estimate above it."""

    is_estimate = False

    @cached_property
    def count(self) -> int:
        exact = bounded_count(self.object_list, EXACT_COUNT_LIMIT)
        if exact <= EXACT_COUNT_LIMIT:
            return exact
        estimate = estimated_count(self.object_list)
        if estimate is None:
            return self.object_list.count()
        self.is_estimate = True
        return max(estimate, exact)


class LargeChangeList(ChangeList):
    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> QuerySet:
        if self.add_facets or self.is_facets_optional:
            few_rows = per_request(
                request,
                ("few rows", self.model),
                lambda: bounded_count(self.root_queryset, FACETS_ROW_LIMIT) <= FACETS_ROW_LIMIT,
            )
            self.add_facets = self.add_facets and few_rows
            self.is_facets_optional = self.is_facets_optional and few_rows
        return super().get_queryset(request, exclude_parameters)


class LargeListAdminMixin:
    """Mix into the ModelAdmin of a table that grows to millions of rows."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return LargeChangeList


class YearListFilter(admin.SimpleListFilter):
    """Years between the table's first and last, read from its index rather than its rows."""

    title = _("năm")
    parameter_name = "year__exact"
    field_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        # Facet counts build the filters once per filter: ask the database once per request.
        return per_request(request, ("years", model_admin.model), lambda: self._years(model_admin))

    def _years(self, model_admin: Any) -> list[tuple[str, str]]:
        # Two one-row index lookups: SQLite reads the whole table for MIN and MAX together.
        years = model_admin.model._default_manager.order_by().values_list(
            self.field_name, flat=True
        )
        first = years.aggregate(value=Min(self.field_name))["value"]
        if first is None:
            return []
        last = years.aggregate(value=Max(self.field_name))["value"]
        return [(str(y), str(y)) for y in range(last, first - 1, -1)]

    def get_facet_counts(self, pk_attname: str, filtered_qs: QuerySet) -> dict[str, Count]:
        # One COUNT per year on the column itself, not a subquery of the filtered rows per year.
        return {
            f"{index}__c": Count(pk_attname, filter=Q(**{self.field_name: int(value)}))
            for index, (value, _label) in enumerate(self.lookup_choices)
        }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value is None:
            return queryset
        if not value.isascii() or not value.isdigit() or len(value) > 4:
            return queryset.none()
        return queryset.filter(**{self.field_name: int(value)})
