"""Staff pages: the proposals board, the decision as a page, PDF, Word and certificates."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile

import pytest
from django.urls import reverse
from docx import Document

from awards.documents import official_date
from awards.models import AwardForm, AwardState, Proposal, ProposalState, RecipientKind
from awards.services import proposal_create
from tests.awards.conftest import add_recipients, make_award
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _url(name, award):
    return reverse(f"awards_staff:{name}", kwargs={"award_id": award.pk})


@pytest.fixture
def district_award(tree):
    award = make_award(tree.district, day=dt.date(2021, 1, 7))
    add_recipients(
        award, RecipientKind.INDIVIDUAL, 3, amount=300_000, title="Giáo viên", phone="0912345678"
    )
    add_recipients(award, RecipientKind.COLLECTIVE, 2, amount=500_000)
    return award


def test_official_dates_have_leading_zeros_for_small_days_and_months_one_and_two():
    assert official_date(dt.date(2021, 1, 22)) == "ngày 22 tháng 01 năm 2021"
    assert official_date(dt.date(2021, 2, 5)) == "ngày 05 tháng 02 năm 2021"
    assert official_date(dt.date(2021, 3, 9)) == "ngày 09 tháng 3 năm 2021"
    assert official_date(dt.date(2021, 12, 10)) == "ngày 10 tháng 12 năm 2021"


def test_grounds_end_with_semicolons_and_the_last_with_a_full_stop(tree):
    award = make_award(tree.district)
    award.grounds = "Điều lệ Hội;\n\n  Căn cứ Quy chế khen thưởng.\nĐề nghị của Văn phòng Hội"
    assert award.ground_lines() == [
        "Căn cứ Điều lệ Hội;",
        "Căn cứ Quy chế khen thưởng;",
        "Căn cứ Đề nghị của Văn phòng Hội.",
    ]


def test_the_printable_page_follows_the_official_layout(tree, personas, district_award):
    response = client_for(personas.district_staff).get(_url("award", district_award))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "HỘI KHUYẾN HỌC TỈNH THỬ",
        "HỘI KHUYẾN HỌC HUYỆN AN PHÚ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/QĐ-HKH",
        "Nghĩa Lộ, ngày 07 tháng 01 năm 2021",
        "QUYẾT ĐỊNH:",
        "Căn cứ Điều lệ Hội Khuyến học Việt Nam;",
        "Căn cứ Đề nghị của Văn phòng Hội.",
        "Tặng Giấy khen cho 2 tập thể và 3 cá nhân",
        "tổng số tiền 1.900.000 đồng",
        "Như Điều 3;",
        "Lưu: VT.",
        "TM. BAN THƯỜNG VỤ",
        "CHỦ TỊCH",
        "I. CÁ NHÂN",
        "II. TẬP THỂ",
        "(Kèm theo Quyết định số 05/QĐ-HKH ngày 07 tháng 01 năm 2021",
    ):
        assert text in html, text
    assert "style=" not in html
    assert "<script>" not in html


def _pdf_text(content: bytes, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()


def test_the_pdf_is_a4_with_the_decision_then_the_list_on_its_own_page(
    tree, personas, district_award
):
    response = client_for(personas.district_staff).get(_url("award_pdf", district_award))
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    assert "A4" in info.stdout.decode()
    fonts = subprocess.run(["pdffonts", "-"], input=content, capture_output=True, check=True)
    assert "Liberation-Serif" in fonts.stdout.decode()
    first, second = _pdf_text(content, 1), _pdf_text(content, 2)
    assert "Số: 05/QĐ-HKH" in first
    assert "ngày 07 tháng 01 năm 2021" in first
    assert "Nơi nhận:" in first
    assert "DANH SÁCH" not in first
    assert "DANH SÁCH" in second
    assert "Kèm theo Quyết định số 05/QĐ-HKH" in second


def test_the_word_file_carries_the_same_document(tree, personas, district_award):
    response = client_for(personas.district_staff).get(_url("award_docx", district_award))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
        xml = docx.read("word/document.xml").decode()
    for text in (
        "Số: 05/QĐ-HKH",
        "ngày 07 tháng 01 năm 2021",
        "QUYẾT ĐỊNH:",
        "Lưu: VT.",
        "TM. BAN THƯỜNG VỤ",
        "I. CÁ NHÂN",
        "Cá nhân số 3",
        "500.000",
        'w:w="11906"',
    ):
        assert text in xml, text
    assert "{{" not in xml
    section = Document(io.BytesIO(response.content)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    assert "{%" not in xml


def test_certificates_print_one_page_per_recipient(tree, personas, district_award):
    response = client_for(personas.district_staff).get(_url("certificates", district_award))
    info = subprocess.run(["pdfinfo", "-"], input=response.content, capture_output=True, check=True)
    assert "Pages:           5" in info.stdout.decode()
    grid = client_for(personas.district_staff).get(
        reverse("awards_staff:certificate_grid", kwargs={"form": AwardForm.MERIT})
    )
    assert grid["Content-Type"] == "application/pdf"
    bad = client_for(personas.district_staff).get("/quan-ly/khen-thuong/mau-in/khong-co/luoi/")
    assert bad.status_code == 404


@pytest.mark.parametrize(
    "name",
    ["award", "award_pdf", "award_docx", "certificates", "recipients_xlsx", "recipients_import"],
)
def test_another_units_drafts_are_404(tree, personas, district_award, name):
    commune_award = make_award(tree.commune_a, "02")
    add_recipients(commune_award, RecipientKind.HOUSEHOLD, 1)
    for user, award in (
        (personas.commune_a_staff, district_award),
        (personas.commune_b_staff, commune_award),
    ):
        assert client_for(user).get(_url(name, award)).status_code == 404
    assert client_for(personas.commune_a_staff).get(_url(name, commune_award)).status_code in (
        200,
        302,
    )


def test_anonymous_readers_go_to_the_login_page(tree, personas, district_award):
    response = client_for(personas.anonymous).get(_url("award", district_award))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_leader_reads_but_cannot_issue(tree, personas, district_award):
    leader = client_for(personas.province_leader)
    assert leader.get(_url("award", district_award)).status_code == 200
    assert leader.post(_url("award_issue", district_award)).status_code == 403
    district_award.refresh_from_db()
    assert district_award.state == AwardState.DRAFT


def test_wrong_methods_are_405(tree, personas, district_award):
    staff = client_for(personas.district_staff)
    assert staff.get(_url("award_issue", district_award)).status_code == 405
    assert staff.post(_url("award_pdf", district_award)).status_code == 405
    assert staff.get(reverse("awards_staff:decide")).status_code == 405


def test_the_issuing_unit_issues_from_the_page(tree, personas, district_award):
    response = client_for(personas.district_staff).post(_url("award_issue", district_award))
    assert response.status_code == 302
    district_award.refresh_from_db()
    assert district_award.state == AwardState.ISSUED


def _proposal(personas, tree):
    return proposal_create(
        by=personas.commune_a_staff,
        from_unit=tree.commune_a,
        date=dt.date(2024, 11, 20),
        form=AwardForm.MERIT,
        occasion="tổng kết năm 2024",
    )


def test_the_board_shows_incoming_proposals_to_the_unit_above_only(tree, personas):
    proposal = _proposal(personas, tree)
    board = reverse("awards_staff:board")
    district_page = client_for(personas.district_staff).get(board).content.decode()
    assert "Tờ trình gửi đến đơn vị" in district_page
    assert "Trả lại" in district_page
    commune_page = client_for(personas.commune_a_staff).get(board).content.decode()
    assert proposal.to_unit.name in commune_page
    assert "Lý do trả lại" not in commune_page
    assert client_for(personas.province_leader).get(board).status_code == 200


def test_returning_from_the_board(tree, personas):
    proposal = _proposal(personas, tree)
    url = reverse("awards_staff:proposal_return", kwargs={"proposal_id": proposal.pk})
    # The proposing commune has no right to decide; another commune does not even see it.
    assert client_for(personas.commune_a_staff).post(url, {"reason": "x"}).status_code == 403
    assert client_for(personas.province_leader).post(url, {"reason": "x"}).status_code == 403
    assert client_for(personas.district_staff).get(url).status_code == 405
    staff = client_for(personas.district_staff)
    staff.post(url, {"reason": ""})
    staff.post(url, {"reason": "x" * 5000})
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PENDING
    staff.post(url, {"reason": "Thiếu biên bản."})
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.RETURNED


def test_deciding_from_the_board_makes_a_draft_and_hostile_input_is_a_message(tree, personas):
    proposal = _proposal(personas, tree)
    staff = client_for(personas.district_staff)
    url = reverse("awards_staff:decide")
    for bad in (
        {},
        {"proposals": ["abc"], "number": "1", "date": "32/13/2024", "place": "x"},
        {"proposals": [str(proposal.pk)], "number": "x" * 500, "date": "01/02/2025", "place": "A"},
        {"proposals": ["999999"], "number": "1", "date": "01/02/2025", "place": "A"},
        {"proposals": [str(proposal.pk)], "number": "1", "date": "01/01/1800", "place": "A"},
        {"proposals": [str(proposal.pk)], "number": "\x00", "date": "01/02/2025", "place": "A"},
    ):
        response = staff.post(url, bad)
        assert response.status_code == 302
    assert Proposal.objects.get().state == ProposalState.PENDING
    response = staff.post(
        url,
        {
            "proposals": [str(proposal.pk)],
            "number": "3",
            "symbol": "QĐ-HKH",
            "date": "05/01/2025",
            "place": "An Phú",
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.AWARDED
    assert proposal.award.decision.number_symbol == "3/QĐ-HKH"


def test_without_pango_the_pdf_page_says_what_to_install(
    tree, personas, district_award, monkeypatch
):
    from khuyenhoc import documents

    def missing():
        raise documents.PdfUnavailable(documents.PANGO_MISSING)

    monkeypatch.setattr(documents, "_weasyprint", missing)
    response = client_for(personas.district_staff).get(_url("award_pdf", district_award))
    assert response.status_code == 503
    assert "libpango-1.0-0" in response.content.decode()
