"""Secure defaults, the login redirect and what a refused request writes to the log."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from tests.conftest import client_for
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def settings_value(name: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="khuyenhoc.settings")
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    return (result.stdout + result.stderr).strip()


def test_debug_is_off_unless_the_environment_turns_it_on():
    # Production needs a shared cache (tests/khuyenhoc/test_deploy_settings.py).
    shared_cache = "redis://127.0.0.1:6379/7"
    assert settings_value("DEBUG", SECRET_KEY="k" * 50, CACHE_URL=shared_cache).endswith("False")
    assert settings_value("DEBUG", DEBUG="true").endswith("True")


def test_without_debug_a_secret_key_is_required():
    assert "SECRET_KEY" in settings_value("DEBUG")


def test_the_makefile_and_the_test_settings_turn_debug_on():
    assert "DEBUG ?= true\nexport DEBUG" in (ROOT / "Makefile").read_text()
    assert os.environ.get("DEBUG") == "true"


def test_login_with_a_foreign_next_lands_on_the_admin_index(personas):
    client = client_for(personas.anonymous)

    response = client.post(
        reverse("admin:login") + "?next=https://evil.example/",
        {"username": "canbo_xa_mot", "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def _capture_console() -> tuple[io.StringIO, list[tuple[logging.Handler, object]]]:
    buffer = io.StringIO()
    swapped = []
    for logger in (logging.getLogger("django"), logging.getLogger()):
        for handler in logger.handlers:
            if type(handler) is logging.StreamHandler:  # not pytest's capture handlers
                swapped.append((handler, handler.setStream(buffer)))
    return buffer, swapped


def test_a_refused_request_writes_one_line_without_traceback(personas, tree):
    client = client_for(personas.province_leader)
    buffer, swapped = _capture_console()
    try:
        response = client.get(reverse("admin:associations_orgunit_delete", args=[tree.district.pk]))
    finally:
        for handler, stream in swapped:
            handler.setStream(stream)

    assert response.status_code == 403
    lines = [line for line in buffer.getvalue().splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "Forbidden" in lines[0]
    assert "Traceback" not in buffer.getvalue()
