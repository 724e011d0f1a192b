from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from news.models import Post


class LatestPostsFeed(Feed):
    title = settings.SITE_NAME
    link = "/tin-tuc/"
    description = _("Tin hoạt động khuyến học, khuyến tài mới nhất.")

    def items(self) -> QuerySet[Post]:
        return Post.objects.published().for_lists()[:30]

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return item.lead

    def item_pubdate(self, item: Post) -> dt.datetime | None:
        return item.published_at

    def item_author_name(self, item: Post) -> str:
        return item.byline or item.unit.name

    def item_categories(self, item: Post) -> list[str]:
        return [item.category.name]
