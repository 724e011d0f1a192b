"""Public pages: thin views over the querysets in news/models.py."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from associations.models import OrgUnit, OrgUnitKind
from associations.scoping import reads_scope_paths_once
from khuyenhoc.public_cache import KEEP_BLOCKS, render_with_cached_blocks
from news.cache import cache_for_anonymous, seconds_until_next_scheduled
from news.figures import headline_figures
from news.models import Album, AlbumPhoto, Category, Document, DocumentForm, Post
from news.params import choice_param, page_param, text_param, year_param
from news.site import site_unit
from news.view_counts import post_view_record

POSTS_PER_PAGE = 12
DOCUMENTS_PER_PAGE = 20
SEARCH_PER_PAGE = 10
SEARCH_GROUP_SIZE = 6


def _page(request: HttpRequest, qs: Any, per_page: int) -> Page:
    return Paginator(qs, per_page).get_page(page_param(request))


def _with_cached_blocks(
    request: HttpRequest,
    template_name: str,
    *,
    inputs: tuple[object, ...] = (),
    build: Callable[[], dict[str, Any]],
    frame: dict[str, Any] | None = None,
) -> HttpResponse:
    return render_with_cached_blocks(
        request,
        template_name,
        inputs=inputs,
        build=build,
        expires_within=seconds_until_next_scheduled,
        frame=frame,
    )


@require_safe
@cache_for_anonymous
def home(request: HttpRequest) -> HttpResponse:
    return _with_cached_blocks(request, "news/home.html", build=_home_context)


@reads_scope_paths_once
def _home_context() -> dict[str, Any]:
    published = Post.objects.published().for_lists()
    featured = published.order_by("-is_featured", "-published_at", "-pk").first()
    latest = published.latest_per_category(3)
    if featured is not None:
        latest = latest.exclude(pk=featured.pk)
    sections = [
        {"category": category, "posts": list(posts)}
        for category, posts in groupby(latest, key=lambda post: post.category)
    ]
    return {
        "featured": featured,
        "sections": sections,
        "documents": Document.objects.published()[:5],
        "figures": headline_figures(site_unit()),
    }


@require_safe
@cache_for_anonymous
def post_list(request: HttpRequest) -> HttpResponse:
    number = page_param(request)

    def build() -> dict[str, Any]:
        posts = Post.objects.published().for_lists()
        page = Paginator(posts, POSTS_PER_PAGE).get_page(number)
        return {
            "page": page,
            "categories": Category.objects.all(),
            "category": None,
            KEEP_BLOCKS: page.number == number,
        }

    return _with_cached_blocks(request, "news/post_list.html", inputs=(number,), build=build)


@require_safe
@cache_for_anonymous
def category_detail(request: HttpRequest, category: str) -> HttpResponse:
    number = page_param(request)

    def build() -> dict[str, Any]:
        current = get_object_or_404(Category, slug=category)
        posts = Post.objects.published().for_lists().filter(category=current)
        page = Paginator(posts, POSTS_PER_PAGE).get_page(number)
        return {
            "page": page,
            "categories": Category.objects.all(),
            "category": current,
            KEEP_BLOCKS: page.number == number,
        }

    return _with_cached_blocks(request, "news/post_list.html", inputs=(number,), build=build)


@require_safe
def post_detail(request: HttpRequest, category: str, slug: str) -> HttpResponse:
    response = _post_page(request, category=category, slug=slug)
    # A page built just now has counted its view already; one from the cache counts it here.
    if not getattr(response, "view_counted", False):
        post_view_record(slug=slug)
    return response


@cache_for_anonymous
def _post_page(request: HttpRequest, *, category: str, slug: str) -> HttpResponse:
    counted = False

    def build() -> dict[str, Any]:
        nonlocal counted
        post = get_object_or_404(
            Post.objects.published().select_related("category", "unit").prefetch_related("photos"),
            slug=slug,
            category__slug=category,
        )
        post.view_count += post_view_record(slug=post.slug)
        counted = True
        related = (
            Post.objects.published()
            .for_lists()
            .filter(category_id=post.category_id)
            .exclude(pk=post.pk)[:4]
        )
        return {"post": post, "related": related}

    response = _with_cached_blocks(request, "news/post_detail.html", build=build)
    response.view_counted = counted  # type: ignore[attr-defined]
    return response


@require_safe
def document_list(request: HttpRequest) -> HttpResponse:
    documents = Document.objects.published().prefetch_related("files")
    form = choice_param(request, "hinh-thuc", DocumentForm.values)
    if form:
        documents = documents.filter(form=form)
    year = year_param(request, "nam")
    if year is not None:
        documents = documents.filter(issued_on__year=year)
    query = text_param(request, "q")
    if query:
        documents = documents.search(query)
    years = Document.objects.published().dates("issued_on", "year", order="DESC")
    return render(
        request,
        "news/document_list.html",
        {
            "page": _page(request, documents, DOCUMENTS_PER_PAGE),
            "forms": DocumentForm.choices,
            "years": [d.year for d in years],
            "selected_form": form,
            "selected_year": str(year or ""),
            "query": query,
        },
    )


@require_safe
@cache_for_anonymous
def album_list(request: HttpRequest) -> HttpResponse:
    albums = Album.objects.published().prefetch_related(
        Prefetch("photos", queryset=AlbumPhoto.objects.order_by("position", "pk"))
    )
    return render(request, "news/album_list.html", {"page": _page(request, albums, 12)})


@require_safe
@cache_for_anonymous
def album_detail(request: HttpRequest, slug: str) -> HttpResponse:
    album = get_object_or_404(
        Album.objects.published().prefetch_related("photos").select_related("unit"), slug=slug
    )
    return render(request, "news/album_detail.html", {"album": album})


@require_safe
@cache_for_anonymous
@reads_scope_paths_once
def about(request: HttpRequest) -> HttpResponse:
    unit = site_unit()
    members: list[OrgUnit] = []
    if unit is not None:
        members = list(
            unit.children().active().exclude(kind=OrgUnitKind.BRANCH).order_by("kind", "name")
        )
    return render(
        request,
        "news/about.html",
        {"unit": unit, "members": members, "figures": headline_figures(unit)},
    )


@require_safe
@cache_for_anonymous
def search(request: HttpRequest) -> HttpResponse:
    """Posts (paged), then the best documents and albums, each group with its count.

    Cached like the other public pages: the same searches come back often, and any change
    to posts, documents or albums empties the cache."""
    query = text_param(request, "q")
    number = page_param(request)

    def build() -> dict[str, Any]:
        context: dict[str, Any] = {"query": query, "page": None}
        if query:
            documents = Document.objects.published().search(query).prefetch_related("files")
            albums = (
                Album.objects.published()
                .search(query)
                .prefetch_related(
                    Prefetch("photos", queryset=AlbumPhoto.objects.order_by("position", "pk"))
                )
            )
            posts = Post.objects.published().for_lists().search(query)
            page = Paginator(posts, SEARCH_PER_PAGE).get_page(number)
            context.update(
                page=page,
                documents=documents[:SEARCH_GROUP_SIZE],
                document_count=documents.count(),
                albums=albums[:SEARCH_GROUP_SIZE],
                album_count=albums.count(),
            )
            context[KEEP_BLOCKS] = page.number == number
        return context

    return _with_cached_blocks(
        request, "news/search.html", inputs=(query, number), build=build, frame={"query": query}
    )


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /tim-kiem/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the hashed static name only exists after collectstatic.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
