"""The post editor in a real browser, at phone and desk width, under the strict CSP."""

from __future__ import annotations

import pytest

from news.demo import demo_photo
from news.models import Post, PostPhoto, PostStatus
from tests.e2e.conftest import log_in
from tests.factories import make_staff
from tests.news.helpers import make_category, make_post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_TITLE = (
    "Hội Khuyến học thị xã Nghĩa Lộ tổ chức hội nghị tổng kết công tác khuyến học, khuyến tài, "
    "xây dựng xã hội học tập năm 2025 và triển khai nhiệm vụ trọng tâm năm 2026"
)
ENGLISH = {
    "Heading 2",
    "Heading 3",
    "Paragraph",
    "unordered list",
    "ordered list",
    "bold",
    "italic",
    "blockquote",
    "undo",
    "redo",
    "insert link",
    "figure",
}


def _csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type in ("error", "warning")
            and ("Content Security Policy" in message.text or "white-space" in message.text)
            else None
        ),
    )
    return errors


def _menu_words(page) -> set[str]:
    return set(
        page.evaluate(
            """() => {
              const words = [];
              for (const el of document.querySelectorAll('.prose-menubar *')) {
                for (const name of ['title', 'aria-label']) {
                  if (el.getAttribute(name)) words.push(el.getAttribute(name));
                }
                if (!el.classList.contains('material-icons') && el.children.length === 0) {
                  words.push(el.textContent.trim());
                }
              }
              return words;
            }"""
        )
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_the_editor_is_tall_vietnamese_and_nothing_is_cut_off(
    page, live_server, tree, artifacts_dir, width
):
    make_staff("bientap_huyen", tree.district, is_editor=True)
    make_category()
    page.set_viewport_size({"width": width, "height": 900})
    errors = _csp_errors(page)
    log_in(page, live_server, "bientap_huyen")
    page.goto(f"{live_server.url}/admin/news/post/add/")
    editable = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    editable.wait_for()
    page.fill("#id_title", LONG_TITLE)
    page.screenshot(path=artifacts_dir / f"admin-post-editor-{width}.png", full_page=True)

    assert editable.bounding_box()["height"] >= (250 if width < 600 else 350)
    title = page.evaluate(
        "(() => { const t = document.getElementById('id_title');"
        " return [t.scrollHeight, t.clientHeight, t.scrollWidth, t.clientWidth]; })()"
    )
    assert title[0] <= title[1] + 2, "the long title is cut off at the bottom"
    assert title[2] <= title[3] + 2, "the long title is cut off on the right"
    assert not (_menu_words(page) & ENGLISH)
    page.locator(".prose-menubar__selected").first.click()
    assert page.get_by_role("button", name="Tiêu đề mục", exact=True).is_visible()
    page.keyboard.press("Escape")
    inline = page.evaluate(
        "(() => { const g = document.getElementById('photos-group');"
        " const t = g.querySelector('table'); const s = g.querySelector('.tabular');"
        " return [g.getBoundingClientRect().right, window.innerWidth,"
        " t.getBoundingClientRect().width, s.clientWidth, getComputedStyle(s).overflowX]; })()"
    )
    assert inline[0] <= inline[1], "the photo table runs past the screen"
    assert inline[2] <= inline[3] + 1 or inline[4] == "auto", "the photo table is clipped"
    editable.click()
    page.keyboard.type("Hội nghị đã diễn ra sáng nay.")
    assert page.get_by_role("button", name="Đăng tin").is_visible()
    assert not errors


def test_a_photo_goes_into_the_body_and_the_preview_shows_it(
    page, live_server, tree, serve_media, artifacts_dir
):
    make_staff("bientap_huyen", tree.district, is_editor=True)
    post = make_post(
        tree.district, "Tin có ảnh chờ đăng", status=PostStatus.DRAFT, category=make_category()
    )
    photo = PostPhoto(post=post, caption="Trao học bổng cho học sinh", alt="Học sinh nhận quà")
    photo.image.save("anh.jpg", demo_photo(5, "Trao học bổng"), save=False)
    photo.save()
    page.set_viewport_size({"width": 1280, "height": 900})
    errors = _csp_errors(page)
    log_in(page, live_server, "bientap_huyen")
    page.goto(f"{live_server.url}/admin/news/post/{post.pk}/change/")
    editable = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    editable.wait_for()
    editable.click()
    page.keyboard.press("End")
    page.get_by_role("button", name="Chèn vào bài").click()
    editable.locator("img").wait_for()
    page.click("input[name=_continue]")
    page.locator(".messagelist").wait_for()
    post.refresh_from_db()
    assert f'data-file="photo-{photo.pk}"' in post.body
    assert "Trao học bổng cho học sinh</figcaption>" in post.body

    page.get_by_role("link", name="Xem trước như người đọc").click()
    page.locator(".preview-banner").wait_for()
    page.screenshot(path=artifacts_dir / "admin-post-preview-1280.png", full_page=True)
    assert page.locator(".article__body figure img").count() == 1
    assert page.locator("figcaption", has_text="Trao học bổng cho học sinh").count() == 1
    assert not errors
    assert Post.objects.get(pk=post.pk).status == PostStatus.DRAFT
