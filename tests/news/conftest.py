from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from tests.factories import make_staff


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Personas get real password hashes; a fast hasher keeps this module quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


@pytest.fixture
def commune_a_editor(tree):
    return make_staff("bientap_xa_mot", tree.commune_a, is_editor=True)


@pytest.fixture
def commune_b_editor(tree):
    return make_staff("bientap_xa_hai", tree.commune_b, is_editor=True)


@pytest.fixture
def reader_client():
    from django.test import Client

    return Client()


@pytest.fixture
def views_written_once(monkeypatch):
    """A post's first view writes its row, later ones wait in the cache (no clock involved)."""
    monkeypatch.setattr("news.view_counts.FLUSH_EVERY", 10**9)
