"""Public pages as a reader gets them: content, 404s, methods, feed, sitemap, speed."""

from __future__ import annotations

import datetime as dt
import re
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from associations.models import OrgUnit
from news import cache as news_cache
from news.models import Album, Document, DocumentForm, Post, PostStatus
from news.services import post_publish
from news.view_counts import post_views_flush
from tests.news.helpers import make_category, make_post

pytestmark = pytest.mark.django_db

HANOI = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def reader() -> Client:
    return Client()


def test_home_shows_featured_latest_by_category_documents_and_figures(tree, reader):
    activities = make_category("Hoạt động Hội", position=0)
    awards = make_category("Khuyến tài, học bổng", position=1)
    make_post(
        tree.district,
        "Tin nổi bật của huyện",
        category=activities,
        is_featured=True,
        published_at=timezone.now() - dt.timedelta(days=3),
    )
    make_post(tree.commune_a, "Trao học bổng ở xã Một", category=awards)
    make_post(tree.commune_a, "Bản nháp chưa đăng", status=PostStatus.DRAFT)
    Document.objects.create(
        number="49-KL/TW",
        form=DocumentForm.CONCLUSION,
        issuer="Ban Bí thư",
        issued_on=dt.date(2022, 5, 10),
        summary="Về khuyến học",
        unit=tree.district,
    )
    html = reader.get("/").content.decode()
    assert re.search(r'class="featured__title"><a [^>]*>Tin nổi bật của huyện', html)
    assert "Khuyến tài, học bổng" in html
    assert "Trao học bổng ở xã Một" in html
    assert "Bản nháp chưa đăng" not in html
    assert "49-KL/TW" in html
    assert "Hội cơ sở" in html  # the unit-count strip
    assert 'rel="canonical"' in html
    assert 'property="og:title"' in html


def test_post_page_shows_date_byline_views_and_related(tree, reader):
    category = make_category()
    post = make_post(
        tree.district,
        "Nghĩa Lộ tổng kết công tác năm",
        category=category,
        published_at=dt.datetime(2021, 1, 29, 7, 0, tzinfo=HANOI),
        byline="Tin và ảnh: Hà Thị Bình",
        with_cover=True,
        cover_alt="Đại biểu dự hội nghị",
    )
    make_post(tree.district, "Tin cùng chuyên mục", category=category)
    response = reader.get(post.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "29/01/2021 07:00" in html
    assert "Tin và ảnh: Hà Thị Bình" in html
    assert "1 lượt xem" in html
    assert "Tin cùng chuyên mục" in html
    assert 'alt="Đại biểu dự hội nghị"' in html
    assert 'property="og:image"' in html
    assert 'property="og:type" content="article"' in html
    assert "<script>" not in html.split("</head>")[0]  # no inline code anywhere in the head


def test_each_view_is_counted_even_when_the_page_comes_from_cache(tree, reader):
    post = make_post(tree.district)
    for _ in range(3):
        assert reader.get(post.get_absolute_url()).status_code == 200
    post_views_flush()
    post.refresh_from_db()
    assert post.view_count == 3


@pytest.mark.parametrize("status", [PostStatus.DRAFT, PostStatus.SUBMITTED])
def test_unpublished_post_is_404(tree, reader, status):
    post = make_post(tree.district, status=status, published_at=timezone.now())
    assert reader.get(post.get_absolute_url()).status_code == 404


def test_scheduled_post_appears_on_time_without_any_job(tree, reader):
    soon = timezone.now() + dt.timedelta(seconds=30)
    post = make_post(tree.district, "Tin hẹn giờ đăng", published_at=soon)
    assert reader.get(post.get_absolute_url()).status_code == 404
    assert "Tin hẹn giờ đăng" not in reader.get("/").content.decode()
    # The home page was cached; its lifetime ends when the scheduled post is due.
    assert news_cache.seconds_until_next_scheduled() <= 31
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - dt.timedelta(seconds=1))
    news_cache.bump_generation()
    assert "Tin hẹn giờ đăng" in reader.get("/").content.decode()


