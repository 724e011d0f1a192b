"""The admin's "view on site" address gives nothing away about what a user may not see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.urls import reverse

from learning.models import LearningModelKind, Registration
from news.models import Album, Document, DocumentForm, PostStatus
from tests.factories import make_staff
from tests.news.helpers import make_post

pytestmark = pytest.mark.django_db


def _shortcut(obj: Model) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


def _objects(tree) -> list[Model]:
    draft = make_post(tree.district, "Bí mật nội bộ dự thảo", status=PostStatus.DRAFT)
    album = Album.objects.create(
        title="Album chưa công khai", unit=tree.district, is_published=False
    )
    document = Document.objects.create(
        number="12/QĐ-HKH",
        form=DocumentForm.DECISION,
        issuer="Hội Khuyến học huyện",
        issued_on=dt.date(2025, 3, 1),
        summary="Quyết định nội bộ",
        unit=tree.district,
        is_published=False,
    )
    registration = Registration(
        unit=tree.commune_a, kind=LearningModelKind.FAMILY, year=2025, name="Hộ ông Lò Văn Một"
    )
    registration.fill_derived()
    registration.save()
    return [draft, album, document, registration]


def test_staff_without_news_rights_get_404_not_the_public_address(tree, as_user, personas):
    client = as_user(personas.commune_b_staff)
    for obj in _objects(tree):
        response = client.get(_shortcut(obj))
        assert response.status_code == 404, obj
        assert "bi-mat" not in response.get("Location", "")


def test_an_editor_below_the_unit_gets_404(tree, as_user):
    editor = make_staff("bientap_xa_hai", tree.commune_b, is_editor=True)
    client = as_user(editor)
    for obj in _objects(tree):
        assert client.get(_shortcut(obj)).status_code == 404, obj


def test_an_editor_of_the_unit_is_sent_to_the_page(tree, as_user, personas):
    post = make_post(tree.district, "Tin đã đăng của huyện")
    response = as_user(personas.news_editor).get(_shortcut(post))
    assert response.status_code == 302
    assert response["Location"].endswith(post.get_absolute_url())


def test_unknown_type_or_id_is_404(tree, as_user, personas):
    client = as_user(personas.news_editor)
    assert client.get("/admin/r/999999/1/").status_code == 404
    post = make_post(tree.district)
    content_type = ContentType.objects.get_for_model(post)
    for bad in ["abc", "99999999999999999999999", "1.5"]:
        assert client.get(f"/admin/r/{content_type.pk}/{bad}/").status_code == 404


def test_anonymous_is_sent_to_the_login(tree, client):
    post = make_post(tree.district)
    response = client.get(_shortcut(post))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
