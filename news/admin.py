from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe
from sorl.thumbnail import get_thumbnail

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
from news.view_counts import post_views_flush


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


# SHA-256 of the empty string. news/post-editor.js puts an empty <style data-tiptap-style> in
# the page so that the editor injects no styles of its own; an empty style allows nothing.
EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"


def allow_empty_style_marker(response: HttpResponse) -> HttpResponse:
    """Allow only an empty inline <style>, the marker the editor looks for."""
    config = getattr(response, "_csp_config", None) or {
        key: list(value) for key, value in settings.SECURE_CSP.items()
    }
    config["style-src"] = [*config.get("style-src", []), EMPTY_STYLE_HASH]
    response._csp_config = config
    return response


def _photo_button(photo: PostPhoto) -> str:
    """A thumbnail of the photo and the button that puts it into the body."""
    thumbnail = get_thumbnail(photo.image, "960", upscale=False)
    small = get_thumbnail(photo.image, "240x160", crop="center")
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}"><span class="post-photos__caption">{}</span>'
        '<button type="button" class="button" data-insert-photo data-src="{}" data-alt="{}" '
        'data-caption="{}" data-file="photo-{}">{}</button>',
        small.url,
        small.width,
        small.height,
        photo.caption or photo.image.name.rsplit("/", 1)[-1],
        thumbnail.url,
        photo.alt_text,
        photo.caption,
        photo.pk,
        _("Chèn vào bài"),
    )


def _initial_unit(request: HttpRequest) -> dict[str, Any]:
    unit = user_scope(request.user).unit
    return {"unit": unit.pk} if unit is not None else {}


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "slug", "position"]
        # Django's own message for a bad slug has no Vietnamese translation.
        error_messages = {
            "slug": {
                "invalid": _l(
                    "Đường dẫn chỉ gồm chữ cái không dấu, chữ số, dấu gạch dưới hoặc gạch ngang."
                )
            }
        }


@admin.register(Category)
class CategoryAdmin(BumpCacheOnSaveMixin, admin.ModelAdmin):
    form = CategoryForm
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


class PostAdminForm(forms.ModelForm):
    """The title wraps over lines as it is typed, so a long title is read whole."""

    class Meta:
        model = Post
        fields = ["title"]  # the admin adds the fields of its fieldsets
        widgets = {"title": forms.Textarea(attrs={"rows": 2, "class": "post-title"})}

    class Media:
        # On the form, not the ModelAdmin: the list and delete pages would load the script too,
        # and its empty <style> marker is allowed only on the change form's policy.
        css = {"all": ["news/post-editor.css"]}
        js = ["news/post-editor.js"]

    def clean_title(self) -> str:
        # A title is one line, whatever the box let the writer type.
        return " ".join(self.cleaned_data["title"].split())


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
    form = PostAdminForm
    inlines = [PostPhotoInline, PostStatusChangeInline]
    readonly_fields = ["status", "view_count", "slug", "photos_for_body"]
    actions = ["submit_selected", "publish_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "category",
                    "unit",
                    "lead",
                    "body",
                    "photos_for_body",
                    "byline",
                ]
            },
        ),
        (_l("Ảnh đại diện"), {"fields": ["cover", "cover_caption", "cover_alt"]}),
        (
            _l("Đăng tin"),
            {"fields": ["status", "published_at", "is_featured", "view_count"]},
        ),
    ]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {**super().get_changeform_initial_data(request), **_initial_unit(request)}

    def get_inline_instances(self, request: HttpRequest, obj: Post | None = None) -> list[Any]:
        inlines = super().get_inline_instances(request, obj)
        # A post not yet saved has no history to show.
        return [i for i in inlines if obj is not None or not isinstance(i, PostStatusChangeInline)]

    def get_urls(self) -> list[Any]:
        preview = path(
            "<path:object_id>/xem-truoc/",
            self.admin_site.admin_view(require_safe(self.preview_view)),
            name="news_post_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The post as the public will read it, whatever its state; 404 outside the subtree."""
        post = self.get_object(request, unquote(object_id))
        if post is None or not self.has_view_permission(request, post):
            raise Http404
        response = render(request, "news/post_detail.html", {"post": post, "preview": True})
        response["X-Robots-Tag"] = "noindex"
        return response

    def view_on_site(self, obj: Post) -> str:
        if obj.status == PostStatus.PUBLISHED and obj.published_at and obj.published_at <= now():
            content_type = ContentType.objects.get_for_model(obj)
            return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])
        return reverse("admin:news_post_preview", args=[obj.pk])

    @admin.display(description=_l("Chèn ảnh vào nội dung"))
    def photos_for_body(self, obj: Post | None) -> str:
        photos = list(obj.photos.all()) if obj is not None and obj.pk else []
        if not photos:
            return _(
                "Tải ảnh lên ở mục “Ảnh trong bài” phía dưới rồi bấm “Lưu và tiếp tục chỉnh "
                "sửa”; ảnh sẽ hiện ở đây để chèn vào chỗ con trỏ trong nội dung."
            )
        items = format_html_join("", "<li>{}</li>", ((_photo_button(p),) for p in photos))
        return format_html(
            '<p class="help">{}</p><ul class="post-photos">{}</ul>',
            _("Đặt con trỏ vào nội dung rồi bấm “Chèn vào bài” dưới ảnh."),
            items,
        )

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

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The list shows the views: those still waiting in the cache are written first.
        post_views_flush()
        return super().changelist_view(request, extra_context)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if (
            request.method == "GET"
            and object_id.isascii()
            and object_id.isdigit()
            and len(object_id) < 19
        ):
            slug = Post.objects.filter(pk=int(object_id)).values_list("slug", flat=True).first()
            if slug:
                post_views_flush(slugs=[slug])
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Post, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        obj = kwargs.get("obj")
        # On the add form the post does not exist yet: ask about one of the user's own unit.
        subject = obj if obj is not None else Post(unit=user_scope(request.user).unit)
        context["workflow"] = {
            "can_submit": subject.status == PostStatus.DRAFT
            and services.can_edit(request.user, subject),
            "can_publish": subject.status != PostStatus.PUBLISHED
            and services.can_publish(request.user, subject),
            "can_return": obj is not None
            and obj.status != PostStatus.DRAFT
            and services.can_publish(request.user, obj),
        }
        if obj is not None:
            context["preview_url"] = reverse("admin:news_post_preview", args=[obj.pk])
        response = super().render_change_form(request, context, *args, **kwargs)
        response.add_post_render_callback(allow_import_map)
        response.add_post_render_callback(allow_empty_style_marker)
        return response

    def response_add(
        self, request: HttpRequest, obj: Post, post_url_continue: str | None = None
    ) -> HttpResponse:
        if self._apply_workflow(request, obj):
            # Back to the saved post, whose state the buttons just changed.
            return HttpResponseRedirect(reverse("admin:news_post_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request: HttpRequest, obj: Post) -> HttpResponse:
        self._apply_workflow(request, obj)
        return super().response_change(request, obj)

    def _apply_workflow(self, request: HttpRequest, obj: Post) -> bool:
        """Run the workflow button that was pressed, after the save; False if none was."""
        if not {"_gui_duyet", "_dang_tin", "_tra_lai"} & set(request.POST):
            return False
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
        return True

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