def test_wrong_category_in_url_is_404(tree, reader):
    post = make_post(tree.district)
    other = make_category("Chuyên mục khác")
    assert reader.get(f"/tin-tuc/{other.slug}/{post.slug}/").status_code == 404
    assert reader.get("/tin-tuc/khong-co/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/", "/tin-tuc/", "/van-ban/", "/thu-vien-anh/", "/gioi-thieu/", "/tim-kiem/"]
)
def test_pages_refuse_writes(tree, reader, url):
    assert reader.post(url).status_code == 405


def test_category_list_is_paginated(tree, reader):
    category = make_category()
    for index in range(14):
        make_post(
            tree.district,
            f"Tin số {index:02d}",
            category=category,
            published_at=timezone.now() - dt.timedelta(hours=index + 1),
        )
    first = reader.get(category.get_absolute_url()).content.decode()
    second = reader.get(category.get_absolute_url() + "?trang=2").content.decode()
    assert "Tin số 00" in first
    assert "Tin số 13" not in first
    assert "Tin số 13" in second
    assert "Trang 2/2" in second


def test_search_page_finds_without_diacritics_best_first(tree, reader):
    make_post(tree.district, "Hội nghị tổng kết", body="<p>Khuyến học Nghĩa Lộ tham dự.</p>")
    make_post(
        tree.district,
        "Khuyến học thị xã Nghĩa Lộ trao học bổng",
        published_at=timezone.now() - dt.timedelta(days=9),
    )
    make_post(tree.district, "Dòng họ Hà đăng ký Dòng họ học tập")
    html = reader.get("/tim-kiem/", {"q": "khuyen hoc nghia lo"}).content.decode()
    assert "Tìm thấy 2 tin" in html
    assert html.index("trao học bổng") < html.index("Hội nghị tổng kết")
    assert "Dòng họ Hà" in reader.get("/tim-kiem/", {"q": "dong ho"}).content.decode()


def test_documents_filter_by_form_year_and_words(tree, reader):
    for number, form, year, summary in [
        ("49-KL/TW", DocumentForm.CONCLUSION, 2022, "Tiếp tục thực hiện Chỉ thị 11"),
        ("387/QĐ-TTg", DocumentForm.DECISION, 2022, "Mô hình học tập trong gia đình, dòng họ"),
        ("489/QĐ-TTg", DocumentForm.DECISION, 2019, "Kế hoạch thực hiện Kết luận 49"),
    ]:
        Document.objects.create(
            number=number,
            form=form,
            issuer="Trung ương",
            issued_on=dt.date(year, 3, 1),
            summary=summary,
            unit=tree.district,
        )
    decisions = reader.get("/van-ban/", {"hinh-thuc": "quyet-dinh", "nam": "2022"})
    html = decisions.content.decode()
    assert "387/QĐ-TTg" in html
    assert "489/QĐ-TTg" not in html
    assert "49-KL/TW" not in html
    found = reader.get("/van-ban/", {"q": "dong ho"}).content.decode()
    assert "387/QĐ-TTg" in found
    assert "49-KL/TW" not in found


def test_about_page_lists_units_and_contacts(tree, reader, settings):
    settings.SITE_UNIT = tree.district.name
    OrgUnit.objects.filter(pk=tree.commune_a.pk).update(
        chairperson="Lò Văn Cường", phone="0216 3870 123", email="xamot@example.org"
    )
    html = reader.get("/gioi-thieu/").content.decode()
    assert "Hội Khuyến học xã Một" in html
    assert "Lò Văn Cường" in html
    assert 'href="tel:0216 3870 123"' in html
    assert "xamot@example.org" in html
    assert "Hội Khuyến học huyện Bình Lợi" not in html  # another district is not ours


def test_albums_list_and_detail(tree, reader):
    album = Album.objects.create(title="Ngày hội trao học bổng", unit=tree.district)
    Album.objects.create(title="Album ẩn", unit=tree.district, is_published=False)
    html = reader.get("/thu-vien-anh/").content.decode()
    assert "Ngày hội trao học bổng" in html
    assert "Album ẩn" not in html
    assert reader.get(album.get_absolute_url()).status_code == 200


