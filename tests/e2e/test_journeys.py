"""The portal's user journeys, end to end in a real browser, with a screenshot of every step.

Each test is one journey (or two that follow each other) done through the pages as a user
does it: clicks, typing, file uploads and downloads. The database is touched directly only to
put the starting data in place (the persona tree, a criteria set, a reporting period, a news
category) and to confirm at the end what the pages said. The screenshots go to
test-artifacts/journeys/<run>/<journey>/NN-<step>.png; the run's folder is printed at the end.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from awards.models import AwardState, Proposal, ProposalState
from learning.importing import COLUMNS
from learning.models import (
    CriteriaItem,
    CriteriaSet,
    LearningModelKind,
    Registration,
    RegistrationStatus,
)
from news.demo import demo_photo
from news.models import Post, PostStatus
from reports.models import FormVersion, PeriodKind, Report, ReportStatus
from tests.e2e.conftest import DESK, PHONE, csp_errors, log_in, new_page, no_horizontal_scroll
from tests.news.helpers import make_category
from tests.reports.conftest import complete_figures, make_period

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FAMILY = "Gia đình học tập"
TODAY = dt.date.today()
THIS_YEAR = TODAY.year


@pytest.fixture(autouse=True)
def _settings(built_in_data, settings, tmp_path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.AXES_ENABLED = False


def _text(page, selector: str = "body") -> str:
    return page.locator(selector).inner_text()


def _column(field: str) -> int:
    """The 1-based column of an import field in the registration template."""
    return next(i for i, (name, _header) in enumerate(COLUMNS, start=1) if name == field)


# a) Registrations: template, a file with errors, the fixed file, assessment, recognition.


@pytest.fixture
def family_criteria(db) -> CriteriaSet:
    criteria = CriteriaSet.objects.create(
        kind=LearningModelKind.FAMILY,
        name="Bộ tiêu chí Gia đình học tập",
        year_from=2020,
        pass_mark=14,
    )
    CriteriaItem.objects.create(
        criteria_set=criteria, order=1, title="Học tập của trẻ em", max_points=10
    )
    CriteriaItem.objects.create(
        criteria_set=criteria, order=2, title="Học tập của người lớn", max_points=10, min_points=5
    )
    return criteria


HOUSEHOLDS = [
    ("Hộ ông Lò Văn Khánh", "Thôn Đông"),
    ("Hộ bà Hà Thị Bình", "Thôn Đông"),
    ("Hộ ông Đinh Công Tráng", "Thôn Tây"),
    ("Hộ bà Nguyễn Thị Phương Thảo", "Thôn Tây"),
]


def _fill_template(template: Path, target: Path, *, slips: bool) -> None:
    """What the officer types into the downloaded template, with two slips or without."""
    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    for offset, (name, address) in enumerate(HOUSEHOLDS):
        line = 2 + offset
        sheet.cell(line, _column("kind"), FAMILY)
        sheet.cell(line, _column("name"), name)
        sheet.cell(line, _column("address"), address)
    if slips:
        sheet.cell(3, _column("year"), "năm nay")  # a word where the year goes
        sheet.cell(5, _column("unit"), "Hội Khuyến học xã Ba")  # a unit outside the commune
    workbook.save(target)


def _assess(page, live_server, steps, name: str, *points: int) -> str:
    """Score one household through the assessment form, picking it in the lookup window."""
    page.goto(f"{live_server.url}/admin/learning/assessment/add/")
    with page.expect_popup() as popup_info:
        page.click("#lookup_id_registration")
    popup = popup_info.value
    popup.wait_for_load_state()
    with popup.expect_event("close"):
        popup.get_by_role("link", name=name).click()
    assert page.input_value("#id_registration")
    page.select_option("#id_criteria_set", index=1)
    assert "Gia đình học tập" in page.locator("#id_criteria_set option:checked").inner_text()
    for index, value in enumerate(points):
        page.locator("#scores-group .add-row a").click()
        page.select_option(f"#id_scores-{index}-item", index=index + 1)
        page.fill(f"#id_scores-{index}-points", str(value))
    page.fill("#id_assessed_on", TODAY.strftime("%d/%m/%Y"))
    steps.shot(page, "phieu-danh-gia")
    page.click("input[name=_save]")
    page.locator(".messagelist").wait_for()
    return _text(page, ".messagelist")


def test_a_commune_imports_its_registrations_then_assesses_and_recognises(
    page, live_server, tree, personas, family_criteria, journey, tmp_path
):
    steps = journey("a-dang-ky-danh-gia-cong-nhan")
    errors = csp_errors(page)
    page.set_viewport_size(DESK)

    log_in(page, live_server, "canbo_xa_mot")
    page.get_by_role("link", name="Đăng ký mô hình học tập").first.click()
    page.wait_for_load_state()
    steps.shot(page, "danh-sach-dang-ky-trong")
    page.get_by_role("link", name=re.compile("Nhập từ Excel")).click()
    page.wait_for_load_state()
    steps.shot(page, "trang-nhap-excel")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải tệp mẫu").click()
    download = download_info.value
    assert download.suggested_filename == "mau-dang-ky-mo-hinh-hoc-tap.xlsx"
    template = tmp_path / download.suggested_filename
    download.save_as(template)
    sheet = load_workbook(template).worksheets[0]
    assert [c.value for c in sheet[1]][: len(COLUMNS)] == [h for _f, h in COLUMNS]
    assert sheet.cell(2, _column("unit")).value == tree.commune_a.name
    assert sheet.cell(2, _column("year")).value in (THIS_YEAR, str(THIS_YEAR))

    with_slips = tmp_path / "dang-ky-xa-mot.xlsx"
    _fill_template(template, with_slips, slips=True)
    page.set_input_files("#id_file", str(with_slips))
    page.click("input[type=submit].default")
    page.get_by_role("heading", name="Các dòng lỗi").wait_for()
    steps.shot(page, "xem-truoc-co-dong-loi")
    # Each bad row with its Excel line number and the reason, in the officer's words.
    error_rows = page.locator("table", has_text="Lý do").last.locator("tbody tr").all_inner_texts()
    assert [" ".join(r.split()) for r in error_rows] == [
        "3 Năm “năm nay” phải là số nguyên.",
        "5 Không tìm thấy đơn vị “Hội Khuyến học xã Ba” trong phạm vi đơn vị của bạn.",
    ]
    assert Registration.objects.count() == 0

    fixed = tmp_path / "dang-ky-xa-mot-da-sua.xlsx"
    _fill_template(template, fixed, slips=False)
    page.goto(f"{live_server.url}/admin/learning/registration/import/")
    page.set_input_files("#id_file", str(fixed))
    page.click("input[type=submit].default")
    page.locator("input[type=submit][value^='Xác nhận nhập']").wait_for()
    assert page.get_by_role("heading", name="Các dòng lỗi").count() == 0
    steps.shot(page, "xem-truoc-tep-da-sua")
    page.click("input[type=submit][value^='Xác nhận nhập']")
    page.get_by_text("Đã thêm 4 đăng ký mới.").wait_for()
    steps.shot(page, "da-nhap-xong")
    page.click("text=Xem các đăng ký của lần nhập này")
    page.wait_for_load_state()
    listing = _text(page, "#result_list")
    assert all(name in listing for name, _address in HOUSEHOLDS)
    steps.shot(page, "cac-dang-ky-vua-nhap")

    passed = _assess(page, live_server, steps, "Hộ ông Lò Văn Khánh", 9, 8)
    assert "Đạt điểm theo bộ tiêu chí" in passed
    steps.shot(page, "danh-gia-dat")
    failed = _assess(page, live_server, steps, "Hộ bà Hà Thị Bình", 10, 4)
    assert "Chưa đạt điểm theo bộ tiêu chí." in failed
    steps.shot(page, "danh-gia-chua-dat")

    page.goto(f"{live_server.url}/admin/learning/registration/?year__exact={THIS_YEAR}")
    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", "recognise_selected")
    page.locator("button[name=index], input[name=index]").first.click()
    page.get_by_role("heading", name="Công nhận mô hình học tập").wait_for()
    confirm = _text(page, "#content")
    assert "Hộ ông Lò Văn Khánh" in confirm
    assert "tối thiểu" in confirm  # Hà Thị Bình: an item under its minimum
    assert "Chưa được đánh giá" in confirm
    page.fill("#id_number_symbol", "12/QĐ-UBND")
    page.fill("#id_date", TODAY.isoformat())
    page.fill("#id_issuing_body", "UBND xã Một")
    steps.shot(page, "xac-nhan-cong-nhan")
    page.get_by_role("button", name="Công nhận").or_(
        page.locator("input[type=submit][value='Công nhận']")
    ).click()
    page.locator(".messagelist").wait_for()
    steps.shot(page, "da-cong-nhan")
    assert "Đã công nhận 1 đăng ký" in _text(page, ".messagelist")
    recognised = Registration.objects.get(status=RegistrationStatus.RECOGNISED)
    assert recognised.name == "Hộ ông Lò Văn Khánh"
    assert str(recognised.decision).startswith("12/QĐ-UBND")
    assert errors == []


# b) + d) The half-year report on a phone: returned, fixed, approved; then the leader's page.


def test_the_half_year_report_goes_back_and_forth_and_the_leader_sees_it(
    browser, page, live_server, tree, personas, journey, tmp_path
):
    # This year's first half, open today whatever the day the suite runs.
    period = make_period(
        THIS_YEAR,
        PeriodKind.HALF_YEAR,
        opens_on=min(dt.date(THIS_YEAR, 6, 1), TODAY),
        deadline=max(dt.date(THIS_YEAR, 7, 15), TODAY),
    )
    report_url = f"{live_server.url}/bao-cao/{period.pk}/don-vi/{tree.commune_a.pk}/"
    steps = journey("b-bao-cao-6-thang")
    errors = csp_errors(page)

    log_in(page, live_server, "canbo_xa_mot")
    page.goto(f"{live_server.url}/bao-cao/")
    steps.shot(page, "danh-sach-ky-bao-cao")
    page.get_by_role("link", name="Làm báo cáo").first.click()
    page.wait_for_url(report_url)
    figures = complete_figures(
        FormVersion.objects.for_year(THIS_YEAR),
        members_total="1250",
        members_women="700",
        population="5400",
    )
    for code, value in figures.items():
        page.fill(f"#id_{code}", value)
    steps.shot(page, "dien-bao-cao")
    assert no_horizontal_scroll(page)
    page.get_by_role("button", name="Gửi lên cấp trên").click()
    page.get_by_text("Đã gửi báo cáo lên cấp trên.").wait_for()
    steps.shot(page, "da-gui", full_page=False)

    district = new_page(browser, PHONE)
    district_errors = csp_errors(district)
    log_in(district, live_server, "canbo_huyen")
    district.goto(f"{live_server.url}/bao-cao/{period.pk}/don-vi/{tree.district.pk}/tien-do/")
    steps.shot(district, "huyen-xem-tien-do")
    district.get_by_role("link", name="Hội Khuyến học xã Một").click()
    reason = "Số hội viên nữ chưa khớp sổ hội viên, đề nghị xã kiểm tra lại."
    district.fill("#y-kien-tra-lai", reason)
    district.get_by_role("button", name="Trả lại để sửa").click()
    district.get_by_text("Đã trả lại báo cáo kèm ý kiến.").wait_for()
    steps.shot(district, "huyen-tra-lai", full_page=False)
    assert "Đã trả lại, chờ đơn vị sửa và gửi lại." in _text(district, ".approve-box")
    assert no_horizontal_scroll(district)

    page.goto(report_url)
    assert "Trả lại" in _text(page, ".report-state")
    note = page.locator(".lock-box", has_text="Cấp trên đã trả lại báo cáo để sửa.")
    assert reason in note.inner_text()
    assert note.bounding_box()["y"] + note.bounding_box()["height"] <= PHONE["height"]
    steps.shot(page, "xa-doc-ly-do-tra-lai", full_page=False)
    assert reason in _text(page, ".history")
    page.fill("#id_members_women", "690")
    page.get_by_role("button", name="Gửi lên cấp trên").click()
    page.get_by_text("Đã gửi báo cáo lên cấp trên.").wait_for()
    steps.shot(page, "xa-gui-lai", full_page=False)
    assert no_horizontal_scroll(page)

    district.reload()
    district.fill("#y-kien-duyet", "Đã khớp sổ hội viên.")
    district.get_by_role("button", name="Duyệt báo cáo").click()
    district.get_by_text("Đã duyệt báo cáo.").wait_for()
    steps.shot(district, "huyen-duyet", full_page=False)
    assert "Báo cáo đã khoá." in _text(district, "main")
    report = Report.objects.get()
    assert report.status == ReportStatus.APPROVED
    assert report.values.get(indicator__code="members_women").number == 690
    assert errors == []
    assert district_errors == []
    district.context.close()

    # d) The province leader finds the new figures and takes the summary away as a PDF.
    steps = journey("d-lanh-dao-bang-dieu-khien")
    leader = new_page(browser, DESK)
    leader_errors = csp_errors(leader)
    log_in(leader, live_server, "lanhdao_tinh")
    leader.goto(f"{live_server.url}/bang-dieu-khien/")
    steps.shot(leader, "bang-dieu-khien-mo-dau")
    leader.select_option("#nam", str(THIS_YEAR))
    leader.select_option("#ky", PeriodKind.HALF_YEAR)
    leader.get_by_role("button", name="Xem").click()
    leader.wait_for_load_state("networkidle")
    steps.shot(leader, "so-lieu-6-thang")
    cards = _text(leader, ".dash-cards")
    assert "Hội viên" in cards
    assert "1.250" in cards
    assert no_horizontal_scroll(leader)

    with leader.expect_download() as download_info:
        leader.get_by_role("link", name="Báo cáo tổng hợp (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert tree.province.name.upper() in text.upper()
    assert "1.250" in text
    steps.pdf(pdf, "bao-cao-tong-hop-pdf")
    assert leader_errors == []
    leader.context.close()


# c) A proposal from the commune becomes the district's decision and its PDF.


def test_a_proposal_becomes_a_decision_and_its_pdf(
    browser, page, live_server, tree, personas, journey, tmp_path
):
    steps = journey("c-to-trinh-quyet-dinh")
    page.set_viewport_size(DESK)
    errors = csp_errors(page)
    day = TODAY

    log_in(page, live_server, "canbo_xa_mot")
    page.goto(f"{live_server.url}/quan-ly/khen-thuong/")
    steps.shot(page, "xa-bang-khen-thuong")
    page.get_by_role("link", name="Lập tờ trình mới").click()
    page.wait_for_load_state()
    page.select_option("#id_from_unit", label=tree.commune_a.name)
    page.fill("#id_number_symbol", "07/TTr-HKH")
    page.fill("#id_date", day.strftime("%d/%m/%Y"))
    page.select_option("#id_form", label="Giấy khen")
    page.fill("#id_occasion", f"tổng kết năm học {day.year - 1}-{day.year}")
    people = [
        ("Nguyễn Thị Lan", "Giáo viên", "Trường Tiểu học Một", "Có nhiều sáng kiến dạy học"),
        ("Lò Văn Minh", "Trưởng thôn", "Thôn Đông", "Vận động 40 hộ đăng ký Gia đình học tập"),
    ]
    for index, (name, title, organisation, achievement) in enumerate(people):
        prefix = f"#id_recipients-{index}-"
        page.select_option(prefix + "kind", label="Cá nhân")
        page.fill(prefix + "name", name)
        page.fill(prefix + "title", title)
        page.fill(prefix + "organisation", organisation)
        page.fill(prefix + "achievement", achievement)
        page.fill(prefix + "amount", "300000")
    steps.shot(page, "xa-lap-to-trinh")
    page.click("input[name=_save]")
    page.locator(".messagelist").wait_for()
    steps.shot(page, "xa-da-gui-to-trinh")
    proposal = Proposal.objects.get()
    assert proposal.to_unit == tree.district
    assert proposal.state == ProposalState.PENDING

    district = new_page(browser, DESK)
    district_errors = csp_errors(district)
    log_in(district, live_server, "canbo_huyen")
    district.goto(f"{live_server.url}/quan-ly/khen-thuong/")
    assert "07/TTr-HKH" in _text(district, "main")
    accepted = district.get_by_label(re.compile("07/TTr-HKH|Hội Khuyến học xã Một"))
    accepted.check()
    # The tick box sits on its label's line, not stretched across the form above it.
    box = accepted.bounding_box()
    label = district.locator("label", has=accepted).bounding_box()
    assert box["width"] < 40
    assert label["y"] <= box["y"] + box["height"] / 2 <= label["y"] + label["height"]
    grounds_font = district.locator("#id_grounds").evaluate("e => getComputedStyle(e).fontFamily")
    assert "mono" not in grounds_font.lower()
    district.fill("#id_number", "15")
    district.fill("#id_date", day.strftime("%d/%m/%Y"))
    district.fill("#id_place", "An Phú")
    district.fill("#id_signer_name", "Trần Văn Hải")
    district.fill(
        "#id_grounds", "Điều lệ Hội Khuyến học Việt Nam\nTờ trình của Hội Khuyến học xã Một"
    )
    steps.shot(district, "huyen-lap-quyet-dinh")
    district.get_by_role("button", name="Lập dự thảo quyết định").click()
    district.wait_for_load_state()
    issue = district.get_by_role("button", name="Ban hành")
    issue.wait_for()
    steps.shot(district, "huyen-du-thao")
    # The action to issue reads as large as the toolbar's links, not a small grey native button.
    pdf_link = district.get_by_role("link", name="Tải PDF").bounding_box()
    assert issue.bounding_box()["height"] >= pdf_link["height"] - 2
    assert issue.evaluate("e => getComputedStyle(e).fontSize") == district.get_by_role(
        "link", name="Tải PDF"
    ).evaluate("e => getComputedStyle(e).fontSize")
    district.get_by_role("button", name="Ban hành").click()
    district.wait_for_load_state()
    steps.shot(district, "huyen-da-ban-hanh")
    issued = district.locator(".message", has_text="Đã ban hành quyết định.")
    assert issued.evaluate("e => getComputedStyle(e).listStyleType") == "none"
    assert issued.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    document = _text(district)
    assert "Số: 15/QĐ-HKH" in document
    assert "Nguyễn Thị Lan" in document
    assert "Lò Văn Minh" in document

    link = district.get_by_role("link", name="Tải PDF")
    response = district.context.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "quyet-dinh.pdf"
    pdf.write_bytes(response.body())
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "QUYẾT ĐỊNH" in text
    assert "Số: 15/QĐ-HKH" in text
    assert "Tổng cộng: 2 cá nhân; tổng số tiền: 600.000 đồng." in text
    steps.pdf(pdf, "quyet-dinh-pdf")

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.AWARDED
    assert proposal.award.state == AwardState.ISSUED
    assert errors == []
    assert district_errors == []
    district.context.close()


# e) + f) The editor publishes a post with a photo in its body; a reader finds it on a phone.

POST_TITLE = "Xã Một trao học bổng Khuyến học cho học sinh nghèo vượt khó"


def test_the_editor_publishes_a_post_with_a_photo_and_a_reader_finds_it(
    browser, page, live_server, tree, personas, serve_media, journey, tmp_path
):
    make_category("Hoạt động Hội")
    photo = tmp_path / "trao-hoc-bong.jpg"
    photo.write_bytes(demo_photo(5, "Trao học bổng").read())
    steps = journey("e-bien-tap-dang-tin")
    page.set_viewport_size(DESK)
    errors = csp_errors(page)

    log_in(page, live_server, "bientap_huyen")
    page.goto(f"{live_server.url}/admin/news/post/add/")
    editable = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    editable.wait_for()
    page.fill("#id_title", POST_TITLE)
    page.select_option("#id_category", label="Hoạt động Hội")
    page.fill("#id_lead", "Mười lăm suất học bổng được trao cho học sinh vượt khó học giỏi.")
    editable.click()
    page.keyboard.type("Sáng nay, Hội Khuyến học xã Một trao mười lăm suất học bổng.")
    page.keyboard.press("Enter")
    page.set_input_files("#id_photos-0-image", str(photo))
    page.fill("#id_photos-0-caption", "Các em học sinh nhận học bổng")
    page.fill("#id_photos-0-alt", "Học sinh cầm phong bì học bổng")
    steps.shot(page, "viet-bai")
    page.click("input[name=_continue]")
    page.locator(".messagelist").wait_for()
    steps.shot(page, "da-luu-nhap")

    editable.wait_for()
    editable.click()
    page.keyboard.press("Control+End")
    page.get_by_role("button", name="Chèn vào bài").click()
    editable.locator("img").wait_for()
    steps.shot(page, "chen-anh-vao-bai")
    page.click("input[name=_dang_tin]")
    page.locator(".messagelist").wait_for()
    steps.shot(page, "da-dang-tin")
    post = Post.objects.get()
    assert post.status == PostStatus.PUBLISHED
    assert 'data-file="photo-' in post.body
    assert errors == []

    # f) An anonymous reader on a phone types the words without diacritics.
    steps = journey("f-ban-doc-tim-tin")
    reader = new_page(browser, PHONE)
    reader_errors: list[str] = []
    reader.on("console", lambda m: reader_errors.append(m.text) if m.type == "error" else None)
    reader.goto(live_server.url + "/", wait_until="networkidle")
    steps.shot(reader, "trang-chu")
    assert no_horizontal_scroll(reader)
    search = reader.get_by_label("Tìm kiếm tin bài")
    if not search.is_visible():
        reader.get_by_role("button", name=re.compile("Tìm|Menu|Danh mục", re.I)).first.click()
    search.fill("hoc bong hoc sinh ngheo vuot kho")
    steps.shot(reader, "go-tu-khoa-khong-dau", full_page=False)
    reader.keyboard.press("Enter")
    reader.wait_for_url(re.compile(r"/tim-kiem/\?q="))
    steps.shot(reader, "ket-qua-tim-kiem")
    assert reader.get_by_text("Tìm thấy 1 tin").is_visible()
    assert no_horizontal_scroll(reader)
    reader.get_by_role("link", name=POST_TITLE).first.click()
    reader.wait_for_load_state("networkidle")
    assert reader.locator("h1").inner_text() == POST_TITLE
    figure = reader.locator(".article__body figure img")
    figure.scroll_into_view_if_needed()
    assert figure.evaluate("img => img.complete && img.naturalWidth > 0")
    assert reader.get_by_text("Các em học sinh nhận học bổng").is_visible()
    steps.shot(reader, "doc-bai-co-anh")
    assert no_horizontal_scroll(reader)
    assert reader_errors == []
    reader.context.close()
