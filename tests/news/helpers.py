"""Small builders for news tests (posts are created published unless told otherwise)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from associations.models import OrgUnit
from news.demo import demo_photo
from news.models import Category, Post, PostStatus


def make_category(name: str = "Hoạt động Hội", **fields: Any) -> Category:
    category, _ = Category.objects.get_or_create(name=name, defaults=fields)
    return category


def make_post(
    unit: OrgUnit,
    title: str = "Hội nghị tổng kết công tác khuyến học",
    *,
    category: Category | None = None,
    status: str = PostStatus.PUBLISHED,
    published_at: dt.datetime | None = None,
    with_cover: bool = False,
    **fields: Any,
) -> Post:
    if published_at is None and status == PostStatus.PUBLISHED:
        published_at = timezone.now() - dt.timedelta(hours=1)
    post = Post(
        title=title,
        unit=unit,
        category=category or make_category(),
        lead=fields.pop("lead", "Tóm tắt ngắn của tin."),
        body=fields.pop("body", "<p>Nội dung tin.</p>"),
        status=status,
        published_at=published_at,
        **fields,
    )
    if with_cover:
        post.cover_caption = post.cover_caption or "Quang cảnh hội nghị"
        post.cover.save("anh.jpg", demo_photo(len(title), title), save=False)
    post.save()
    return post
