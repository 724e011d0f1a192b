"""A small HTTP load driver and its report, for `manage.py bench_load`.

Standard library only: threads, each a client holding one keep-alive connection (as a browser
does), share a request budget and a deadline, so a run is bounded both in requests and in
time. A page "missing the cache" gets a query string no one asked before.
"""

from __future__ import annotations

import http.client
import itertools
import os
import platform
import re
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

CACHED_GOAL = 1 / 2  # of the baseline's throughput, for a page served from the page cache
MISS_GOAL = 1 / 10  # for a page built by Django on every request
REQUEST_TIMEOUT = 20.0  # seconds; a request slower than this counts as an error


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    cached: bool  # the same URL every time (served from the page cache once warm)
    cookie: str = ""
    baseline: bool = False
    # Run before each request, untimed: "cold" rows bump the public generation with it, so
    # that every request comes just after a publication and nothing of the page is cached.
    before_each: Callable[[], object] | None = None

    @property
    def cold(self) -> bool:
        return self.before_each is not None


@dataclass
class Result:
    target: Target
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    cache_hits: int = 0
    elapsed: float = 0.0
    first_error: str = ""
    driver_cpu: float = 0.0
    never_cached: bool = False  # the warm-up got no cached answer: measured once, as a miss

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + self.errors

    @property
    def per_second(self) -> float:
        return len(self.latencies_ms) / self.elapsed if self.elapsed else 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0

    @property
    def p95_ms(self) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def hit_share(self) -> float:
        done = len(self.latencies_ms)
        return self.cache_hits / done if done else 0.0


def _unique_path(path: str, run: str, number: int) -> str:
    return f"{path}{'&' if '?' in path else '?'}_={run}{number}"


def drive(
    target: Target, *, host: str, port: int, requests: int, seconds: float, clients: int
) -> Result:
    """Send up to `requests` requests within `seconds` from `clients` concurrent clients."""
    result = Result(target)
    numbers = itertools.count()  # next() on a count is atomic under the GIL
    lock = threading.Lock()
    run = uuid.uuid4().hex[:8]
    deadline = time.monotonic() + seconds
    headers = {"Host": f"{host}:{port}", "Accept": "text/html"}
    if target.cookie:
        headers["Cookie"] = target.cookie

    def client() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
        latencies: list[float] = []
        errors = hits = 0
        first_error = ""
        while time.monotonic() < deadline:
            number = next(numbers)
            if number >= requests:
                break
            path = target.path if target.cached else _unique_path(target.path, run, number)
            if target.before_each is not None:
                target.before_each()
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                errors += 1
                first_error = first_error or f"{type(error).__name__}: {error}"
                continue
            took = (time.perf_counter() - started) * 1000
            if response.status != 200:
                errors += 1
                first_error = first_error or f"HTTP {response.status} {path}"
                continue
            latencies.append(took)
            hits += response.getheader("X-Cache") == "hit"
        connection.close()
        with lock:
            result.latencies_ms.extend(latencies)
            result.errors += errors
            result.cache_hits += hits
            result.first_error = result.first_error or first_error

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    cpu, started = time.process_time(), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT)
    result.elapsed = time.perf_counter() - started
    result.driver_cpu = time.process_time() - cpu
    return result


def warm(target: Target, *, host: str, port: int, clients: int) -> Result:
    """Fill every worker's page cache (a local cache is per process) before a cached run.

    Few clients and a short budget: on a page that is never cached this only costs time."""
    return drive(
        target, host=host, port=port, requests=clients, seconds=1, clients=min(clients, 10)
    )


def ratio(result: Result, baseline: Result) -> float:
    return result.per_second / baseline.per_second if baseline.per_second else 0.0


def verdict(result: Result, baseline: Result) -> str:
    if result.target.baseline:
        return "đạt" if result.errors == 0 else "chưa đạt"
    if result.never_cached:
        return "chưa đạt (trang không được lưu đệm)"
    if result.target.cold:
        return "để so sánh"
    goal = CACHED_GOAL if result.target.cached else MISS_GOAL
    met = ratio(result, baseline) >= goal and result.errors == 0
    return "đạt" if met else "chưa đạt"


def goal_text(result: Result) -> str:
    if result.target.baseline:
        return "không lỗi"
    if result.target.cold:
        return "không có"
    return "≥ 1/2, không lỗi" if result.target.cached else "≥ 1/10, không lỗi"


def mode_label(target: Target) -> str:
    if target.baseline:
        return "—"
    if target.cold:
        return "nguội"
    return "có" if target.cached else "trượt"


def table(results: list[Result], *, clients: int) -> list[str]:
    """The results as Markdown table lines (readable as plain text too)."""
    baseline = next(r for r in results if r.target.baseline)
    lines = [
        "| trang | bộ đệm | yêu cầu | yêu cầu/giây | trung vị ms | p95 ms | lỗi | "
        f"lấy từ bộ đệm | so với mốc | mục tiêu ({clients} máy khách) | kết quả |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for result in results:
        target = result.target
        mode = mode_label(target)
        if result.never_cached:
            lines.append(
                f"| {target.label} | {mode} | — | — | — | — | — | 0% | — | "
                f"{goal_text(result)} | {verdict(result, baseline)} |"
            )
            continue
        lines.append(
            f"| {target.label} | {mode} | {result.requests} | {result.per_second:.0f} | "
            f"{result.median_ms:.1f} | {result.p95_ms:.1f} | {result.errors} | "
            f"{result.hit_share:.0%} | {ratio(result, baseline):.2f} | {goal_text(result)} | "
            f"{verdict(result, baseline)} |"
        )
    return lines


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return ""


def machine(*, cache: str, postgres: str, workers: int, threads: int, clients: int) -> list[str]:
    model = re.search(r"^model name\s*:\s*(.+)$", _read("/proc/cpuinfo"), re.MULTILINE)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", _read("/proc/meminfo"), re.MULTILINE)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return [
        f"- CPU: {os.cpu_count()} × {model.group(1) if model else platform.processor() or '?'}",
        f"- RAM: {int(memory.group(1)) / 1024 / 1024:.1f} GiB" if memory else "- RAM: ?",
        f"- {platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"- PostgreSQL {postgres}; page cache: {cache.split('://')[0]}",
        f"- gunicorn: {workers} workers × {threads} threads (gunicorn.conf.py), "
        f"driver: {clients} concurrent clients in a second process on 127.0.0.1",
        f"- load average when the run began: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
    ]


def replace_section(text: str, *, marker: str, lines: Iterable[str]) -> str:
    """`text` with the block between the marker's comments replaced (or appended)."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    block = "\n".join([start, *lines, end])
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        return before + block + after
    return text.rstrip("\n") + ("\n\n" if text.strip() else "") + block + "\n"
