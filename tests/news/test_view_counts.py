"""Views of a post: counted in the cache, written in batches, never lost or counted twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError
from django.test import Client

from news import view_counts
from news.cache import bump_generation
from news.models import Post
from news.view_counts import post_view_record, post_views_flush, post_views_pending
from tests.news.helpers import make_post

pytestmark = pytest.mark.django_db


def _views(post: Post) -> int:
    post.refresh_from_db()
    return post.view_count


def test_a_page_built_later_shows_the_views_still_waiting(tree, views_written_once):
    post = make_post(tree.district)
    url = post.get_absolute_url()
    for _ in range(4):
        Client().get(url)
    assert _views(post) == 1  # the first view wrote the row, the next three wait
    assert post_views_pending(slugs=[post.slug]) == {post.slug: 3}
    post.title = "Tin đã sửa tiêu đề"
    post.save()  # an editor's save, which empties the page cache
    bump_generation()
    assert "5 lượt xem" in Client().get(url).content.decode()


def test_a_flush_writes_the_waiting_views_once(tree, views_written_once):
    post = make_post(tree.district)
    for _ in range(5):
        post_view_record(slug=post.slug)
    assert post_views_flush() == 4
    assert post_views_flush() == 0
    assert _views(post) == 5
    assert post_views_pending(slugs=[post.slug]) == {}


def test_with_no_pause_every_view_is_written_at_once(tree, monkeypatch):
    monkeypatch.setattr(view_counts, "FLUSH_EVERY", 0)
    post = make_post(tree.district)
    for _ in range(3):
        Client().get(post.get_absolute_url())
    assert _views(post) == 3


def test_a_failed_write_puts_the_views_back(tree, views_written_once, monkeypatch):
    post = make_post(tree.district)
    post_view_record(slug=post.slug)
    for _ in range(3):
        post_view_record(slug=post.slug)

    def broken(self, count):
        raise DatabaseError("mất kết nối")

    monkeypatch.setattr("news.models.PostQuerySet.add_views", broken)
    with pytest.raises(DatabaseError):
        post_views_flush(slugs=[post.slug])
    assert post_views_pending(slugs=[post.slug]) == {post.slug: 3}
    monkeypatch.undo()
    assert post_views_flush() == 3
    assert _views(post) == 4


def test_a_missing_post_counts_nothing_and_leaves_nothing_in_the_cache(tree):
    post = make_post(tree.district)
    missing = post.get_absolute_url().replace(post.slug, "khong-co-tin-nay")
    assert Client().get(missing).status_code == 404
    assert cache.get(view_counts.PENDING_KEY.format(slug="khong-co-tin-nay")) is None


def test_an_editors_save_keeps_the_views_counted_meanwhile(tree):
    post = make_post(tree.district)
    opened = Post.objects.get(pk=post.pk)
    Post.objects.filter(pk=post.pk).add_views(7)
    opened.lead = "Tóm tắt mới"
    opened.save()
    assert _views(post) == 7
    assert Post.objects.get(pk=post.pk).lead == "Tóm tắt mới"


def test_the_admin_list_shows_the_waiting_views(tree, personas, views_written_once):
    post = make_post(tree.district)
    for _ in range(3):
        Client().get(post.get_absolute_url())
    client = Client()
    client.force_login(personas.district_staff)
    response = client.get("/admin/news/post/")
    assert response.status_code == 200
    assert _views(post) == 3


def test_the_command_writes_every_waiting_view(tree, views_written_once):
    post = make_post(tree.district)
    for _ in range(3):
        post_view_record(slug=post.slug)
    out = StringIO()
    call_command("flush_post_views", stdout=out)
    assert "Đã ghi 2 lượt xem." in out.getvalue()
    assert _views(post) == 3
