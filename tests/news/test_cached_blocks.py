"""A public page's own blocks come from the cache; its frame is built for each reader."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
from django.core.cache import cache
from django.test import Client

from associations.models import OrgUnit
from khuyenhoc import public_cache
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


def _communes_on_the_strip(html: str) -> str:
    found = re.search(
        r'figures__value">([\d.]+)</span> <span class="figures__label">Hội cơ sở', html
    )
    return found.group(1) if found else "0"


def test_a_commune_moved_to_another_district_leaves_the_home_strip_at_once(tree, posts):
    assert _communes_on_the_strip(Client().get("/").content.decode()) == "2"
    OrgUnit.objects.move(tree.commune_b, tree.other_district, "sorted-child")
    assert _communes_on_the_strip(Client().get("/?utm_source=zalo").content.decode()) == "1"


def test_a_unit_closed_in_the_admin_leaves_the_home_strip_at_once(tree, posts):
    assert _communes_on_the_strip(Client().get("/").content.decode()) == "2"
    tree.commune_b.valid_to = dt.date(2020, 1, 1)
    tree.commune_b.save()
    assert _communes_on_the_strip(Client().get("/").content.decode()) == "1"


def test_made_up_parameters_and_page_numbers_are_not_kept(posts):
    for n in range(3):
        assert Client().get(f"/tin-tuc/?x={n}").status_code == 200
        assert Client().get("/tin-tuc/", {"trang": 900 + n}).status_code == 200
    kept = [public_cache.page_key(f"/tin-tuc/?x={n}") for n in range(3)]
    assert cache.get_many(kept) == {}
    assert Client().get("/tin-tuc/?trang=1").status_code == 200
    assert Client().get("/tin-tuc/?trang=1")["X-Cache"] == "hit"
    # The last page is shown for any number past it, and kept under its own number only.
    past = Client().get("/tin-tuc/", {"trang": 999}).content.decode()
    assert "Khuyến học tin số 0" in past
