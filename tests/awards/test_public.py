"""The public honour list: published decisions only, and never private details."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from awards.models import AwardForm, RecipientKind
from tests.awards.conftest import add_recipients, make_award

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(tree):
    award = make_award(tree.district, issued=True, public=True, day=dt.date(2024, 12, 20))
    add_recipients(
        award,
        RecipientKind.INDIVIDUAL,
        1,
        name="Nguyễn Văn Thắng",
        title="Giáo viên",
        organisation="Trường THCS An Phú",
        achievement="Dạy giỏi",
        phone="0987654321",
        address="Thôn Đông, xã Một",
        birth_date=dt.date(1980, 4, 13),
    )
    add_recipients(
        award,
        RecipientKind.INDIVIDUAL,
        1,
        name="Lò Thị Vui",
        organisation="Trường Tiểu học Hai",
        is_pupil=True,
        grade="5A",
        achievement="Con hộ nghèo vượt khó",
        phone="0911222333",
        address="Bản Lè",
        birth_date=dt.date(2014, 2, 3),
    )
    return award


def test_the_list_shows_name_unit_and_achievement_but_no_private_detail(tree, published):
    html = Client().get(reverse("awards:honour_detail", args=[published.pk])).content.decode()
    assert "Nguyễn Văn Thắng" in html
    assert "Trường THCS An Phú" in html
    assert "Dạy giỏi" in html
    assert "Lò Thị Vui" in html
    assert "Lớp 5A" in html
    assert "Trường Tiểu học Hai" in html
    for private in (
        "0987654321",
        "0911222333",
        "Thôn Đông",
        "Bản Lè",
        "1980",
        "13/04",
        "03/02/2014",
        "Giáo viên",
        "Con hộ nghèo vượt khó",
    ):  # a pupil shows no more than name, school, grade
        assert private not in html, private


def test_search_ignores_diacritics_and_shows_no_private_detail(tree, published):
    html = Client().get(reverse("awards:honour_list"), {"q": "nguyen van thang"}).content.decode()
    assert "Nguyễn Văn Thắng" in html
    assert "Lò Thị Vui" not in html
    assert "0987654321" not in html
    assert "Thôn Đông" not in html
    html = Client().get(reverse("awards:honour_list"), {"q": "LO THI"}).content.decode()
    assert "Lò Thị Vui" in html
    assert "Con hộ nghèo vượt khó" not in html
    # Nor can a search find pupils by what the list does not show about them.
    html = Client().get(reverse("awards:honour_list"), {"q": "ngheo vuot kho"}).content.decode()
    assert "Lò Thị Vui" not in html


def test_drafts_unpublished_decisions_are_hidden(tree, published):
    draft = make_award(tree.district, "06")
    add_recipients(draft, RecipientKind.INDIVIDUAL, 1, name="Người Dự Thảo")
    hidden = make_award(tree.district, "07", issued=True, public=False)
    add_recipients(hidden, RecipientKind.INDIVIDUAL, 1, name="Người Không Công Bố")
    html = Client().get(reverse("awards:honour_list"), {"q": "nguoi"}).content.decode()
    assert "Người Dự Thảo" not in html
    assert "Người Không Công Bố" not in html
    for award in (draft, hidden):
        assert Client().get(reverse("awards:honour_detail", args=[award.pk])).status_code == 404


def test_by_year_and_unit(tree, published):
    other = make_award(
        tree.other_district,
        "01",
        issued=True,
        public=True,
        day=dt.date(2023, 12, 1),
        form=AwardForm.PRIZE,
    )
    add_recipients(other, RecipientKind.COLLECTIVE, 1, name="Chi hội Bình Lợi")
    url = reverse("awards:honour_list")
    by_year = Client().get(url, {"nam": "2023"}).content.decode()
    assert "Phần thưởng" in by_year
    assert "tổng kết năm 2024" not in by_year
    by_unit = Client().get(url, {"don_vi": tree.district.pk}).content.decode()
    assert "tổng kết năm 2024" in by_unit
    assert "tổng kết năm 2023" not in by_unit


@pytest.mark.parametrize(
    "params",
    [
        {"nam": "abc"},
        {"nam": "99999999999999999999"},
        {"don_vi": "-1"},
        {"don_vi": "x"},
        {"q": "x" * 5000},
        {"q": "%' OR 1=1 --"},
        {"trang": "9999"},
        {"trang": "-3"},
        {"q": "<script>alert(1)</script>"},
        {"q": "\x00"},
    ],
)
def test_hostile_parameters_are_never_a_500(tree, published, params):
    response = Client().get(reverse("awards:honour_list"), params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    detail = Client().get(reverse("awards:honour_detail", args=[published.pk]), params)
    assert detail.status_code == 200
    assert Client().post(reverse("awards:honour_list")).status_code == 405


def test_out_of_range_ids_are_404_not_500(tree, published, personas):
    from tests.conftest import client_for

    huge = "9" * 25
    assert Client().get(f"/khen-thuong/{huge}/").status_code == 404
    assert Client().get(reverse("awards:honour_list"), {"don_vi": huge}).status_code == 200
    staff = client_for(personas.district_staff)
    for path in (
        f"/quan-ly/khen-thuong/quyet-dinh/{huge}/",
        f"/quan-ly/khen-thuong/quyet-dinh/{huge}/pdf/",
    ):
        assert staff.get(path).status_code == 404
    url = f"/quan-ly/khen-thuong/to-trinh/{huge}/tra-lai/"
    assert staff.post(url, {"reason": "x"}).status_code == 404
