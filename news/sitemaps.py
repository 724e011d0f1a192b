from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from news.models import Album, Category, Post


class PostSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7
    limit = 5000

    def items(self) -> QuerySet[Post]:
        return (
            Post.objects.published()
            .select_related("category")
            .only("slug", "updated_at", "category__slug")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item: Post) -> dt.datetime:
        return item.updated_at


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self) -> QuerySet[Category]:
        return Category.objects.all()


class AlbumSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self) -> QuerySet[Album]:
        return Album.objects.published()


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return ["news:home", "news:posts", "news:documents", "news:albums", "news:about"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "trang": StaticSitemap,
    "tin": PostSitemap,
    "chuyen-muc": CategorySitemap,
    "album": AlbumSitemap,
}
