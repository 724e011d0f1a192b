"""A public page's own blocks come from the cache; its frame is built for each reader."""

from __future__ import annotations

import unicodedata

import pytest
from django.test import Client

from news.models import PostStatus
from news.services import post_publish
from tests.news.helpers import make_category, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(tree):
    category = make_category("Hoạt động Hội")
    return [make_post(tree.district, f"Khuyến học tin số {n}", category=category) for n in range(3)]


def _pages(posts) -> list[str]:
    return [
        "/",
        "/tin-tuc/",
        posts[0].category.get_absolute_url(),
        posts[0].get_absolute_url(),
        "/tim-kiem/?q=khuyen+hoc",
        "/so-lieu/",
    ]


def test_a_link_shared_with_tracking_parameters_needs_no_query(
    posts, django_assert_num_queries, views_written_once
):
    for url in _pages(posts):
        first = Client().get(url)
        assert first.status_code == 200
        joined = "&" if "?" in url else "?"
        with django_assert_num_queries(0):
            shared = Client().get(f"{url}{joined}fbclid=IwAR0abc&zarsrc=30&utm_source=zalo")
        assert shared.status_code == 200
        assert shared.get("X-Cache") != "hit"  # a new address for the page cache
        main = first.content.decode().split('<main id="noi-dung"')[1].split("</main>")[0]
        assert main in shared.content.decode()


def test_the_frame_is_each_readers_own(posts, personas):
    anonymous = Client().get("/tin-tuc/").content.decode()
    assert "Đăng nhập" in anonymous
    staff = Client()
    staff.force_login(personas.news_editor)
    page = staff.get("/tin-tuc/?trang=1").content.decode()
    assert "Quản trị" in page
    assert "Đăng nhập" not in page
    assert "Khuyến học tin số 2" in page
    assert "Quản trị" not in Client().get("/tin-tuc/?utm_source=zalo").content.decode()


def test_each_search_keeps_its_own_results_and_box(posts):
    found = Client().get("/tim-kiem/?q=tin+so+1").content.decode()
    assert "Khuyến học tin số 1" in found
    assert 'value="tin so 1"' in found
    other = Client().get("/tim-kiem/?q=tin+so+2").content.decode()
    assert "Khuyến học tin số 2" in other
    assert "Khuyến học tin số 1" not in other
    assert 'value="tin so 2"' in other
    # The same words typed in decomposed form are the same search.
    decomposed = unicodedata.normalize("NFD", "Khuyến học tin số 1")
    assert "Khuyến học tin số 1" in Client().get("/tim-kiem/", {"q": decomposed}).content.decode()


def test_a_post_published_now_is_on_every_address_at_once(tree, posts, personas):
    assert Client().get("/?utm_source=zalo").status_code == 200
    draft = make_post(
        tree.commune_a,
        "Xã Một trao học bổng",
        category=posts[0].category,
        status=PostStatus.SUBMITTED,
        published_at=None,
    )
    post_publish(post=draft, by=personas.district_staff)
    for url in ("/", "/?utm_source=zalo", "/tin-tuc/?fbclid=1", "/tim-kiem/?q=hoc+bong"):
        assert "Xã Một trao học bổng" in Client().get(url).content.decode(), url


def test_a_missing_category_stays_a_404_whatever_the_address_carries(posts):
    for _ in range(2):
        assert Client().get("/tin-tuc/khong-co/?utm_source=zalo").status_code == 404


def test_publishing_a_post_does_not_recount_the_report_figures(
    tree, posts, personas, django_assert_num_queries
):
    Client().get("/so-lieu/")
    draft = make_post(
        tree.commune_a,
        "Tin mới của xã Một",
        category=posts[0].category,
        status=PostStatus.SUBMITTED,
        published_at=None,
    )
    post_publish(post=draft, by=personas.district_staff)
    # The page is built again (the tree's site unit only); the figures are kept.
    with django_assert_num_queries(1):
        assert Client().get("/so-lieu/").status_code == 200
