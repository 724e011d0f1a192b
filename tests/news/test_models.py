from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from news.images import validate_image
from news.models import Document, DocumentForm, Post, PostStatus
from tests.news.helpers import make_post

pytestmark = pytest.mark.django_db


def test_slug_is_ascii_from_vietnamese_title_and_unique(tree):
    first = make_post(tree.district, "Đại hội Khuyến học Đường Đá")
    second = make_post(tree.district, "Đại hội khuyến học đường đá")
    assert first.slug == "dai-hoi-khuyen-hoc-duong-da"
    assert second.slug == "dai-hoi-khuyen-hoc-duong-da-2"
    first.title = "Tiêu đề đã sửa"
    first.save()
    first.refresh_from_db()
    assert first.slug == "dai-hoi-khuyen-hoc-duong-da"  # links already shared keep working


def test_body_is_sanitised_when_saved(tree):
    post = make_post(
        tree.district,
        body='<p onclick="alert(1)">Chào <strong>bạn</strong></p><script>alert(2)</script>'
        '<a href="javascript:alert(3)">liên kết</a><img src="x" onerror="alert(4)">',
    )
    post.refresh_from_db()
    assert "script" not in post.body
    assert "onclick" not in post.body
    assert "javascript:" not in post.body
    assert "onerror" not in post.body
    assert "<strong>bạn</strong>" in post.body


def test_future_post_stays_hidden_until_its_time(tree):
    later = timezone.now() + dt.timedelta(hours=2)
    post = make_post(tree.district, "Tin hẹn giờ", published_at=later)
    assert post not in Post.objects.published()
    assert post in Post.objects.published(now=later + dt.timedelta(seconds=1))


def test_drafts_and_submitted_posts_are_not_public(tree):
    draft = make_post(tree.district, "Bản nháp", status=PostStatus.DRAFT)
    waiting = make_post(
        tree.district, "Chờ duyệt", status=PostStatus.SUBMITTED, published_at=timezone.now()
    )
    assert draft not in Post.objects.published()
    assert waiting not in Post.objects.published()


def test_search_ignores_diacritics_and_ranks_title_matches_first(tree):
    in_body = make_post(
        tree.district,
        "Tổng kết năm học",
        body="<p>Hội Khuyến học thị xã Nghĩa Lộ tham dự.</p>",
        published_at=timezone.now() - dt.timedelta(minutes=5),
    )
    in_title = make_post(
        tree.district,
        "Khuyến học Nghĩa Lộ trao học bổng",
        published_at=timezone.now() - dt.timedelta(days=3),
    )
    make_post(tree.district, "Tin không liên quan")
    found = list(Post.objects.published().search("khuyen hoc nghia lo"))
    assert found == [in_title, in_body]


def test_search_folds_d_with_stroke(tree):
    post = make_post(tree.commune_a, "Dòng họ Lò đạt danh hiệu Dòng họ học tập")
    make_post(tree.commune_a, "Trao học bổng cho học sinh")
    assert list(Post.objects.published().search("dong ho")) == [post]
    assert list(Post.objects.published().search("DÒNG HỌ")) == [post]


def test_document_effective_date_cannot_precede_issue_date(tree):
    document = Document(
        number="05/QĐ-HKH",
        form=DocumentForm.DECISION,
        issuer="Hội Khuyến học huyện",
        issued_on=dt.date(2024, 5, 10),
        effective_on=dt.date(2024, 5, 1),
        summary="Quyết định thử",
        unit=tree.district,
    )
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert "effective_on" in error.value.message_dict


def _image_bytes(fmt: str, size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def test_real_photo_is_accepted():
    validate_image(SimpleUploadedFile("anh.png", _image_bytes("PNG"), "image/png"))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("anh.jpg", b"<?php echo 'khong phai anh'; ?>"),
        ("anh.bmp", _image_bytes("BMP")),
    ],
)
def test_non_photos_are_refused_by_content(name, content):
    with pytest.raises(ValidationError):
        validate_image(SimpleUploadedFile(name, content, "image/jpeg"))


def test_image_with_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr("news.images.MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError, match="điểm ảnh"):
        validate_image(SimpleUploadedFile("anh.png", _image_bytes("PNG"), "image/png"))


def test_thumbnails_follow_the_camera_orientation(tree):
    from django.core.files.base import ContentFile
    from sorl.thumbnail import get_thumbnail

    buffer = io.BytesIO()
    image = Image.new("RGB", (80, 40), (10, 120, 200))
    exif = image.getexif()
    exif[0x0112] = 6  # taken with the phone turned: must be shown rotated
    image.save(buffer, format="JPEG", exif=exif)
    post = make_post(tree.district)
    post.cover.save("xoay.jpg", ContentFile(buffer.getvalue()))
    thumbnail = get_thumbnail(post.cover, "100x100")
    assert thumbnail.height > thumbnail.width
