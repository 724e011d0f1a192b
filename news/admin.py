from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext

from associations.admin_scoping import UnitScopedAdminMixin, UnitScopedInlineMixin
from associations.scoping import user_scope
from khuyenhoc.admin_concurrency import ConcurrentEditAdminMixin
from khuyenhoc.admin_search import FoldedSearchAdminMixin
from news import services
from news.cache import bump_generation
from news.models import (
    Album,
    AlbumPhoto,
    Category,
    Document,
    DocumentFile,
    Post,
    PostPhoto,
    PostStatus,
    PostStatusChange,
)


class BumpCacheOnSaveMixin:
    """Any saved or deleted item empties the public page cache."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        bump_generation()

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        super().delete_model(request, obj)  # type: ignore[misc]
        bump_generation()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        bump_generation()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        bump_generation()


_IMPORT_MAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


def allow_import_map(response: HttpResponse) -> HttpResponse:
    """Let the rich-text editor's import map run under the strict CSP, by its exact hash.

    Browsers accept no external import maps, so instead of allowing inline scripts the page's
    one import map is allowed by its SHA-256; anything else inline stays blocked.
    """
    match = _IMPORT_MAP.search(response.content)
    if match is None:
        return response
    digest = base64.b64encode(hashlib.sha256(match.group(1)).digest()).decode()
    config = {key: list(value) for key, value in settings.SECURE_CSP.items()}
    config["script-src"] = [*config.get("script-src", []), f"'sha256-{digest}'"]
    response._csp_config = config  # read by Django's CSP middleware
    return response


def _initial_unit(request: HttpRequest) -> dict[str, Any]:
    unit = user_scope(request.user).unit
    return {"unit": unit.pk} if unit is not None else {}


@admin.register(Category)
class CategoryAdmin(BumpCacheOnSaveMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    fields = ["name", "slug", "position"]


class PostPhotoInline(UnitScopedInlineMixin, admin.TabularInline):
    model = PostPhoto
    extra = 1
    fields = ["image", "caption", "alt", "position"]


class PostStatusChangeInline(UnitScopedInlineMixin, admin.TabularInline):
    model = PostStatusChange
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    verbose_name_plural = _l("Lịch sử duyệt tin")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(
    ConcurrentEditAdminMixin,
    UnitScopedAdminMixin,
    BumpCacheOnSaveMixin,
    FoldedSearchAdminMixin,
    admin.ModelAdmin,
):
    list_display = [
        "title",
        "category",
        "unit",
        "status",
        "published_at",
        "is_featured",
        "view_count",
    ]
    list_filter = ["status", "category", "is_featured", "unit"]
    list_select_related = ["category", "unit"]
    search_fields = ["title"]
    date_hierarchy = "published_at"
    inlines = [PostPhotoInline, PostStatusChangeInline]
    readonly_fields = ["status", "view_count", "slug"]
    actions = ["submit_selected", "publish_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "unit", "lead", "body", "byline"]}),
        (_l("Ảnh đại diện"), {"fields": ["cover", "cover_caption", "cover_alt"]}),
        (
            _l("Đăng tin"),
            {"fields": ["status", "published_at", "is_featured", "view_count"]},
        ),
    ]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {**super().get_changeform_initial_data(request), **_initial_unit(request)}

    def get_form(self, request: HttpRequest, obj: Post | None = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)
        scope = user_scope(request.user)
        if scope.unit is not None and "unit" in form.base_fields:
            # An editor writes in the name of their own unit; a reviewer above keeps the
            # post's unit when editing it.
            allowed = {scope.unit.pk, obj.unit_id} if obj else {scope.unit.pk}
            field = form.base_fields["unit"]
            field.queryset = field.queryset.filter(pk__in=allowed)
        return form

    def has_change_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        # A published post is changed only by those who could publish it.
        if allowed and obj is not None and obj.status == PostStatus.PUBLISHED:
            return services.can_publish(request.user, obj)
        return allowed

    def save_model(self, request: HttpRequest, obj: Post, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        obj = kwargs.get("obj")
        context["workflow"] = {
            "can_submit": obj is not None
            and obj.status == PostStatus.DRAFT
            and services.can_edit(request.user, obj),
            "can_publish": obj is not None
            and obj.status != PostStatus.PUBLISHED
            and services.can_publish(request.user, obj),
            "can_return": obj is not None
            and obj.status != PostStatus.DRAFT
            and services.can_publish(request.user, obj),
        }
        response = super().render_change_form(request, context, *args, **kwargs)
        response.add_post_render_callback(allow_import_map)
        return response

    def response_change(self, request: HttpRequest, obj: Post) -> HttpResponse:
        try:
            if "_gui_duyet" in request.POST:
                services.post_submit(post=obj, by=request.user)
                self.message_user(request, _("Đã gửi tin lên cấp trên duyệt."), messages.SUCCESS)
            elif "_dang_tin" in request.POST:
                services.post_publish(post=obj, by=request.user)
                self.message_user(request, _("Đã đăng tin."), messages.SUCCESS)
            elif "_tra_lai" in request.POST:
                services.post_return(
                    post=obj, by=request.user, reason=request.POST.get("ly_do_tra_lai", "")
                )
                self.message_user(request, _("Đã trả lại tin cho người viết."), messages.SUCCESS)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        except PermissionDenied:
            self.message_user(request, _("Bạn không có quyền làm việc này."), messages.ERROR)
        return super().response_change(request, obj)

    @admin.action(description=_l("Gửi duyệt các tin đã chọn"), permissions=["change"])
    def submit_selected(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        self._run(request, queryset, services.post_submit)

    @admin.action(description=_l("Đăng các tin đã chọn"), permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        self._run(request, queryset, services.post_publish)

    def _run(self, request: HttpRequest, queryset: QuerySet[Post], service: Any) -> None:
        done, refused = 0, 0
        for post in queryset:
            try:
                service(post=post, by=request.user)
                done += 1
            except (ValidationError, PermissionDenied):
                refused += 1
        if done:
            self.message_user(
                request,
                ngettext("Đã xử lý %d tin.", "Đã xử lý %d tin.", done) % done,
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                _("%d tin không xử lý được (sai trạng thái hoặc không có quyền).") % refused,
                messages.WARNING,
            )


class DocumentFileInline(UnitScopedInlineMixin, admin.TabularInline):
    model = DocumentFile
    extra = 1
    fields = ["file", "title"]


@admin.register(Document)
class DocumentAdmin(
    ConcurrentEditAdminMixin,
    UnitScopedAdminMixin,
    BumpCacheOnSaveMixin,
    FoldedSearchAdminMixin,
    admin.ModelAdmin,
):
    list_display = ["number", "form", "issuer", "issued_on", "effective_on", "unit", "is_published"]
    list_filter = ["form", "is_published", "unit"]
    list_select_related = ["unit"]
    search_fields = ["number"]
    date_hierarchy = "issued_on"
    inlines = [DocumentFileInline]
    fields = [
        "number",
        "form",
        "issuer",
        "issued_on",
        "effective_on",
        "summary",
        "unit",
        "is_published",
    ]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {**super().get_changeform_initial_data(request), **_initial_unit(request)}


class AlbumPhotoInline(UnitScopedInlineMixin, admin.TabularInline):
    model = AlbumPhoto
    extra = 3
    fields = ["image", "caption", "alt", "position"]


@admin.register(Album)
class AlbumAdmin(UnitScopedAdminMixin, BumpCacheOnSaveMixin, admin.ModelAdmin):
    list_display = ["title", "unit", "taken_on", "is_published"]
    list_filter = ["is_published", "unit"]
    list_select_related = ["unit"]
    inlines = [AlbumPhotoInline]
    fields = ["title", "description", "unit", "taken_on", "is_published"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {**super().get_changeform_initial_data(request), **_initial_unit(request)}
