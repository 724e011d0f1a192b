"""Public search covers posts, documents and albums, grouped, diacritics ignored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from news.models import Album, Document, DocumentForm
from tests.news.helpers import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(tree) -> None:
    make_post(tree.district, "Triển khai Quyết định 244 về Công dân học tập")
    Document.objects.create(
        number="244/QĐ-KHVN",
        form=DocumentForm.DECISION,
        issuer="Hội Khuyến học Việt Nam",
        issued_on=dt.date(2022, 9, 20),
        summary="Ban hành tiêu chí đánh giá, công nhận Công dân học tập",
        unit=tree.district,
    )
    Document.objects.create(
        number="245/QĐ-KHVN",
        form=DocumentForm.DECISION,
        issuer="Hội Khuyến học Việt Nam",
        issued_on=dt.date(2022, 9, 21),
        summary="Văn bản chưa công khai về công dân học tập",
        unit=tree.district,
        is_published=False,
    )
    Album.objects.create(title="Ngày hội Công dân học tập ở Nghĩa Lộ", unit=tree.district)
    Album.objects.create(title="Album ẩn công dân học tập", unit=tree.district, is_published=False)


def test_a_document_number_is_found_from_its_digits(content):
    html = Client().get("/tim-kiem/", {"q": "244"}).content.decode()
    assert "244/QĐ-KHVN" in html
    assert "Văn bản (1)" in html
    assert "Tìm thấy 1 tin bài, 1 văn bản và 0 album ảnh" in html


def test_results_are_grouped_and_diacritics_are_ignored(content):
    html = Client().get("/tim-kiem/", {"q": "cong dan hoc tap"}).content.decode()
    assert html.index("Tin bài (1)") < html.index("Văn bản (1)") < html.index("Album ảnh (1)")
    assert "Ngày hội Công dân học tập ở Nghĩa Lộ" in html
    assert "245/QĐ-KHVN" not in html  # unpublished document
    assert "Album ẩn" not in html  # unpublished album


def test_the_document_summary_is_searched(content):
    html = Client().get("/tim-kiem/", {"q": "TIÊU CHÍ đánh giá"}).content.decode()
    assert "244/QĐ-KHVN" in html


def test_nothing_found_says_so(content):
    html = Client().get("/tim-kiem/", {"q": "không có gì"}).content.decode()
    assert "Không tìm thấy tin bài, văn bản hay album nào" in html


def test_a_query_of_accents_alone_finds_nothing(content):
    html = Client().get("/tim-kiem/", {"q": "\u0301\u0302"}).content.decode()
    assert "244/QĐ-KHVN" not in html
