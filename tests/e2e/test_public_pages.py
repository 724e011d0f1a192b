"""What a reader sees on the public pages, on a phone and on a desktop screen."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from associations.models import OrgUnitKind
from news.demo import demo_photo
from news.models import Document, DocumentForm, PostPhoto
from tests.e2e.conftest import images_without_alt, no_horizontal_scroll
from tests.factories import make_child, make_root
from tests.news.helpers import make_category, make_post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TITLE = "Khuyến học thị xã Nghĩa Lộ tổng kết năm, bàn việc năm mới"


@pytest.fixture
def news_site(serve_media):
    province = make_root("Hội Khuyến học tỉnh Yên Bái")
    district = make_child(province, "Hội Khuyến học thị xã Nghĩa Lộ", OrgUnitKind.DISTRICT)
    commune = make_child(district, "Hội Khuyến học xã Nghĩa Lợi", OrgUnitKind.COMMUNE)
    activities = make_category("Hoạt động Hội")
    models = make_category("Xây dựng xã hội học tập")
    published = dt.datetime(2021, 1, 29, 7, 0, tzinfo=HANOI)
    post = make_post(
        district,
        TITLE,
        category=activities,
        published_at=published,
        with_cover=True,
        is_featured=True,
        byline="Tin và ảnh: Hà Thị Bình",
        lead="Hơn một trăm đại biểu của các xã, phường dự hội nghị tổng kết.",
        body="<p>Hội nghị đánh giá kết quả một năm và thống nhất nhiệm vụ năm tới.</p>"
        "<h2>Những việc đã làm</h2><p>Các chi hội vận động hộ gia đình đăng ký danh hiệu.</p>",
        cover_caption="Quang cảnh hội nghị tổng kết",
    )
    photo = PostPhoto(post=post, caption="Trao giấy khen cho các tập thể", position=1)
    photo.image.save("anh.jpg", demo_photo(7, "Trao giấy khen"), save=False)
    photo.save()
    Document.objects.create(
        number="49-KL/TW",
        form=DocumentForm.CONCLUSION,
        issuer="Ban Bí thư Trung ương Đảng",
        issued_on=dt.date(2022, 5, 10),
        summary="Về tiếp tục thực hiện Chỉ thị 11-CT/TW về khuyến học, khuyến tài.",
        unit=district,
    )
    for index in range(6):
        make_post(
            commune if index % 2 else district,
            f"Dòng họ số {index + 1} đăng ký danh hiệu Dòng họ học tập",
            category=models if index % 2 else activities,
            published_at=published - dt.timedelta(days=index + 1),
            with_cover=index < 4,
        )
    return post


def _screenshot(page, path) -> None:
    """A full-page picture with the lazy images below the fold loaded, as after scrolling."""
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)


def _visit(page, url: str) -> list[str]:
    """Open a page and collect console errors (a CSP violation shows up there)."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    response = page.goto(url, wait_until="networkidle")
    assert response is not None
    assert response.status == 200
    return errors


@pytest.mark.parametrize("width", [390, 1280])
def test_home_page_reads_well(page, live_server, news_site, artifacts_dir, width):
    page.set_viewport_size({"width": width, "height": 900})
    errors = _visit(page, live_server.url + "/")

    featured = page.locator(".featured__title")
    assert featured.inner_text() == TITLE
    assert page.get_by_role("heading", name="Hoạt động Hội").is_visible()
    assert page.get_by_role("heading", name="Văn bản mới").is_visible()
    assert page.get_by_text("49-KL/TW").is_visible()
    assert no_horizontal_scroll(page)
    assert images_without_alt(page) == []
    # Every picture really loaded (thumbnails were made and served).
    broken = page.evaluate(
        "Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0).length"
    )
    assert broken == 0
    assert errors == []
    _screenshot(page, artifacts_dir / f"home-{width}.png")


@pytest.mark.parametrize("width", [390, 1280])
def test_post_page_shows_date_byline_and_photos(page, live_server, news_site, artifacts_dir, width):
    page.set_viewport_size({"width": width, "height": 900})
    errors = _visit(page, live_server.url + news_site.get_absolute_url())

    assert page.locator("h1").inner_text() == TITLE
    meta = page.locator(".article__meta").inner_text()
    assert "29/01/2021 07:00" in meta
    assert re.search(r"\d+ lượt xem", meta)
    assert page.get_by_text("Tin và ảnh: Hà Thị Bình").is_visible()
    assert page.get_by_text("Quang cảnh hội nghị tổng kết").is_visible()
    assert page.get_by_role("heading", name="Tin liên quan").is_visible()
    assert no_horizontal_scroll(page)
    assert images_without_alt(page) == []
    assert errors == []
    # The print button is added by the site's own script (no inline code under the CSP).
    assert page.get_by_role("button", name="In bài").is_visible()
    _screenshot(page, artifacts_dir / f"post-{width}.png")


def test_keyboard_reader_can_skip_to_content_and_search(page, live_server, news_site):
    _visit(page, live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()

    page.get_by_label("Tìm kiếm tin bài").fill("dong ho hoc tap")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q="))
    assert page.get_by_text("Tìm thấy 6 tin").is_visible()


def test_print_view_hides_navigation(page, live_server, news_site):
    _visit(page, live_server.url + news_site.get_absolute_url())
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".related").is_visible()
    assert page.locator("h1").is_visible()


@pytest.mark.parametrize("path", ["/", "/tin-tuc/", "/van-ban/", "/gioi-thieu/"])
def test_narrow_phone_has_no_sideways_scrolling(page, live_server, news_site, path):
    page.set_viewport_size({"width": 360, "height": 740})
    _visit(page, live_server.url + path)
    assert no_horizontal_scroll(page)
    assert images_without_alt(page) == []
