"""What the public sees is cached under one generation number, bumped when it changes.

News pages, the home page's figures strip and /so-lieu/ all read published posts or approved
reports. Publishing a post, approving or reopening a report and reorganising the tree bump the
number, so every older entry becomes unreachable at once (each expires on its own later). The
number lives in the cache itself: with a shared cache (Redis, required in production) one bump
reaches every process and every server.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.context import make_context
from django.template.loader import get_template
from django.template.loader_tags import ExtendsNode
from django.utils.safestring import SafeString, mark_safe

from khuyenhoc.db_router import primary_reads

GENERATION_KEY = "news:generation"
FIGURES_GENERATION_KEY = "public:figures-generation"
PAGE_TIMEOUT = 300
PAGE_PARAMS = frozenset({"trang", "q"})  # the only query parameters cached public pages read
MAX_KEPT_QUERY = 600  # characters of query string; a longer search is built, not kept
SHELL_TEMPLATE = "public_shell.html"
KEEP_BLOCKS = "keep_blocks"  # a context key: False when the blocks must not be kept
View = Callable[..., HttpResponse]


def read_number(key: str) -> int:
    """A number kept in the cache that entries are stamped with (created when missing)."""
    value = cache.get(key)
    if value is None:
        # A number lost from the cache starts again at random, never from the clock: bumped
        # once per write it runs ahead of the clock, and a restart must not meet a number
        # that entries still in the cache were kept under.
        value = secrets.randbelow(2**62)
        cache.add(key, value, timeout=None)
        value = cache.get(key, value)
    return int(value)


def bump_number(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        read_number(key)


def _bump_now_and_on_commit(key: str) -> None:
    # At once and again when the transaction commits: another server that rebuilds a page
    # between the two still reads the old rows, and would otherwise keep that page under the
    # new number until it expires.
    bump_number(key)
    transaction.on_commit(functools.partial(bump_number, key))


def generation() -> int:
    """The number every public page's cache key holds."""
    return read_number(GENERATION_KEY)


def figures_generation() -> int:
    """The number the public figures (from approved reports) are kept under."""
    return read_number(FIGURES_GENERATION_KEY)


def bump_generation() -> None:
    """Forget every page cached for the public (called by the services that change them)."""
    _bump_now_and_on_commit(GENERATION_KEY)


def bump_figures_generation() -> None:
    """Reports approved or reopened, the tree reorganised: the figures and every page.

    A post published leaves the figures alone: rebuilding the pages after it does not
    recount the reports.
    """
    _bump_now_and_on_commit(FIGURES_GENERATION_KEY)
    bump_generation()


def _kept_address(request: HttpRequest) -> bool:
    """Whether the page cache keeps this address: only the parameters public pages read.

    Any other (a share's tracking parameters, a made-up one) would make a new entry per
    address, and a flood of them could fill the cache; those pages are built from their
    cached blocks instead, which key on validated values only.
    """
    query = request.META.get("QUERY_STRING", "")
    return len(query) <= MAX_KEPT_QUERY and all(
        name in PAGE_PARAMS and len(request.GET.getlist(name)) == 1 for name in request.GET
    )


def page_key(full_path: str) -> str:
    # Hashed: a hostile query string must not make an invalid or huge cache key.
    return f"news:page:{hashlib.sha256(full_path.encode(errors='replace')).hexdigest()}"


def read_stamped(key: str) -> tuple[int, Any]:
    """(the current generation, the entry under `key` if built under it, else None).

    One round trip to the cache: each entry keeps the generation it was built under, read
    before building, so an entry built while a publication bumped the number is never served.
    """
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY)
    if current is None:
        current = generation()
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == current:
        return int(current), entry[1]
    return int(current), None


def store_stamped(key: str, value: Any, *, built_under: int, timeout: int) -> None:
    cache.set(key, (built_under, value), timeout)


def _timeout(expires_within: Callable[[], int | None] | None) -> int:
    sooner = expires_within() if expires_within else None
    return PAGE_TIMEOUT if sooner is None else min(PAGE_TIMEOUT, sooner)


def anonymous_page_cache(
    *, expires_within: Callable[[], int | None] | None = None
) -> Callable[[View], View]:
    """A decorator keeping a page for anonymous readers under the public generation.

    `expires_within` may shorten a page's life, e.g. to the next post scheduled to appear.
    """

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (
                request.user.is_authenticated
                or request.method not in ("GET", "HEAD")
                or not _kept_address(request)
            ):
                return view(request, *args, **kwargs)
            key = page_key(request.get_full_path())
            built_under, cached = read_stamped(key)
            if cached is not None:
                content, content_type = cached
                response = HttpResponse(content, content_type=content_type)
                response["X-Cache"] = "hit"
                return response
            # A page stored for every reader is built from the primary, never from a replica
            # that may not have the post published a moment ago.
            with primary_reads():
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.streaming:
                    if hasattr(response, "render") and not response.is_rendered:
                        response.render()
                    store_stamped(
                        key,
                        (response.content, response["Content-Type"]),
                        built_under=built_under,
                        timeout=_timeout(expires_within),
                    )
            return response

        return wrapper

    return decorate


def render_blocks(
    request: HttpRequest, template_name: str, context: dict[str, Any]
) -> dict[str, str]:
    """The blocks a page template fills in base.html, each rendered to HTML."""
    template = get_template(template_name).template  # type: ignore[attr-defined]
    extends = next(node for node in template.nodelist if isinstance(node, ExtendsNode))
    bound = make_context(context, request)
    with bound.bind_template(template):
        return {name: block.render(bound) for name, block in extends.blocks.items()}


def render_with_cached_blocks(
    request: HttpRequest,
    template_name: str,
    *,
    inputs: tuple[object, ...],
    build: Callable[[], dict[str, Any]],
    expires_within: Callable[[], int | None] | None = None,
    frame: dict[str, Any] | None = None,
) -> HttpResponse:
    """A public page whose own blocks are kept under the public generation and `inputs`.

    `inputs` are the validated values the page is made of (a category, a page number, a
    search); `build` runs the queries for its context (and may raise Http404) only when the
    blocks are not in the cache. The frame around them (header, login link, messages) is
    rendered for each request, so the blocks serve every reader, logged in or not, whatever
    else the address carries (a Zalo or Facebook share adds its own tracking parameters).
    `frame` is what the frame itself shows, e.g. the search box's text. A context with
    `KEEP_BLOCKS` false is rendered but not kept.
    """
    digest = hashlib.sha256(
        repr((template_name, request.path, *inputs)).encode(errors="replace")
    ).hexdigest()
    key = f"public:blocks:{digest}"
    built_under, blocks = read_stamped(key)
    if blocks is None:
        with primary_reads():
            context = build()
            blocks = render_blocks(request, template_name, context)
        # A page number past the last page shows the last page: kept under its own number
        # only, so that made-up numbers do not fill the cache.
        if context.get(KEEP_BLOCKS, True):
            store_stamped(key, blocks, built_under=built_under, timeout=_timeout(expires_within))
    safe: dict[str, SafeString] = {name: mark_safe(html) for name, html in blocks.items()}
    return render(request, SHELL_TEMPLATE, {**(frame or {}), "blocks": safe})
