"""More than one app server: a shared cache, media in a bucket, a read replica.

The settings are read in a fresh interpreter with production variables, as gunicorn would;
the routing tests turn the replica router on over a second alias of the test database and
look at which connection each query went to.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import connections
from django.test import Client, override_settings
from django.urls import reverse

from khuyenhoc import db_router, public_cache, staff_cache
from khuyenhoc.public_cache import bump_figures_generation
from khuyenhoc.redis_cache import SharedClientRedisCache
from news import cache as news_cache
from tests.conftest import client_for
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 50,
    "ALLOWED_HOSTS": "khuyenhoc.example.org",
    "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
}
SHARED_CACHE = {"CACHE_URL": "redis://127.0.0.1:6379/7"}


def production(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `code` after django.setup() with only the given variables set, as on a server."""
    keep = {"PATH", "HOME", "LANG", "SYSTEMROOT"}
    environment = {k: v for k, v in os.environ.items() if k in keep}
    environment.update(PRODUCTION, **env, DJANGO_SETTINGS_MODULE="khuyenhoc.settings")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def production_settings(*names: str, **env: str) -> dict:
    code = (
        "import json; from django.conf import settings\n"
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = production(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# The shared cache


def test_production_refuses_to_start_with_a_cache_local_to_each_process():
    for cache_url in (None, "locmemcache://", "dummycache://"):
        env = {"CACHE_URL": cache_url} if cache_url else {}
        result = production("", **env)

        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "CACHE_URL=redis://" in result.stderr
        assert "SINGLE_PROCESS=true" in result.stderr


def test_check_deploy_fails_without_a_shared_cache():
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CACHE_URL"}}
    environment.update(PRODUCTION)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "Bộ nhớ đệm (CACHE_URL)" in result.stderr


def test_redis_url_uses_djangos_own_redis_backend_with_one_client_per_pool():
    caches = production_settings("CACHES", **SHARED_CACHE)["CACHES"]

    assert caches["default"]["BACKEND"] == "khuyenhoc.redis_cache.SharedClientRedisCache"
    assert caches["default"]["LOCATION"] == "redis://127.0.0.1:6379/7"


def test_the_shared_client_cache_works_like_djangos_from_many_threads():
    location = SHARED_CACHE["CACHE_URL"]
    try:
        redis.Redis.from_url(location, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Không có Redis ở 127.0.0.1:6379 (CI và máy phát triển đều có).")
    ours = SharedClientRedisCache(location, {"KEY_PREFIX": "kiem-thu-client"})
    djangos = RedisCache(location, {"KEY_PREFIX": "kiem-thu-client"})
    ours.delete("dem")
    ours.add("dem", 0)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: ours.incr("dem"), range(200)))
    assert djangos.get("dem") == 200
    assert ours._cache.get_client() is ours._cache.get_client()
    ours.delete("dem")


def test_a_single_process_install_may_keep_the_local_cache_when_it_says_so():
    caches = production_settings("CACHES", SINGLE_PROCESS="true")["CACHES"]

    assert caches["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_development_keeps_the_local_cache_without_any_variable():
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_one_bump_empties_the_page_cache_for_every_reader(tree, client):
    """What a shared cache gives every server: the generation lives beside the pages."""
    news_cache.bump_generation()  # not a page another test left in the cache
    first = client.get(reverse("news:home"))
    second = client.get(reverse("news:home"))
    assert "X-Cache" not in first
    assert second["X-Cache"] == "hit"

    news_cache.bump_generation()

    assert "X-Cache" not in client.get(reverse("news:home"))


@pytest.mark.django_db
def test_a_page_another_server_cached_before_the_publication_committed_is_not_served(
    tree, personas, client, django_capture_on_commit_callbacks
):

    from news.models import PostStatus
    from news.services import post_publish
    from tests.news.helpers import make_post

    post = make_post(tree.district, "Tin vừa đăng lúc giao dịch chưa xong", status=PostStatus.DRAFT)
    home = reverse("news:home")
    with django_capture_on_commit_callbacks(execute=True):
        post_publish(post=post, by=personas.news_editor)
        # Meanwhile another server rebuilt the home page from rows without the post, under
        # the number the publication has already bumped.
        public_cache.store_stamped(
            public_cache.page_key(home),
            (b"<p>trang cu</p>", "text/html; charset=utf-8"),
            built_under=news_cache.generation(),
            timeout=300,
        )
        assert client.get(home).content == b"<p>trang cu</p>"

    page = client.get(home)

    assert "X-Cache" not in page
    assert "Tin vừa đăng lúc giao dịch chưa xong" in page.content.decode()


# Media


S3 = {
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "khuyenhoc-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
    "AWS_S3_REGION_NAME": "hn",
    "AWS_ACCESS_KEY_ID": "key",
    "AWS_SECRET_ACCESS_KEY": "secret",
}
# Built without a network: only addresses are computed, nothing is sent.
STORAGE_REPORT = """
from django.core.files.storage import default_storage
from learning.models import ImportJob
private = ImportJob._meta.get_field("file").storage
public_url = default_storage.url("news/a.jpg")
try:
    private.url("imports/a.xlsx")
    private_url = "served"
except ValueError:
    private_url = "refused"
print(type(default_storage._wrapped).__name__, public_url)
print(type(private._wrapped).__name__, private_url, getattr(private, "location", ""))
"""


def test_media_stay_on_the_servers_disk_by_default():
    result = production(STORAGE_REPORT, **SHARED_CACHE, MEDIA_ROOT="/srv/kh/media")
    public, private = result.stdout.splitlines()

    assert public == "FileSystemStorage /media/news/a.jpg"
    assert private.startswith("PrivateFileSystemStorage refused /srv/kh/private")


def test_s3_media_are_public_and_import_files_stay_private_in_the_bucket():
    result = production(STORAGE_REPORT, **SHARED_CACHE, **S3)
    assert result.returncode == 0, result.stderr
    public, private = result.stdout.splitlines()

    # A plain address: cached public pages must not hold signatures that expire.
    assert public == "S3Storage https://s3.example.org/khuyenhoc-media/media/news/a.jpg"
    assert private == "PrivateS3Storage refused private"
    storages = production_settings("STORAGES", **SHARED_CACHE, **S3)["STORAGES"]
    assert storages["private"]["OPTIONS"]["default_acl"] == "private"
    assert storages["private"]["OPTIONS"]["querystring_auth"] is True


def test_s3_media_need_a_bucket_and_an_unknown_storage_is_refused():
    without_bucket = production("", **SHARED_CACHE, MEDIA_STORAGE="s3")
    unknown = production("", **SHARED_CACHE, MEDIA_STORAGE="ftp")

    assert "AWS_STORAGE_BUCKET_NAME" in without_bucket.stderr
    assert "MEDIA_STORAGE phải là" in unknown.stderr


# The read replica


def test_without_a_replica_url_there_is_one_database_and_no_router():
    values = production_settings("DATABASES", "DATABASE_ROUTERS", "MIDDLEWARE", **SHARED_CACHE)

    assert list(values["DATABASES"]) == ["default"]
    assert values["DATABASE_ROUTERS"] == []
    assert "khuyenhoc.db_router.ReplicaMiddleware" not in values["MIDDLEWARE"]


def test_a_replica_url_adds_the_replica_and_its_router():
    values = production_settings(
        "DATABASES",
        "DATABASE_ROUTERS",
        "MIDDLEWARE",
        **SHARED_CACHE,
        DATABASE_URL="postgres://kh@db1/khuyenhoc",
        DATABASE_REPLICA_URL="postgres://kh_read@db2/khuyenhoc",
    )

    assert values["DATABASES"]["replica"]["HOST"] == "db2"
    assert values["DATABASES"]["replica"]["USER"] == "kh_read"
    assert values["DATABASE_ROUTERS"] == ["khuyenhoc.db_router.ReplicaRouter"]
    assert values["MIDDLEWARE"][-2:] == [
        "khuyenhoc.db_router.ReplicaMiddleware",
        "axes.middleware.AxesMiddleware",
    ]


@contextmanager
def replica_on() -> Iterator[dict[str, list[str]]]:
    """Route as production does with DATABASE_REPLICA_URL; collect the SQL per connection."""
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(len(middleware) - 1, "khuyenhoc.db_router.ReplicaMiddleware")
    seen: dict[str, list[str]] = {"default": [], "replica": []}
    with ExitStack() as stack:
        stack.enter_context(
            override_settings(
                DATABASE_ROUTERS=["khuyenhoc.db_router.ReplicaRouter"], MIDDLEWARE=middleware
            )
        )
        for alias, queries in seen.items():

            def record(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            stack.enter_context(connections[alias].execute_wrapper(record))
        yield seen


def tables(queries: list[str]) -> set[str]:
    return {part.split('"')[1] for sql in queries for part in sql.split(" FROM ")[1:]}


# Committed rows, so that the replica's own connection sees them; like the other
# transactional tests, these run after the rest and empty the tables when done.
replica_db = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@replica_db
def test_public_figures_are_kept_from_the_primary_and_their_chart_reads_the_replica(tree):
    bump_figures_generation()  # no page or figures another test left in the cache
    with replica_on() as seen:
        page = Client().get("/so-lieu/")
    # The page and its figures are kept for every reader: built on the primary.
    assert page.status_code == 200
    assert "reports_report" in tables(seen["default"])
    assert seen["replica"] == []

    with replica_on() as seen:
        Client().get(reverse("public_figures_chart"))
    # The chart reuses the kept figures; the rest (the site's unit) comes from the replica.
    assert "reports_report" not in tables(seen["default"] + seen["replica"])
    assert "associations_orgunit" in tables(seen["replica"])


@replica_db
def test_a_cached_public_page_is_built_from_the_primary(tree):
    """A page kept for every reader must not freeze a replica that is behind."""
    news_cache.bump_generation()  # not a page another test left in the cache
    with replica_on() as seen:
        response = Client().get(reverse("news:home"))
        search = Client().get(reverse("news:search"), {"q": "khuyen hoc"})

    assert response.status_code == search.status_code == 200
    assert "news_post" in tables(seen["default"])
    assert seen["replica"] == []


@replica_db
def test_the_dashboard_is_kept_from_the_primary_and_its_chart_reads_the_replica(tree, personas):
    client = client_for(personas.province_leader)
    with replica_on() as seen:
        response = client.get(reverse("dashboards:home"))
    # The figures are kept for every reader of the scope: built on the primary, like the
    # public pages, so a replica that lags is never frozen into them.
    assert response.status_code == 200
    assert response["X-Cache"] == "miss"
    assert "associations_orgunit" in tables(seen["default"])
    assert "auth_user" in tables(seen["default"])
    assert seen["replica"] == []

    with replica_on() as seen:
        chart = client.get(reverse("dashboards:chart", args=[tree.province.pk, "xu-huong"]))
    assert chart.status_code == 200
    assert "associations_orgunit" in tables(seen["replica"])
    assert not {"django_session", "auth_user"} & tables(seen["replica"])


@replica_db
def test_the_admin_reads_only_the_primary(tree, personas):
    client = client_for(personas.district_staff)
    with replica_on() as seen:
        response = client.get(reverse("admin:associations_orgunit_changelist"))

    assert response.status_code == 200
    assert seen["replica"] == []


@replica_db
def test_staff_who_have_just_sent_a_form_read_the_primary_for_a_while(tree, personas):
    client = Client()
    with replica_on() as seen:
        login = client.post(
            reverse("admin:login"), {"username": "lanhdao_tinh", "password": PASSWORD}
        )
        assert login.status_code == 302
        pin = login.cookies[db_router.PIN_COOKIE]
        assert pin["max-age"] == settings.REPLICA_PIN_SECONDS

        # A chart of the dashboard: a staff page that reads the replica (the dashboard's
        # figures themselves are kept from the primary).
        chart = reverse("dashboards:chart", args=[tree.province.pk, "xu-huong"])
        after_saving = client.get(chart)
        pinned_reads = len(seen["replica"])
        del client.cookies[db_router.PIN_COOKIE]  # the pin has expired
        later = client.get(chart)

    assert after_saving.status_code == later.status_code == 200
    assert pinned_reads == 0
    assert seen["replica"]


@replica_db
def test_reads_after_a_write_or_inside_a_transaction_stay_on_the_primary(tree):
    from django.db import transaction

    from associations.models import OrgUnit

    router = db_router.ReplicaRouter()
    assert router.db_for_read(OrgUnit) == "default"  # no request: commands, the worker

    state = db_router._RequestReads(may_use_replica=True)
    token = db_router._current.set(state)
    try:
        assert router.db_for_read(OrgUnit) == "replica"
        with transaction.atomic():
            assert router.db_for_read(OrgUnit) == "default"
        with db_router.primary_reads():
            assert router.db_for_read(OrgUnit) == "default"
        assert router.db_for_read(OrgUnit) == "replica"
        assert router.db_for_write(OrgUnit) == "default"
        assert router.db_for_read(OrgUnit) == "default"
    finally:
        db_router._current.reset(token)


def test_env_example_lists_every_variable_the_settings_read():
    import re

    settings_source = (ROOT / "khuyenhoc" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', settings_source))
    listed = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))

    assert {"CACHE_URL", "SINGLE_PROCESS", "DATABASE_REPLICA_URL", "MEDIA_STORAGE"} <= read
    assert read - listed == set()


@pytest.mark.django_db
def test_an_upgrades_migrate_forgets_what_the_old_code_cached():
    before = (
        public_cache.generation(),
        public_cache.figures_generation(),
        staff_cache.version(),
    )
    call_command("migrate", verbosity=0)
    after = (
        public_cache.generation(),
        public_cache.figures_generation(),
        staff_cache.version(),
    )
    assert all(new > old for old, new in zip(before, after, strict=True))
