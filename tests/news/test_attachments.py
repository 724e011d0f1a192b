"""Document attachments are checked by their content, not by the name they carry."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from news.attachments import validate_attachment
from news.demo import demo_pdf
from news.models import Document, DocumentFile

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def _zip(**parts: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name.replace("__", "/"), data)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


DOCX = _zip(**{"[Content_Types].xml": b"<Types/>", "word__document.xml": b"<w:document/>"})
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("quyet-dinh.pdf", demo_pdf("244/QĐ-KHVN").read()),
        ("ke-hoach.docx", DOCX),
        ("so-lieu.xlsx", _xlsx()),
        ("cong-van.doc", OLE2),
        ("bang.xls", OLE2),
        ("anh-chup.png", _png()),
    ],
)
def test_real_documents_are_accepted(name, content):
    validate_attachment(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("quyet-dinh.pdf", HTML),
        ("quyet-dinh.PDF", b"   " + HTML),
        ("ke-hoach.docx", _zip(**{"index.html": HTML})),
        ("so-lieu.xlsx", DOCX),  # a Word file calling itself Excel
        ("cong-van.doc", HTML),
        ("anh.png", HTML),
        ("trong.pdf", b""),
    ],
)
def test_a_file_whose_content_is_not_its_kind_is_refused_in_vietnamese(name, content):
    with pytest.raises(ValidationError) as error:
        validate_attachment(SimpleUploadedFile(name, content))
    assert "Nội dung tệp không phải là" in " ".join(error.value.messages)


@pytest.mark.parametrize("name", ["trang.html", "tep.zip", "ghi-chu.txt", "khong-duoi", "a.svg"])
def test_other_kinds_are_refused(name):
    with pytest.raises(ValidationError, match="Chỉ nhận tệp PDF"):
        validate_attachment(SimpleUploadedFile(name, b"%PDF-1.4 fake"))


@pytest.mark.django_db
def test_the_admin_form_refuses_html_named_pdf(tree, as_user, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = as_user(personas.news_editor)
    data = {
        "number": "244/QĐ-KHVN",
        "form": "quyet-dinh",
        "issuer": "Hội Khuyến học Việt Nam",
        "issued_on": "20/09/2022",
        "summary": "Tiêu chí Công dân học tập",
        "unit": tree.district.pk,
        "is_published": "on",
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-0-file": SimpleUploadedFile("quyet-dinh.pdf", HTML, "application/pdf"),
        "files-0-title": "Bản PDF",
    }
    response = client.post(reverse("admin:news_document_add"), data)
    assert response.status_code == 200
    assert "Nội dung tệp không phải là PDF" in response.content.decode()
    assert not Document.objects.exists()
    assert not DocumentFile.objects.exists()
