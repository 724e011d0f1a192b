"""Browser fixtures shared by every app's e2e tests: Playwright driving Debian's chromium.

Without /usr/bin/chromium the tests are skipped with the reason shown, unless E2E_REQUIRED=1
(then they fail, so CI cannot pass silently without a browser).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread
from django.urls import re_path
from django.views.static import serve

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class _OneRequestAtATime(WSGIServer):
    """The live server handles one request at a time.

    The SQLite test database lives in memory as one connection that the server shares with
    the tests; a page that loads several charts at once would use it from several threads.
    """

    def __init__(self, *args: object, connections_override: object = None, **kwargs: object):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = _OneRequestAtATime


def _require_browser() -> None:
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    reason = (
        f"Chromium không có ở {CHROMIUM}: bỏ qua kiểm thử trình duyệt "
        "(cài bằng: apt-get install chromium)."
    )
    if os.environ.get("E2E_REQUIRED") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=CHROMIUM_ARGS,
        )
        yield launched
        launched.close()


PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}


def new_page(browser: object, viewport: dict[str, int] = PHONE) -> object:
    """A page in a context of its own (its own cookies: another user can sign in there)."""
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    fresh = context.new_page()
    fresh.set_default_timeout(15_000)
    return fresh


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh phone-sized page (390 x 844); tests resize it as they need."""
    fresh = new_page(browser)
    yield fresh
    fresh.context.close()


@pytest.fixture
def built_in_data(db) -> None:
    """The rows the data migrations load, loaded again: transactional tests empty the tables."""
    import importlib

    from django.apps import apps

    from reports.form_definition import load_editions

    load_editions(apps)
    for migration in (
        "dashboards.migrations.0002_default_targets",
        "awards.migrations.0002_default_issuable_forms",
    ):
        importlib.import_module(migration).add_defaults(apps, None)


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# The live server serves static files but not uploads; this URLconf adds them for e2e runs.
urlpatterns: list = []


@pytest.fixture
def serve_media(settings, tmp_path: Path) -> Path:
    """Uploads go to a temporary folder and the live server serves them under MEDIA_URL."""
    from django.core.cache import cache

    from khuyenhoc import urls as project_urls

    cache.clear()  # thumbnails remembered from another test point to files gone with it

    settings.MEDIA_ROOT = tmp_path / "media"
    urlpatterns[:] = [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
        *project_urls.urlpatterns,
    ]
    settings.ROOT_URLCONF = __name__
    return settings.MEDIA_ROOT


def log_in(page: object, live_server: object, username: str) -> None:
    """Sign in through the admin's login form, as staff do."""
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def csp_errors(page: object) -> list[str]:
    """Collect the Content Security Policy violations the page reports from now on."""
    found: list[str] = []
    page.on(
        "console",
        lambda m: found.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return found


def no_horizontal_scroll(page: object) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def images_without_alt(page: object) -> list[str]:
    return page.evaluate(
        "Array.from(document.images).filter(i => !(i.getAttribute('alt') || '').trim())"
        ".map(i => i.src)"
    )


# Journeys: every step's screenshot goes under one folder named for the run (the UTC start time,
# or JOURNEY_RUN when a CI job wants its own id), printed at the end of the run.
_JOURNEY_RUN_KEY = pytest.StashKey[Path]()


@pytest.fixture(scope="session")
def journeys_dir(request: pytest.FixtureRequest) -> Path:
    run = os.environ.get("JOURNEY_RUN") or dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = ARTIFACTS / "journeys" / run
    folder.mkdir(parents=True, exist_ok=True)
    request.config.stash[_JOURNEY_RUN_KEY] = folder
    return folder


class Steps:
    """Numbered screenshots of one journey: <run>/<journey>/01-<step>.png, 02-…"""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def shot(self, page: object, step: str, *, full_page: bool = True) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    def pdf(self, pdf: Path, step: str) -> Path:
        """The first page of a downloaded PDF as the step's picture (poppler's pdftoppm)."""
        self.count += 1
        stem = self.folder / f"{self.count:02d}-{step}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, stem],
            check=True,
        )
        return stem.with_suffix(".png")


@pytest.fixture
def journey(journeys_dir: Path) -> Callable[[str], Steps]:
    def start(name: str) -> Steps:
        folder = journeys_dir / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return Steps(folder)

    return start


def pytest_terminal_summary(terminalreporter: object, config: pytest.Config) -> None:
    folder = config.stash.get(_JOURNEY_RUN_KEY, None)
    if folder is not None:
        terminalreporter.write_line(f"journey screenshots: {folder}")
