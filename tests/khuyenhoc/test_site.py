from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from khuyenhoc.text import fold, slugify_vi


def test_home_page_shows_the_association_name_in_vietnamese(db, tree):
    response = Client().get("/")

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="vi">' in content
    assert "Hội Khuyến học" in content


def test_pages_carry_a_content_security_policy_without_inline_scripts(db):
    response = Client().get("/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_admin_speaks_vietnamese_even_to_an_english_browser(db):
    response = Client().get(reverse("admin:login"), headers={"accept-language": "en-US,en"})

    assert "Đăng nhập" in response.content.decode()


def test_unknown_page_is_a_vietnamese_404(db):
    response = Client().get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_dates_and_numbers_follow_vietnamese_conventions():
    moment = timezone.datetime(2021, 1, 29, 7, 0)
    assert formats.date_format(moment, "DATETIME_FORMAT") == "29/01/2021 07:00"
    assert formats.number_format(34000, force_grouping=True) == "34.000"


def test_fold_and_slug_ignore_diacritics_and_d_stroke():
    assert fold("  Hội Khuyến  học ĐẠI Sơn ") == "hoi khuyen hoc dai son"
    assert slugify_vi("Đại hội Khuyến học: nhiệm kỳ 2021–2026!") == (
        "dai-hoi-khuyen-hoc-nhiem-ky-2021-2026"
    )


def test_no_template_has_a_comment_that_a_reader_would_see():
    # {# … #} ends at the end of its line: spread over lines, Django prints it on the page.
    root = Path(settings.BASE_DIR) / "templates"
    open_comments = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.count("{#") > line.count("#}")
    ]
    assert open_comments == []