def test_feed_lists_published_posts_only(tree, reader):
    make_post(tree.district, "Tin đã đăng trên RSS")
    make_post(tree.district, "Tin nháp", status=PostStatus.DRAFT)
    make_post(tree.district, "Tin hẹn giờ", published_at=timezone.now() + dt.timedelta(days=1))
    response = reader.get("/feed/")
    titles = [
        item.findtext("title") for item in ElementTree.fromstring(response.content).iter("item")
    ]
    assert titles == ["Tin đã đăng trên RSS"]


def test_sitemap_and_robots(tree, reader):
    post = make_post(tree.district, "Tin trong sơ đồ trang")
    draft = make_post(tree.district, "Tin nháp", status=PostStatus.DRAFT)
    xml = reader.get("/sitemap.xml").content.decode()
    assert post.get_absolute_url() in xml
    assert draft.slug not in xml
    assert "/van-ban/" in xml
    robots = reader.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots
    assert "Sitemap: http://testserver/sitemap.xml" in robots


def test_publishing_clears_the_cached_home_page(tree, reader, personas):
    make_post(tree.district, "Tin cũ")
    assert "Tin mới duyệt" not in reader.get("/").content.decode()
    waiting = make_post(
        tree.commune_a, "Tin mới duyệt", status=PostStatus.SUBMITTED, published_at=None
    )
    assert "Tin mới duyệt" not in reader.get("/").content.decode()  # still the cached page
    post_publish(post=waiting, by=personas.news_editor)
    assert "Tin mới duyệt" in reader.get("/").content.decode()


def test_logged_in_staff_are_not_served_cached_pages(tree, as_user, personas):
    make_post(tree.district, "Tin cũ")
    client = as_user(personas.news_editor)
    client.get("/")
    assert client.get("/").get("X-Cache") is None


def _posts(tree, count: int, start: int = 0) -> None:
    categories = [make_category("Hoạt động Hội"), make_category("Gương sáng hiếu học")]
    for index in range(start, start + count):
        make_post(
            tree.district,
            f"Tin thứ {index}",
            category=categories[index % 2],
            with_cover=True,
            is_featured=index == 0,
            published_at=timezone.now() - dt.timedelta(hours=index + 1),
        )


def _queries_for(client: Client, url: str, django_assert_num_queries, expected: int) -> None:
    news_cache.bump_generation()
    client.get(url)  # makes the thumbnails once, as the first reader would
    news_cache.bump_generation()
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "expected"),
    # The home page: posts (2), the site unit, its merged units, its units per kind, the
    # documents and the next scheduled post; the report figures stay kept when a post is
    # published.
    [("/", 7), ("/tin-tuc/hoat-dong-hoi/", 5)],
)
def test_list_pages_run_a_fixed_number_of_queries(
    tree, reader, django_assert_num_queries, url, expected
):
    _posts(tree, 3)
    _queries_for(reader, url, django_assert_num_queries, expected)
    _posts(tree, 30, start=3)
    _queries_for(reader, url, django_assert_num_queries, expected)


def test_post_page_runs_a_fixed_number_of_queries(
    tree, reader, django_assert_num_queries, views_written_once
):
    _posts(tree, 2)
    post = Post.objects.get(title="Tin thứ 0")
    # The post, its photos, the related posts and the next scheduled post; the view waits in
    # the cache (the first view of the post wrote the row).
    _queries_for(reader, post.get_absolute_url(), django_assert_num_queries, 4)
    _posts(tree, 20, start=2)
    _queries_for(reader, post.get_absolute_url(), django_assert_num_queries, 4)


def test_a_cached_page_needs_no_query_at_all(
    tree, reader, django_assert_num_queries, views_written_once
):
    _posts(tree, 2)
    post = Post.objects.get(title="Tin thứ 0")
    reader.get(post.get_absolute_url())
    with django_assert_num_queries(0):
        response = reader.get(post.get_absolute_url())
    assert response["X-Cache"] == "hit"
    assert post_views_flush() == 1  # the first view wrote the row; the second waited
    post.refresh_from_db()
    assert post.view_count == 2
    reader.get("/")
    with django_assert_num_queries(0):
        assert reader.get("/")["X-Cache"] == "hit"


def test_the_old_favicon_address_points_to_the_svg_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
