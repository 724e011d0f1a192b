"""Load benchmark: gunicorn as in production on PostgreSQL, driven over HTTP from this process."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections

from khuyenhoc import loadbench
from khuyenhoc.loadbench import Target
from khuyenhoc.public_cache import GENERATION_KEY
from khuyenhoc.staff_cache import VERSION_KEY as STAFF_VERSION_KEY

HOST = "127.0.0.1"
LEADER = ("lanhdao", "khuyenhoc-demo")
SEARCH = "khuyen hoc"  # without diacritics, as readers type it on a phone
DOCS_MARKER = "bench-load"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = (
        "Đo tải: dựng CSDL PostgreSQL với dữ liệu mẫu, chạy gunicorn như khi triển khai thật "
        "và gửi yêu cầu đồng thời tới các trang chính (có và không có bộ nhớ đệm), so với một "
        "trang tối thiểu. Tạo CSDL trong DATABASE_URL nếu chưa có (--fresh: xoá và tạo lại): "
        "hãy dùng một CSDL riêng, tên có chữ “bench”."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, default=50)
        parser.add_argument("--requests", type=int, default=1000, help="Tối đa mỗi trang.")
        parser.add_argument("--seconds", type=float, default=4.0, help="Tối đa mỗi trang.")
        parser.add_argument(
            "--budget", type=float, default=140.0, help="Giây cho toàn bộ phép đo (ước chừng)."
        )
        parser.add_argument("--port", type=int, default=0, help="0: chọn một cổng trống.")
        parser.add_argument(
            "--cache-url",
            default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9"),
            help="Bộ nhớ đệm dùng chung như khi chạy thật (một CSDL Redis riêng, bị xoá trước "
            "khi đo); khi Redis không trả lời thì dùng bộ nhớ đệm riêng của từng tiến trình.",
        )
        parser.add_argument(
            "--fresh", action="store_true", help="Xoá CSDL đo tải và dựng lại từ đầu."
        )
        parser.add_argument(
            "--docs",
            default=str(Path(settings.BASE_DIR) / "docs" / "benchmarks.md"),
            help="Tệp Markdown nhận bảng kết quả; để trống thì không ghi.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Phép đo tải cần PostgreSQL: đặt DATABASE_URL=postgres://...")
        if "bench" not in settings.DATABASES["default"]["NAME"]:
            # The database is dropped and recreated: never one that may hold real records.
            raise CommandError(
                "Tên CSDL đo tải phải có chữ “bench” (CSDL sẽ bị xoá và tạo lại), "
                "ví dụ postgres://postgres@127.0.0.1:5432/khuyenhoc_bench_load."
            )
        started = time.monotonic()
        created = self._ensure_database(fresh=options["fresh"])
        call_command("migrate", verbosity=0)
        if created or not get_user_model().objects.filter(username=LEADER[0]).exists():
            call_command("load_demo_data", stdout=StringIO())
        with connection.cursor() as cursor:
            # A database in service has its statistics from autovacuum; a just-loaded one has
            # none, and the planner's guesses made the report totals twenty times slower.
            cursor.execute("ANALYZE")
            cursor.execute("SHOW server_version")
            postgres = cursor.fetchone()[0]
        connections.close_all()
        self.stdout.write(f"CSDL mẫu sẵn sàng sau {time.monotonic() - started:.0f} giây.")

        port = options["port"] or _free_port()
        with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
            env = self._production_env(folder, port)
            cache = self._cache_env(options["cache_url"])
            env.update(cache)
            self._bump = self._generation_bumper(cache)
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
                cwd=settings.BASE_DIR,
                env=env,
                check=True,
            )
            log_path = Path(folder) / "gunicorn.log"
            with open(log_path, "wb") as log:
                server = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn"],
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
                try:
                    self._wait_until_up(port, server, log_path)
                    results = self._measure(port, options)
                finally:
                    server.send_signal(signal.SIGTERM)
                    try:
                        server.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        server.kill()
            conf = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
        description = loadbench.machine(
            cache=cache["CACHE_URL"],
            postgres=postgres,
            workers=conf["workers"],
            threads=conf["threads"],
            clients=options["clients"],
        )
        lines = loadbench.table(results, clients=options["clients"])
        self.stdout.write("\n".join(["", *description, "", *lines, ""]))
        # On a small machine the driver takes CPU from the server: most during the baseline.
        baseline = next(r for r in results if r.target.baseline)
        cpu = baseline.driver_cpu / baseline.elapsed if baseline.elapsed else 0.0
        self.stdout.write(
            f"Trình tạo tải dùng {cpu:.0%} một nhân CPU khi đo trang mốc; tổng thời gian "
            f"{time.monotonic() - started:.0f} giây."
        )
        if options["docs"]:
            self._write_docs(Path(options["docs"]), description, lines, options, cpu)
        if any(r.errors for r in results):
            first = next(r for r in results if r.errors)
            self.stderr.write(f"Có lỗi, ví dụ: {first.target.label}: {first.first_error}")

    def _ensure_database(self, *, fresh: bool) -> bool:
        """Create the database if missing (or dropped with --fresh); True when created.

        Loading the demo takes from 15 s to a minute on a busy machine: a database kept from
        the previous run leaves the 3 minutes of the run to the measurements.
        """
        params = settings.DATABASES["default"]
        name = params["NAME"]
        connections.close_all()
        with psycopg.connect(
            host=params.get("HOST") or None,
            port=params.get("PORT") or None,
            user=params.get("USER") or None,
            password=params.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
        ) as admin:
            quoted = '"' + name.replace('"', '""') + '"'
            if fresh:
                admin.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
            found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if found.fetchone():
                return False
            admin.execute(f"CREATE DATABASE {quoted}")
            return True

    def _cache_env(self, url: str) -> dict[str, str]:
        """Production's shared Redis cache, emptied first, else one process-local cache."""
        try:
            import redis

            redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
        except Exception as error:
            self.stdout.write(f"Không dùng được Redis ở {url} ({error}): đo với bộ nhớ đệm riêng.")
            return {"CACHE_URL": "locmemcache://bench", "SINGLE_PROCESS": "true"}
        self.stdout.write(f"Bộ nhớ đệm dùng chung: {url}")
        return {"CACHE_URL": url}

    def _generation_bumper(self, cache: dict[str, str]) -> Any:
        """Bumps the number a page is kept under, as a write does (None without Redis).

        The cold rows call it before each request, so nothing of the page is in the cache:
        the public generation, as a publication bumps it, and for the dashboard the staff
        data version, as any change to the figures does.
        """
        if cache.get("SINGLE_PROCESS"):
            return None
        from django.core.cache.backends.redis import RedisCache

        shared = RedisCache(cache["CACHE_URL"], {})

        def bumper(key: str) -> Any:
            def bump() -> None:
                # No page built yet (no number): nothing to make cold.
                with contextlib.suppress(ValueError):
                    shared.incr(key)

            return bump

        return bumper

    def _production_env(self, folder: str, port: int) -> dict[str, str]:
        """The production settings of `.ci/run`'s smoke test, on plain HTTP and 127.0.0.1."""
        env = dict(os.environ)
        env.update(
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(64),
            ALLOWED_HOSTS=HOST,
            STATIC_ROOT=str(Path(folder) / "static"),
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            SECURE_SSL_REDIRECT="false",
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
            GUNICORN_BIND=f"{HOST}:{port}",
            LOG_LEVEL="WARNING",
        )
        return env

    def _wait_until_up(self, port: int, server: subprocess.Popen, log_path: Path) -> None:
        for _ in range(60):
            if server.poll() is not None:
                break
            try:
                if self._get(port, "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise CommandError(f"gunicorn không chạy được:\n{log_path.read_text()[-3000:]}")

    def _get(
        self, port: int, path: str, *, cookie: str = "", method: str = "GET", body: str = ""
    ) -> tuple[int, list[str], str]:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        headers = {"Host": f"{HOST}:{port}"}
        if cookie:
            headers["Cookie"] = cookie
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            return (
                response.status,
                response.headers.get_all("Set-Cookie") or [],
                response.read().decode(errors="replace"),
            )
        finally:
            conn.close()

    def _login(self, port: int) -> str:
        """Log the demo province leader in once; every dashboard request reuses the cookie."""
        status, cookies, html = self._get(port, "/admin/login/")
        jar: SimpleCookie = SimpleCookie()
        for line in cookies:
            jar.load(line)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or token is None or "csrftoken" not in jar:
            raise CommandError(f"Không mở được trang đăng nhập (HTTP {status}).")
        username, password = LEADER
        body = urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
        )
        cookie = f"csrftoken={jar['csrftoken'].value}"
        status, cookies, _ = self._get(
            port, "/admin/login/", cookie=cookie, method="POST", body=body
        )
        for line in cookies:
            jar.load(line)
        if status != 302 or "sessionid" not in jar:
            raise CommandError(f"Không đăng nhập được bằng {username} (HTTP {status}).")
        return f"sessionid={jar['sessionid'].value}"

    def _targets(self, port: int, session: str) -> list[Target]:
        """The pages, found from the home page as a reader would."""
        status, _, html = self._get(port, "/")
        post = re.search(r'href="(/tin-tuc/[a-z0-9-]+/[a-z0-9-]+/)"', html)
        if status != 200 or post is None:
            raise CommandError(f"Trang chủ không có tin nào (HTTP {status}).")
        category = post.group(1).rsplit("/", 2)[0] + "/"
        pages = [
            ("trang chủ", "/", ""),
            ("chuyên mục", category, ""),
            ("tin", post.group(1), ""),
            ("tìm kiếm", "/tim-kiem/?" + urlencode({"q": SEARCH}), ""),
            ("số liệu /so-lieu/", "/so-lieu/", ""),
            ("bảng điều khiển (lanhdao)", "/bang-dieu-khien/", session),
        ]
        targets = [Target("/healthz (mốc)", "/healthz", cached=True, baseline=True)]
        for label, path, cookie in pages:
            targets.append(Target(label, path, cached=True, cookie=cookie))
            targets.append(Target(label, path, cached=False, cookie=cookie))
        if self._bump is not None:
            # Last: the server is still building the slow cold pages for a moment after the
            # driver stops, which would weigh on the next page's figures.
            targets += [
                Target(
                    label,
                    path,
                    cached=False,
                    cookie=cookie,
                    before_each=self._bump(STAFF_VERSION_KEY if cookie else GENERATION_KEY),
                )
                for label, path, cookie in pages
            ]
        return targets

    def _measure(self, port: int, options: dict[str, Any]) -> list[loadbench.Result]:
        session = self._login(port)
        results = []
        targets = self._targets(port, session)
        budget_ends = time.monotonic() + options["budget"]
        for index, target in enumerate(targets):
            # On a crowded machine slow pages stretch the run: the pages left share what
            # remains of the budget, at least one second each.
            share = (budget_ends - time.monotonic()) / (len(targets) - index) / 3
            seconds = max(1.0, min(options["seconds"], share))
            if target.cached and not target.baseline:
                warm = loadbench.warm(target, host=HOST, port=port, clients=options["clients"])
                if warm.cache_hits == 0 and warm.latencies_ms:
                    # Same URL or new one, the page is built each time: the miss row says it
                    # all, and the run stays within its few minutes.
                    results.append(loadbench.Result(target, never_cached=True))
                    self.stdout.write(f"  {target.label:<28} không được lưu đệm")
                    continue
            result = loadbench.drive(
                target,
                host=HOST,
                port=port,
                requests=options["requests"],
                seconds=seconds,
                clients=options["clients"],
            )
            mode = loadbench.mode_label(target)
            self.stdout.write(
                f"  {target.label:<28} {mode:<6} {result.per_second:>7.0f} yêu cầu/giây, "
                f"{result.errors} lỗi"
            )
            results.append(result)
        return results

    def _write_docs(
        self,
        path: Path,
        description: list[str],
        lines: list[str],
        options: dict[str, Any],
        cpu: float,
    ) -> None:
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        section = [
            f"Last run: {when}, `manage.py bench_load --clients {options['clients']} "
            f"--requests {options['requests']} --seconds {options['seconds']:g}` "
            f"(the load driver used {cpu:.0%} of one core during the baseline).",
            "",
            *description,
            "",
            *lines,
        ]
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(
            loadbench.replace_section(text, marker=DOCS_MARKER, lines=section), encoding="utf-8"
        )
        self.stdout.write(f"Đã ghi kết quả vào {path}.")
