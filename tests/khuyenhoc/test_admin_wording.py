"""Every admin page a staff member can reach reads as Vietnamese.

The pages are found from the admin registry, so a model or a custom view added later is
crawled too. Each persona of tests/conftest.py and a superuser walk every page they may open:
the index, each section, each list (plain and searched), the add page, the change and
history pages of a record, and the custom pages a ModelAdmin adds (the import pages).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import URLPattern, reverse

from associations.models import EmulationCluster
from learning.models import (
    Assessment,
    CriteriaSet,
    HouseholdCount,
    ImportJob,
    ImportStatus,
    Registration,
)
from news.models import Album, Document, PostStatus
from tests.conftest import client_for
from tests.news.helpers import make_post

# Django, treebeard and django-axes strings that were left in English, and the awkward stock
# Vietnamese the portal overrides; matched as whole words in the text a reader sees.
ENGLISH = [
    "Please correct",
    "Show counts",
    "Hide counts",
    "Select an option",
    "Run",
    "Go",
    "Save",
    "Delete",
    "History",
    "Add",
    "Change",
    "View site",
    "Log out",
    "Logout",
    "Filter",
    "Search",
    "Clear all filters",
    "Select all",
    "Welcome",
    "Home",
    "Recent actions",
    "My actions",
    "Axes",
    "AXES",
    "Access attempts",
    "Access logs",
    "Access failures",
    "Tasks Database Backend",
    "Task Results",
    "Enter times",
    "hours behind",
    "Toggle",
    "Skip to main content",
    "Breadcrumbs",
    "Pagination",
    "Sidebar",
    "Position",
    "Relative to",
    "root",
    "Child of",
    "Sibling of",
    "Currently",
    "Chosen",
    "Available",
    "entries",
    "Set password",
    "Forgotten",
    "Error",
    "Model name",
    "User Agent",
    "IP Address",
    "Username",
    "Locked Out",
    "Meta Data",
]
AWKWARD = [
    "Thêm vào đơn vị Hội",
    "Thêm vào",
    "Bởi ",
    "Hoạt động:",
    " của 1 được chọn",
    "0 của",
    "Bản ghi nhớ",
    "BẢN GHI NHỚ",
    "Đi đến",
]
SUPERUSER = "superuser"
PERSONAS = [
    "province_leader",
    "district_staff",
    "commune_a_staff",
    "commune_b_staff",
    "news_editor",
    SUPERUSER,
]


class VisibleText(HTMLParser):
    """The text a reader sees or hears: content, and the labels held in attributes."""

    ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        values = dict(attrs)
        self.parts.extend(values[a] or "" for a in self.ATTRIBUTES if a in values)
        if tag == "input" and values.get("type") in {"submit", "button"}:
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " \n ".join(parser.parts)


def offending_phrases(text: str) -> list[str]:
    found = [p for p in ENGLISH if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text)]
    return found + [p for p in AWKWARD if p in text]


@pytest.fixture
def records(tree, personas):
    criteria = CriteriaSet.objects.create(
        kind="family",
        name="Bộ tiêu chí gia đình học tập",
        year_from=2024,
        pass_mark=Decimal("75.0"),
        pass_mark_disadvantaged=Decimal("70.0"),
    )
    for unit in (tree.commune_a, tree.commune_b):
        registration = Registration.objects.create(
            unit=unit,
            name="Nguyễn Văn Bình",
            kind="family",
            year=2025,
            address="Thôn Đông",
            total_points=Decimal("77.5"),
        )
        Assessment.objects.create(registration=registration, criteria_set=criteria)
        HouseholdCount.objects.create(unit=unit, year=2025, households=34000)
        ImportJob.objects.create(
            unit=unit,
            created_by=personas.district_staff,
            original_name="dang-ky.xlsx",
            status=ImportStatus.DONE,
        )
    EmulationCluster.objects.create(unit=tree.district, name="Cụm số 1").members.add(
        tree.commune_a, tree.commune_b
    )
    make_post(tree.district, "Hội nghị tổng kết năm học")
    make_post(tree.commune_a, "Khai giảng lớp xoá mù chữ", status=PostStatus.DRAFT)
    Document.objects.create(
        number="244/QĐ-KHVN",
        form="quyet-dinh",
        issuer="Hội Khuyến học Việt Nam",
        issued_on=dt.date(2025, 3, 1),
        summary="Về việc công nhận danh hiệu",
        unit=tree.district,
    )
    Album.objects.create(title="Lễ khai giảng năm học mới", unit=tree.district)


def user_for(personas, name: str):
    if name == SUPERUSER:
        return get_user_model().objects.create_superuser("quantri", "qt@example.org", "x")
    return getattr(personas, name)


def _plain_custom_urls(model_admin) -> list[str]:
    """The extra pages a ModelAdmin adds that need no argument (import, export, template)."""
    own = {p.name for p in admin.ModelAdmin.get_urls(model_admin)}
    urls = []
    for pattern in model_admin.get_urls():
        named = isinstance(pattern, URLPattern) and pattern.name and pattern.name not in own
        if named and not pattern.pattern.converters:
            urls.append(reverse(f"admin:{pattern.name}"))
    return urls


def _custom_urls_with_an_id(model_admin, obj) -> list[str]:
    own = {p.name for p in admin.ModelAdmin.get_urls(model_admin)}
    urls = []
    for pattern in model_admin.get_urls():
        if not (isinstance(pattern, URLPattern) and pattern.name) or pattern.name in own:
            continue
        is_job_page = "import" in pattern.name  # the pages of one import job
        if is_job_page and len(pattern.pattern.converters) == 1 and obj is not None:
            urls.append(reverse(f"admin:{pattern.name}", args=[obj.pk]))
    return urls


def reachable_pages(user) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:app_list", args=[info[0]]))
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
            pages.extend(_plain_custom_urls(model_admin))
        obj = model_admin.get_queryset(request).order_by("pk").first()
        if obj is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            pages.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
        if model is ImportJob and model_admin.has_view_permission(request):
            job = model_admin.get_queryset(request).order_by("pk").first()
            pages.extend(_custom_urls_with_an_id(admin.site._registry[Registration], job))
    return list(dict.fromkeys(pages))


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_admin_page_a_persona_reaches_reads_as_vietnamese(personas, records, persona):
    user = user_for(personas, persona)
    client = client_for(user)
    problems: dict[str, list[str]] = {}
    html_pages = 0

    for url in reachable_pages(user):
        response = client.get(url)
        # 405: a POST-only view; 404: a job's list of failed rows when it has none.
        assert response.status_code in {200, 403, 404, 405}, (url, response.status_code)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html_pages += 1
        found = offending_phrases(visible_text(response.content.decode()))
        if found:
            problems[url] = found

    assert html_pages >= 5
    assert not problems, problems


def test_the_crawl_reaches_the_import_pages_and_every_section(personas, records):
    user = user_for(personas, "district_staff")

    pages = reachable_pages(user)

    assert reverse("admin:learning_registration_import") in pages
    assert reverse("admin:associations_orgunit_changelist") in pages
    assert reverse("admin:news_post_add") in pages


def test_the_phrase_check_catches_the_stock_wording():
    text = visible_text(
        '<p>Please correct the errors below.</p><button title="Show counts"></button>'
        "<h2>BẢN GHI NHỚ</h2><span>0 của 1 được chọn</span>"
    )

    assert offending_phrases(text) == [
        "Please correct",
        "Show counts",
        " của 1 được chọn",
        "0 của",
        "BẢN GHI NHỚ",
    ]


def test_third_party_sections_are_hidden_from_staff_and_named_in_vietnamese(personas):
    staff_index = client_for(personas.district_staff).get(reverse("admin:index"))
    superuser = get_user_model().objects.create_superuser("quantri", "qt@example.org", "x")
    super_index = client_for(superuser).get(reverse("admin:index"))

    staff_labels = {app["app_label"] for app in staff_index.context["app_list"]}
    assert not staff_labels & {"axes", "django_tasks_database"}
    names = {app["app_label"]: str(app["name"]) for app in super_index.context["app_list"]}
    assert names["axes"] == "Bảo vệ đăng nhập"
    assert names["django_tasks_database"] == "Tác vụ nền"


@pytest.mark.parametrize(
    ("catalog", "vietnamese"),
    [
        ("admin:jsi18n", "máy của bạn đang chậm hơn %(offset)s giờ"),
        ("admin:jsi18n", "Đã chọn %(sel)s/%(cnt)s"),
        ("admin:jsi18n", "Chọn tất cả %s"),
        ("admin:jsi18n", "Hôm nay (%(date)s)"),
        ("admin:associations_orgunit_changelist", "Trực thuộc"),
    ],
)
def test_the_script_catalogs_are_vietnamese(personas, catalog, vietnamese):
    url = reverse(catalog)
    if not url.endswith("jsi18n/"):
        url += "jsi18n/"

    response = client_for(personas.district_staff).get(url)

    content = response.content.decode()
    assert vietnamese in content or json.dumps(vietnamese)[1:-1] in content
