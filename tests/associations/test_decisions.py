"""Decisions are records: one number and symbol per issuing unit and year, a checked file."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from associations.models import Decision
from associations.services import decision_get_or_create
from tests.factories import make_decision

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_year_comes_from_the_date_and_the_symbol_has_one_spelling(tree):
    decision = make_decision(tree.commune_a, "25/ qđ-ubnd ", dt.date(2024, 12, 15))
    assert decision.year == 2024
    assert decision.symbol == "QĐ-UBND"
    assert str(decision) == "25/QĐ-UBND ngày 15/12/2024"


def test_number_and_symbol_are_unique_per_unit_and_year(tree):
    make_decision(tree.commune_a, "25/QĐ-UBND", dt.date(2024, 12, 15))
    make_decision(tree.commune_a, "25/QĐ-UBND", dt.date(2025, 3, 1))  # another year
    make_decision(tree.commune_b, "25/QĐ-UBND", dt.date(2024, 12, 15))  # another unit
    twin = Decision(
        issuing_unit=tree.commune_a, number="25", symbol="qđ-ubnd", date=dt.date(2024, 1, 2)
    )
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "đã có quyết định cùng số và ký hiệu" in str(error.value.error_dict["number"])
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_get_or_create_finds_the_same_decision_and_refuses_another_date(tree):
    first = decision_get_or_create(
        issuing_unit=tree.commune_a, number_symbol="12/QĐ-UBND", date=dt.date(2024, 12, 1)
    )
    again = decision_get_or_create(
        issuing_unit=tree.commune_a, number_symbol="12 / qđ-ubnd", date=dt.date(2024, 12, 1)
    )
    assert again.pk == first.pk
    with pytest.raises(ValidationError, match="01/12/2024"):
        decision_get_or_create(
            issuing_unit=tree.commune_a, number_symbol="12/QĐ-UBND", date=dt.date(2024, 12, 9)
        )
    with pytest.raises(ValidationError):
        decision_get_or_create(
            issuing_unit=tree.commune_a, number_symbol="13/QĐ", date=dt.date(1, 1, 1)
        )
    assert Decision.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("quyet-dinh.pdf", PDF, True),
        ("ban-chup.png", png(), True),
        ("quyet-dinh.pdf", b"<html><script>alert(1)</script></html>", False),
        ("ban-chup.pdf", png(), False),  # an image named as a PDF
        ("quyet-dinh.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", False),
    ],
)
def test_the_file_is_checked_by_its_content(tree, settings, tmp_path, name, content, accepted):
    settings.MEDIA_ROOT = tmp_path
    decision = Decision(
        issuing_unit=tree.commune_a,
        number="1",
        symbol="QĐ-HKH",
        date=dt.date(2024, 5, 1),
        file=SimpleUploadedFile(name, content),
    )
    if accepted:
        decision.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            decision.full_clean()
        assert "PDF" in str(error.value.error_dict["file"])


def test_a_file_over_the_limit_is_refused(tree, settings):
    settings.DECISION_FILE_MAX_BYTES = 1024
    decision = Decision(
        issuing_unit=tree.commune_a,
        number="1",
        date=dt.date(2024, 5, 1),
        file=SimpleUploadedFile("to.pdf", PDF + b"0" * 2048),
    )
    with pytest.raises(ValidationError, match="quá lớn"):
        decision.full_clean()


def test_admin_shows_only_the_users_subtree(tree, personas, as_user):
    ours = make_decision(tree.commune_a, "7/QĐ-HKH", summary="Khen thưởng xã Một")
    theirs = make_decision(tree.commune_b, "8/QĐ-HKH", summary="Khen thưởng xã Hai")
    client = as_user(personas.commune_a_staff)
    page = client.get(reverse("admin:associations_decision_changelist")).content.decode()
    assert "7/QĐ-HKH" in page
    assert "8/QĐ-HKH" not in page
    url = reverse("admin:associations_decision_change", args=[theirs.pk])
    assert client.get(url).status_code == 404
    found = client.get(reverse("admin:associations_decision_changelist"), {"q": "khen thuong"})
    assert "7/QĐ-HKH" in found.content.decode()
    assert ours.pk


def test_admin_refuses_a_repeated_number_with_a_message(tree, personas, as_user):
    make_decision(tree.commune_a, "7/QĐ-HKH", dt.date(2024, 3, 1))
    client = as_user(personas.commune_a_staff)
    data = {
        "number": "7",
        "symbol": "qđ-hkh",
        "date": "20/06/2024",
        "issuing_unit": tree.commune_a.pk,
        "issuing_body": "",
        "signer_name": "",
        "signer_title": "",
        "summary": "",
    }
    response = client.post(reverse("admin:associations_decision_add"), data)
    assert response.status_code == 200
    assert "đã có quyết định cùng số và ký hiệu" in response.content.decode()
    data["issuing_unit"] = tree.commune_b.pk  # outside the subtree: not a valid choice
    data["number"] = "9"
    response = client.post(reverse("admin:associations_decision_add"), data)
    assert response.status_code == 200
    assert Decision.objects.count() == 1
