"""News posts, documents (văn bản) and photo albums published by the units of the association."""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from associations.models import OrgUnit
from khuyenhoc.text import fold, slugify_vi
from news.attachments import validate_attachment as check_attachment
from news.images import validate_image

BODY_EXTENSIONS: dict[str, Any] = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    # A photo of the post put into the body, with its caption.
    "Figure": True,
    "Image": True,
    "Caption": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "History": True,
}


def unique_slug(
    model: type[models.Model], text: str, *, exclude_pk: int | None, **scope: Any
) -> str:
    """A slug from the Vietnamese text, with -2, -3… appended when it is taken."""
    base = slugify_vi(text, max_length=200) or "bai-viet"
    slug, counter = base, 1
    others = model._default_manager.filter(**scope)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    while others.filter(slug=slug).exists():
        counter += 1
        slug = f"{base[: 200 - len(str(counter)) - 1]}-{counter}"
    return slug


class Category(models.Model):
    name = models.CharField(_("tên chuyên mục"), max_length=120, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=140, unique=True, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Category, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:category", kwargs={"category": self.slug})


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Chờ duyệt")
    PUBLISHED = "published", _("Đã đăng")


_bodies_sanitised: ContextVar[bool] = ContextVar("bodies_sanitised", default=False)


def sanitize_body(html: str) -> str:
    """A post's body with only what the editor can make: no script, handler or javascript: URL."""
    return Post._meta.get_field("body").sanitize(html or "")


class PostQuerySet(models.QuerySet["Post"]):
    # Every write of a body goes through the sanitiser: save() for one post, and these for
    # the bulk paths that skip save() (a data fix in the shell, an import, a migration).
    def update(self, **kwargs: Any) -> int:
        if "body" in kwargs and not _bodies_sanitised.get():
            if not isinstance(kwargs["body"], str):
                raise TypeError("Post.body is sanitised when written: update it with text.")
            kwargs["body"] = sanitize_body(kwargs["body"])
        return super().update(**kwargs)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Post]:
        objs = list(objs)
        for post in objs:
            post.body = sanitize_body(post.body)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        if "body" in fields:
            for post in objs:
                post.body = sanitize_body(post.body)
        # Django writes them with update(body=Case(...)) of the values just sanitised.
        token = _bodies_sanitised.set(True)
        try:
            return super().bulk_update(objs, fields, *args, **kwargs)
        finally:
            _bodies_sanitised.reset(token)

    def published(self, *, now: dt.datetime | None = None) -> PostQuerySet:
        """What the public sees: published posts whose publication time has come.

        A post scheduled for later is simply filtered out until then, so no job has to run.
        """
        return self.filter(status=PostStatus.PUBLISHED, published_at__lte=now or timezone.now())

    def for_lists(self) -> PostQuerySet:
        return self.select_related("category", "unit").defer("body", "search_text")

    def add_views(self, count: int) -> int:
        """Adds `count` views to the matching posts; the number of posts changed.

        Called by news.view_counts with the views gathered in the cache. On PostgreSQL the
        commit does not wait for the disk: a crash may lose the last instant's views, never
        anything else.
        """
        connection = connections[self.db]
        if connection.vendor != "postgresql":
            return self.update(view_count=F("view_count") + count)
        with transaction.atomic(using=self.db, savepoint=False):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            return self.update(view_count=F("view_count") + count)

    def search(self, query: str) -> PostQuerySet:
        """Every word must appear (folded); posts with the words in their title come first."""
        words = fold(query).split()[:10]
        if not words:
            return self.none()
        qs = self
        rank: Any = Value(0)
        for word in words:
            qs = qs.filter(search_text__contains=word)
            rank = rank + Case(
                When(search_title__contains=word, then=Value(3)),
                When(search_lead__contains=word, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        return qs.annotate(rank=rank).order_by("-rank", "-published_at", "-pk")

    def latest_per_category(self, per_category: int) -> PostQuerySet:
        """The newest `per_category` posts of every category, in one query."""
        return (
            self.annotate(
                row=Window(
                    RowNumber(),
                    partition_by=[F("category_id")],
                    order_by=[F("published_at").desc(), F("pk").desc()],
                )
            )
            .filter(row__lte=per_category)
            .order_by("category__position", "category__name", "row")
        )


class Post(models.Model):
    unit_scope_lookup = "unit"

    title = models.CharField(_("tiêu đề"), max_length=250)
    slug = models.SlugField(_("đường dẫn"), max_length=220, blank=True, editable=False)
    category = models.ForeignKey(
        Category, verbose_name=_("chuyên mục"), on_delete=models.PROTECT, related_name="posts"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị đăng tin"), on_delete=models.PROTECT, related_name="posts"
    )
    lead = models.TextField(_("tóm tắt"), max_length=600, help_text=_("Một hai câu mở đầu."))
    body = ProseEditorField(_("nội dung"), extensions=BODY_EXTENSIONS, sanitize=True)
    cover = models.ImageField(
        _("ảnh đại diện"), upload_to="news/covers/%Y/%m/", blank=True, validators=[validate_image]
    )
    cover_caption = models.CharField(_("chú thích ảnh"), max_length=300, blank=True)
    cover_alt = models.CharField(
        _("mô tả ảnh cho người khiếm thị"),
        max_length=200,
        blank=True,
        help_text=_("Mô tả ngắn những gì có trong ảnh. Để trống thì dùng chú thích."),
    )
    byline = models.CharField(
        _("tác giả"), max_length=200, blank=True, help_text=_("Ví dụ: Tin và ảnh: Hà Thị Bình")
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    published_at = models.DateTimeField(
        _("thời điểm đăng"),
        null=True,
        blank=True,
        help_text=_("Để thời điểm sau này thì tin tự hiện ra đúng giờ đó."),
    )
    is_featured = models.BooleanField(_("tin nổi bật"), default=False)
    view_count = models.PositiveIntegerField(_("lượt xem"), default=0, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Folded copies (no diacritics, đ → d) so search works the same on SQLite and PostgreSQL.
    search_title = models.CharField(max_length=300, editable=False, default="")
    search_lead = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin bài")
        ordering = ["-published_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="post_unique_slug")]
        indexes = [models.Index(fields=["status", "published_at"], name="post_status_published")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Post, self.title, exclude_pk=self.pk)
        # The admin form sanitises already; this also covers imports and the shell.
        self.body = sanitize_body(self.body)
        self.search_title = fold(self.title)
        self.search_lead = fold(self.lead)
        self.search_text = fold(f"{self.title} {self.lead} {strip_tags(self.body)} {self.byline}")
        update_fields = kwargs.get("update_fields")
        if update_fields is None and not self._state.adding and not kwargs.get("force_insert"):
            # The views are counted by UPDATEs of their own: an editor's save must not write
            # back the figure read when the form was opened.
            update_fields = kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "view_count"
            ]
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "slug",
                "body",
                "search_title",
                "search_lead",
                "search_text",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:post", kwargs={"category": self.category.slug, "slug": self.slug})

    @property
    def cover_alt_text(self) -> str:
        return self.cover_alt or self.cover_caption or self.title

    @property
    def photos_below_body(self) -> list[PostPhoto]:
        """The post's photos not already put into the body (they carry data-file="photo-<pk>")."""
        return [p for p in self.photos.all() if f'data-file="photo-{p.pk}"' not in self.body]


class PostPhoto(models.Model):
    unit_scope_lookup = "post__unit"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("ảnh"), upload_to="news/photos/%Y/%m/", validators=[validate_image])
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)
    alt = models.CharField(_("mô tả ảnh"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("ảnh trong bài")
        verbose_name_plural = _("ảnh trong bài")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name

    @property
    def alt_text(self) -> str:
        return self.alt or self.caption or self.post.title


class PostStatusChange(models.Model):
    """Who moved a post from one state to another, and why (a returned post says why)."""

    unit_scope_lookup = "post__unit"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("từ"), max_length=12, choices=PostStatus.choices)
    to_status = models.CharField(_("sang"), max_length=12, choices=PostStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch sử trạng thái")
        verbose_name_plural = _("lịch sử trạng thái")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.post}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class DocumentForm(models.TextChoices):
    RESOLUTION = "nghi-quyet", _("Nghị quyết")
    CONCLUSION = "ket-luan", _("Kết luận")
    DIRECTIVE = "chi-thi", _("Chỉ thị")
    DECISION = "quyet-dinh", _("Quyết định")
    PLAN = "ke-hoach", _("Kế hoạch")
    GUIDANCE = "huong-dan", _("Hướng dẫn")
    CIRCULAR = "thong-tu", _("Thông tư")
    OFFICIAL_LETTER = "cong-van", _("Công văn")
    NOTICE = "thong-bao", _("Thông báo")
    REPORT = "bao-cao", _("Báo cáo")
    OTHER = "khac", _("Văn bản khác")


class DocumentQuerySet(models.QuerySet["Document"]):
    def published(self) -> DocumentQuerySet:
        return self.filter(is_published=True)

    def search(self, query: str) -> DocumentQuerySet:
        """Every word must appear in the folded number, form, issuer or summary."""
        words = fold(query).split()[:10]
        if not words:
            return self.none()
        qs = self
        for word in words:
            qs = qs.filter(search_text__contains=word)
        return qs


class Document(models.Model):
    """An official document as Decree 42/2022/NĐ-CP asks portals to publish it."""

    unit_scope_lookup = "unit"

    number = models.CharField(_("số ký hiệu"), max_length=60, help_text=_("Ví dụ: 49-KL/TW"))
    form = models.CharField(_("hình thức"), max_length=20, choices=DocumentForm.choices)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    issued_on = models.DateField(_("ngày ban hành"))
    effective_on = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    summary = models.TextField(_("trích yếu"))
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị đăng"),
        on_delete=models.PROTECT,
        related_name="news_documents",
    )
    is_published = models.BooleanField(_("công khai"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    search_text = models.TextField(editable=False, default="")

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(
            f"{self.number} {self.get_form_display()} {self.issuer} {self.summary}"
        )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.effective_on and self.issued_on and self.effective_on < self.issued_on:
            raise ValidationError(
                {"effective_on": _("Ngày hiệu lực không thể trước ngày ban hành.")}
            )


def validate_attachment(upload: Any) -> None:
    # Kept here because migrations name it; the checks live in news/attachments.py.
    check_attachment(upload)


class DocumentFile(models.Model):
    unit_scope_lookup = "document__unit"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(
        _("tệp đính kèm"), upload_to="news/documents/%Y/", validators=[validate_attachment]
    )
    title = models.CharField(_("tên tệp"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title or self.file.name.rsplit("/", 1)[-1]


class AlbumQuerySet(models.QuerySet["Album"]):
    def published(self) -> AlbumQuerySet:
        return self.filter(is_published=True)

    def search(self, query: str) -> AlbumQuerySet:
        """Every word must appear in the folded title or description."""
        words = fold(query).split()[:10]
        if not words:
            return self.none()
        qs = self
        for word in words:
            qs = qs.filter(search_text__contains=word)
        return qs


class Album(models.Model):
    unit_scope_lookup = "unit"

    title = models.CharField(_("tên album"), max_length=200)
    slug = models.SlugField(_("đường dẫn"), max_length=220, unique=True, blank=True, editable=False)
    description = models.TextField(_("mô tả"), blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="albums"
    )
    taken_on = models.DateField(_("ngày chụp"), default=timezone.localdate)
    is_published = models.BooleanField(_("công khai"), default=True)
    search_text = models.TextField(editable=False, default="")

    objects = AlbumQuerySet.as_manager()

    class Meta:
        verbose_name = _("album ảnh")
        verbose_name_plural = _("album ảnh")
        ordering = ["-taken_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Album, self.title, exclude_pk=self.pk)
        self.search_text = fold(f"{self.title} {self.description}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:album", kwargs={"slug": self.slug})


class AlbumPhoto(models.Model):
    unit_scope_lookup = "album__unit"

    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("ảnh"), upload_to="news/albums/%Y/", validators=[validate_image])
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)
    alt = models.CharField(_("mô tả ảnh"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name

    @property
    def alt_text(self) -> str:
        return self.alt or self.caption or self.album.title


__all__ = [
    "Album",
    "AlbumPhoto",
    "Category",
    "Document",
    "DocumentFile",
    "DocumentForm",
    "Post",
    "PostPhoto",
    "PostStatus",
    "PostStatusChange",
]
