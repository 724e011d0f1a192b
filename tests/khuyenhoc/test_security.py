"""The portal as an attacker meets it: headers, cookies, lockout, uploads, rich text, exports.

Pages are found by crawling from the public home page, the admin registry and the staff
landing pages, following every link, so a page added later is checked without editing this
file; uploads are found from the models' file fields the same way.
"""

from __future__ import annotations

import base64
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
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from tests.conftest import client_for
from tests.factories import PASSWORD
from tests.khuyenhoc.test_admin_wording import reachable_pages

ROOT = Path(__file__).resolve().parents[2]

# ---------------------------------------------------------------------------------------------
# Production settings


def production_environment(**extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="khuyenhoc.settings",
        DEBUG="false",
        SECRET_KEY="k3-" + "x9Qp" * 16,
        ALLOWED_HOSTS="khuyenhoc.example.org",
        CSRF_TRUSTED_ORIGINS="https://khuyenhoc.example.org",
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
    call_command("load_demo_data", stdout=StringIO())
    settings.DEBUG = False


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


def test_every_page_has_a_strict_policy_and_no_inline_code(demo):
    public = crawl(Client(), ["/", "/so-lieu/", "/khen-thuong/", "/tim-kiem/?q=hoc"], limit=150)
    superuser = get_user_model().objects.filter(is_superuser=True).first()
    start = [
        *reachable_pages(superuser),
        reverse("dashboards:home"),
        reverse("reports:index"),
        reverse("awards_staff:board"),
    ]
    staff = crawl(client_for(superuser), start, limit=600)

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


def _refusal(field, upload: SimpleUploadedFile) -> list[str] | None:
    upload.seek(0)
    try:
        field.run_validators(upload)
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
            messages = _refusal(field, upload)
            if messages is None:
                accepted.setdefault(label, []).append(why)
            elif not all(_is_vietnamese(message) for message in messages):
                english.setdefault(label, []).extend(messages)
        # The checks are on the content, not a blanket refusal: each field takes a real file.
        assert any(_refusal(field, good) is None for good in good_uploads()), label

    assert not accepted, accepted
    assert not english, english
