"""The demo agrees with itself: posts quote the demo's figures, every workflow state is there."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django.utils.formats import number_format

from associations.models import OrgUnit
from learning.models import LearningModelKind
from learning.selectors import headline_year_figures
from news.models import Album, Post, PostStatus


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, demo_media: Path) -> None:
    # Replaces the package's per-test media folder: the demo's photos live for the module.
    settings.MEDIA_ROOT = demo_media
    cache.clear()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media: Path):
    """The whole demo, loaded once for the module (it takes a few seconds)."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            DEBUG=True,
            MEDIA_ROOT=demo_media,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        call_command("load_demo_data", stdout=StringIO())
        yield
        call_command("flush", "--no-input", verbosity=0)


def _strip(html: str) -> dict[str, str]:
    """The home page's figures strip as {label: value}."""
    return {
        label.strip(): value
        for value, label in re.findall(
            r'figures__value">([^<]+)</span> <span class="figures__label">([^<]+)<', html
        )
    }


@pytest.mark.django_db
def test_the_registration_post_quotes_the_figures_the_site_shows(demo):
    html = Client().get("/").content.decode()
    strip = _strip(html)
    # The strip reads approved reports; the post quotes the register's latest year with results.
    site = OrgUnit.objects.get(name="Hội Khuyến học thị xã Nghĩa Lộ")
    year, by_kind = headline_year_figures(unit=site, until_year=timezone.localdate().year)
    family = next(k for k in by_kind if k.kind == LearningModelKind.FAMILY)
    registered = number_format(family.registered, force_grouping=True)
    recognised = number_format(family.recognised, force_grouping=True)
    post = Post.objects.get(title__contains="hộ đạt danh hiệu Gia đình học tập")
    assert post.title == f"Nghĩa Lộ có {recognised} hộ đạt danh hiệu Gia đình học tập năm {year}"
    assert f"Trong {registered} hộ đăng ký năm {year}" in post.lead
    summary = Post.objects.get(title__startswith="Khuyến học thị xã Nghĩa Lộ tổng kết năm")
    assert f"duy trì {strip['Hội cơ sở']} Hội cơ sở, {strip['Chi hội']} chi hội" in summary.body
    assert not Post.objects.filter(title__contains="9.000").exists()


@pytest.mark.django_db
def test_titles_and_addresses_are_whole_and_properly_written(demo):
    for title in Album.objects.values_list("title", flat=True):
        assert not title.endswith(" năm"), title
    assert Album.objects.filter(title__endswith=f"năm {timezone.localdate().year}").exists()
    nghia_lo = OrgUnit.objects.get(name="Hội Khuyến học thị xã Nghĩa Lộ")
    assert nghia_lo.address == "Thị xã Nghĩa Lộ"
    assert "Thị xã Nghĩa Lộ" in Client().get("/gioi-thieu/").content.decode()


@pytest.mark.django_db
def test_the_demo_shows_the_workflow_at_work(demo):
    now = timezone.now()
    assert Post.objects.filter(status=PostStatus.DRAFT).exists()
    assert Post.objects.filter(status=PostStatus.SUBMITTED).exists()
    scheduled = Post.objects.filter(status=PostStatus.PUBLISHED, published_at__gt=now)
    assert scheduled.exists()
    returned = Post.objects.get(status_changes__note__startswith="Bổ sung ảnh")
    assert returned.status == PostStatus.DRAFT
    assert Album.objects.filter(is_published=False).exists()
    home = Client().get("/").content.decode()
    for post in Post.objects.exclude(pk__in=Post.objects.published()):
        assert post.title not in home
    hidden = Album.objects.get(is_published=False)
    assert hidden.title not in Client().get("/thu-vien-anh/").content.decode()
