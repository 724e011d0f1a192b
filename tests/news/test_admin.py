"""Editing in the admin, narrowed to the editor's own unit and the units below it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from news.models import Post, PostStatus
from tests.news.helpers import make_category, make_post

pytestmark = pytest.mark.django_db


def _form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Hội nghị giao ban cụm thi đua",
        "lead": "Các Hội cơ sở báo cáo kết quả.",
        "body": '<p>Nội dung <strong>đậm</strong></p><script>alert("x")</script>',
        "byline": "Tin và ảnh: Lò Văn Cường",
        "cover_caption": "",
        "cover_alt": "",
        "published_at_0": "",
        "published_at_1": "",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_commune_editor_posts_as_own_unit_only(tree, as_user, commune_a_editor):
    category = make_category()
    client = as_user(commune_a_editor)
    url = reverse("admin:news_post_add")
    refused = client.post(url, _form_data(category=category.pk, unit=tree.commune_b.pk))
    assert refused.status_code == 200  # the form comes back with an error, nothing saved
    assert "unit" in refused.context["adminform"].form.errors
    assert not Post.objects.exists()

    own_branch = client.post(url, _form_data(category=category.pk, unit=tree.village_a.pk))
    assert "unit" in own_branch.context["adminform"].form.errors
    assert not Post.objects.exists()

    saved = client.post(url, _form_data(category=category.pk, unit=tree.commune_a.pk))
    assert saved.status_code == 302
    post = Post.objects.get()
    assert post.unit == tree.commune_a
    assert post.status == PostStatus.DRAFT
    assert post.created_by == commune_a_editor
    assert "<script>" not in post.body
    assert "<strong>đậm</strong>" in post.body


def test_changelist_shows_only_the_subtree(tree, as_user, commune_a_editor):
    own = make_post(tree.village_a, "Tin chi hội thôn Đông", status=PostStatus.DRAFT)
    make_post(tree.commune_b, "Tin xã Hai", status=PostStatus.DRAFT)
    response = as_user(commune_a_editor).get(reverse("admin:news_post_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [own]


def test_another_units_post_is_404(tree, as_user, commune_a_editor):
    other = make_post(tree.commune_b, status=PostStatus.DRAFT)
    client = as_user(commune_a_editor)
    assert client.get(reverse("admin:news_post_change", args=[other.pk])).status_code == 404
    assert client.get(reverse("admin:news_post_history", args=[other.pk])).status_code == 404


def test_district_editor_publishes_from_the_change_form(tree, as_user, personas):
    post = make_post(tree.commune_a, status=PostStatus.SUBMITTED, published_at=None)
    client = as_user(personas.news_editor)
    url = reverse("admin:news_post_change", args=[post.pk])
    page = client.get(url)
    assert "Đăng tin" in page.content.decode()
    response = client.post(
        url,
        _form_data(title=post.title, category=post.category_id, unit=post.unit_id, _dang_tin="1"),
        follow=True,
    )
    assert "Đã đăng tin." in response.content.decode()
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    history = client.get(reverse("admin:news_post_change", args=[post.pk])).content.decode()
    assert "Lịch sử duyệt tin" in history


def test_commune_editor_sees_no_publish_button_and_cannot_change_published(
    tree, as_user, commune_a_editor
):
    draft = make_post(tree.commune_a, "Bản nháp", status=PostStatus.DRAFT)
    client = as_user(commune_a_editor)
    page = client.get(reverse("admin:news_post_change", args=[draft.pk])).content.decode()
    assert "Gửi duyệt" in page
    assert 'name="_dang_tin"' not in page
    published = make_post(tree.commune_a, "Đã đăng")
    url = reverse("admin:news_post_change", args=[published.pk])
    response = client.post(
        url, _form_data(title="Sửa lén", category=published.category_id, unit=tree.commune_a.pk)
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title == "Đã đăng"


def test_read_only_roles_can_view_but_not_change(tree, as_user, personas):
    post = make_post(tree.commune_a, status=PostStatus.DRAFT)
    leader = as_user(personas.province_leader)
    url = reverse("admin:news_post_change", args=[post.pk])
    assert leader.get(url).status_code == 200
    response = leader.post(
        url, _form_data(title="Đổi tên", category=post.category_id, unit=post.unit_id)
    )
    assert response.status_code == 403
    assert leader.get(reverse("admin:news_post_add")).status_code == 403
    # A data-entry clerk has no business with news at all.
    clerk = as_user(personas.commune_a_staff)
    assert clerk.get(reverse("admin:news_post_changelist")).status_code == 403


def test_rich_text_editor_import_map_is_allowed_by_hash_only(tree, as_user, personas):
    response = as_user(personas.news_editor).get(reverse("admin:news_post_add"))
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert "'sha256-" in script_src
    assert "unsafe-inline" not in policy


def test_unit_admin_sees_news_read_only(tree, as_user):
    from tests.factories import make_staff

    unit_admin = make_staff("quantri_xa_mot", tree.commune_a, is_unit_admin=True)
    post = make_post(tree.commune_a, status=PostStatus.DRAFT)
    client = as_user(unit_admin)
    assert client.get(reverse("admin:news_post_change", args=[post.pk])).status_code == 200
    assert client.get(reverse("admin:news_post_add")).status_code == 403


def test_documents_in_the_admin_are_scoped_too(tree, as_user, commune_a_editor):
    import datetime as dt

    from news.models import Document, DocumentForm

    def document(number: str, unit: object) -> Document:
        return Document.objects.create(
            number=number,
            form=DocumentForm.NOTICE,
            issuer="Hội Khuyến học",
            issued_on=dt.date(2024, 1, 2),
            summary="Thông báo",
            unit=unit,
        )

    own = document("01/TB-HKH", tree.commune_a)
    other = document("02/TB-HKH", tree.commune_b)
    client = as_user(commune_a_editor)
    listing = client.get(reverse("admin:news_document_changelist"))
    assert list(listing.context["cl"].queryset) == [own]
    assert client.get(reverse("admin:news_document_change", args=[other.pk])).status_code == 404
    found = client.get(reverse("admin:news_document_changelist"), {"q": "thong bao 01"})
    assert list(found.context["cl"].queryset) == [own]
