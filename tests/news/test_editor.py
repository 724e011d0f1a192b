"""Writing a post in the admin: publish from the add form, preview, photos in the body."""

from __future__ import annotations

import pytest
from django.urls import reverse

from news.demo import demo_photo
from news.models import Post, PostPhoto, PostStatus, PostStatusChange
from tests.news.helpers import make_category, make_post
from tests.news.test_admin import _form_data

pytestmark = pytest.mark.django_db


def test_a_district_editor_publishes_straight_from_the_add_form(tree, as_user, personas):
    client = as_user(personas.news_editor)
    url = reverse("admin:news_post_add")
    assert 'name="_dang_tin"' in client.get(url).content.decode()
    data = _form_data(category=make_category().pk, unit=tree.district.pk, _dang_tin="1")
    response = client.post(url, data, follow=True)
    assert "Đã đăng tin." in response.content.decode()
    post = Post.objects.get()
    assert post.status == PostStatus.PUBLISHED
    assert post.published_at is not None
    assert PostStatusChange.objects.filter(post=post, to_status=PostStatus.PUBLISHED).exists()
    assert response.redirect_chain[-1][0] == reverse("admin:news_post_change", args=[post.pk])


def test_a_commune_editor_can_only_submit_from_the_add_form(tree, as_user, commune_a_editor):
    client = as_user(commune_a_editor)
    url = reverse("admin:news_post_add")
    page = client.get(url).content.decode()
    assert 'name="_gui_duyet"' in page
    assert 'name="_dang_tin"' not in page
    data = _form_data(category=make_category().pk, unit=tree.commune_a.pk, _dang_tin="1")
    response = client.post(url, data, follow=True)
    assert "Bạn không có quyền làm việc này." in response.content.decode()
    assert Post.objects.get().status == PostStatus.DRAFT  # saved, not published
    submitted = client.post(
        url,
        _form_data(
            category=make_category().pk, unit=tree.commune_a.pk, title="Tin thứ hai", _gui_duyet="1"
        ),
    )
    assert submitted.status_code == 302
    assert Post.objects.get(title="Tin thứ hai").status == PostStatus.SUBMITTED


def test_the_add_form_has_no_empty_history(tree, as_user, personas):
    page = as_user(personas.news_editor).get(reverse("admin:news_post_add")).content.decode()
    assert "Lịch sử duyệt tin" not in page


def test_a_long_title_is_kept_on_one_line(tree, as_user, personas):
    client = as_user(personas.news_editor)
    title = "Hội Khuyến học thị xã Nghĩa Lộ tổng kết\r\n  năm học 2025–2026"
    data = _form_data(title=title, category=make_category().pk, unit=tree.district.pk)
    assert client.post(reverse("admin:news_post_add"), data).status_code == 302
    assert Post.objects.get().title == "Hội Khuyến học thị xã Nghĩa Lộ tổng kết năm học 2025–2026"


def test_preview_shows_a_draft_as_the_public_will_read_it(tree, as_user, personas):
    draft = make_post(tree.commune_a, "Bản nháp chờ xem trước", status=PostStatus.DRAFT)
    url = reverse("admin:news_post_preview", args=[draft.pk])
    response = as_user(personas.news_editor).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bản xem trước (Nháp)" in html
    assert '<h1 class="article__title">Bản nháp chờ xem trước</h1>' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    change = as_user(personas.news_editor).get(reverse("admin:news_post_change", args=[draft.pk]))
    assert url in change.content.decode()


def test_preview_is_404_outside_the_subtree_and_for_readers(tree, as_user, personas, client):
    draft = make_post(tree.district, "Bí mật nội bộ dự thảo", status=PostStatus.DRAFT)
    url = reverse("admin:news_post_preview", args=[draft.pk])
    from tests.factories import make_staff

    commune_editor = make_staff("bientap_xa_hai", tree.commune_b, is_editor=True)
    assert as_user(commune_editor).get(url).status_code == 404
    assert as_user(personas.commune_b_staff).get(url).status_code in (403, 404)
    assert "Bí mật" not in as_user(personas.commune_b_staff).get(url).content.decode()
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert "/admin/login/" in anonymous["Location"]
    assert as_user(personas.news_editor).post(url).status_code == 405
    for bad in ["999999", "abc", "99999999999999999999999", "1.5", "-1"]:
        missing = f"/admin/news/post/{bad}/xem-truoc/"
        assert as_user(personas.news_editor).get(missing).status_code == 404, bad


def test_a_photo_of_the_post_can_be_put_into_the_body_once(tree, as_user, personas, reader_client):
    post = make_post(tree.district, "Tin có ảnh")
    photo = PostPhoto(post=post, caption="Trao học bổng", alt="Học sinh nhận học bổng")
    photo.image.save("anh.jpg", demo_photo(3, "Trao học bổng"), save=False)
    photo.save()
    change = as_user(personas.news_editor).get(reverse("admin:news_post_change", args=[post.pk]))
    html = change.content.decode()
    assert "data-insert-photo" in html
    assert f'data-file="photo-{photo.pk}"' in html
    # What the editor writes when the button is pressed: a figure carrying the photo's id.
    post.body = (
        f'<p>Mở đầu.</p><figure><img src="/media/x.jpg" alt="Học sinh nhận học bổng" '
        f'data-file="photo-{photo.pk}"><figcaption>Trao học bổng</figcaption></figure>'
    )
    post.save()
    post.refresh_from_db()
    assert f'data-file="photo-{photo.pk}"' in post.body  # kept by the sanitiser
    assert "<figcaption>Trao học bổng</figcaption>" in post.body
    page = reader_client.get(post.get_absolute_url()).content.decode()
    assert page.count("Trao học bổng</figcaption>") == 1  # not repeated below the body


def test_only_the_post_form_loads_the_editor_script(tree, as_user, personas):
    # The script adds an empty <style>, which only the form's policy allows: anywhere else the
    # browser reports a Content Security Policy violation.
    client = as_user(personas.news_editor)
    post = make_post(tree.district, "Tin để xoá", status=PostStatus.DRAFT, category=make_category())
    form = client.get(reverse("admin:news_post_change", args=[post.pk]))
    assert "news/post-editor.js" in form.content.decode()
    assert "news/post-editor.css" in form.content.decode()
    for name in ("admin:news_post_changelist", "admin:news_post_delete", "admin:news_post_history"):
        args = [] if name.endswith("changelist") else [post.pk]
        page = client.get(reverse(name, args=args))
        assert page.status_code == 200, name
        assert "news/post-editor.js" not in page.content.decode(), name
