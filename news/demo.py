"""Demo news: categories, posts with generated photos, documents and two albums.

Run after the associations demo (units must exist). Each item is looked up by its title or
number first, so a second run creates nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import zlib
from typing import TextIO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont

from associations.models import OrgUnit, OrgUnitKind
from learning.selectors import headline_year_figures
from news.cache import bump_generation
from news.demo_content import ALBUMS, CATEGORIES, DOCUMENTS, POSTS, WORKFLOW_POSTS
from news.models import (
    Album,
    AlbumPhoto,
    Category,
    Document,
    DocumentFile,
    Post,
    PostPhoto,
    PostStatus,
    PostStatusChange,
)

PALETTE = [
    ((11, 79, 138), (245, 166, 35)),
    ((27, 94, 32), (255, 235, 59)),
    ((176, 58, 46), (255, 255, 255)),
    ((74, 20, 140), (255, 193, 7)),
    ((0, 105, 92), (255, 138, 101)),
    ((55, 71, 79), (129, 212, 250)),
]
FONT_PATHS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def demo_photo(seed: int, text: str, *, size: tuple[int, int] = (960, 540)) -> ContentFile:
    """A simple picture: coloured background, a few shapes and a caption line."""
    background, accent = PALETTE[seed % len(PALETTE)]
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    width, height = size
    for step in range(5):
        radius = 40 + ((seed * 37 + step * 53) % 120)
        x = (seed * 131 + step * 211) % width
        y = (seed * 71 + step * 97) % height
        shade = tuple(min(255, c + 25 * (step % 3)) for c in background)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=shade)
    draw.rectangle((0, height - 120, width, height), fill=(0, 0, 0))
    draw.rectangle((40, height - 100, 52, height - 30), fill=accent)
    font = _font(30)
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > width - 110 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    for index, content in enumerate(lines[:2]):
        draw.text((70, height - 102 + index * 38), content, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name=f"demo-{seed}.jpg")


def demo_pdf(title: str) -> ContentFile:
    """A tiny valid one-page PDF naming the document (ASCII only, for any reader)."""
    from khuyenhoc.text import fold

    text = fold(title)[:90].replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 50 780 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    name = fold(title).replace(" ", "-").replace("/", "-")[:60]
    return ContentFile(out.getvalue(), name=f"{name}.pdf")


def _seed(text: str) -> int:
    return zlib.crc32(text.encode())


def load_categories() -> dict[str, Category]:
    categories = {}
    for position, name in enumerate(CATEGORIES):
        category, _created = Category.objects.get_or_create(
            name=name, defaults={"position": position}
        )
        categories[name] = category
    return categories


def demo_figures(unit: OrgUnit) -> dict[str, str]:
    """The figures the demo posts quote, read from the demo's own units and registrations."""
    year, by_kind = headline_year_figures(unit=unit, until_year=timezone.localdate().year)
    kinds = {figures.kind: figures for figures in by_kind}
    units = dict(
        OrgUnit.objects.active()
        .filter(path__startswith=unit.path, depth=unit.depth + 1)
        .order_by()
        .values_list("kind")
        .annotate(total=Count("pk"))
        .values_list("kind", "total")
    )
    branches = (
        OrgUnit.objects.active().filter(path__startswith=unit.path, kind=OrgUnitKind.BRANCH).count()
    )

    def registered(kind: str) -> int:
        return kinds[kind].registered if kind in kinds else 0

    return {
        "year": str(year or ""),
        "this_year": str(timezone.localdate().year),
        "communes": number_format(units.get(OrgUnitKind.COMMUNE, 0), force_grouping=True),
        "committees": number_format(units.get(OrgUnitKind.COMMITTEE, 0), force_grouping=True),
        "branches": number_format(branches, force_grouping=True),
        "family_registered": number_format(registered("family"), force_grouping=True),
        "family_recognised": number_format(
            kinds["family"].recognised if "family" in kinds else 0, force_grouping=True
        ),
        "clan_registered": number_format(registered("clan"), force_grouping=True),
        "community_registered": number_format(registered("community"), force_grouping=True),
    }


def load_posts(categories: dict[str, Category], figures: dict[str, str]) -> int:
    units = {unit.name: unit for unit in OrgUnit.objects.all()}
    now = timezone.localtime()
    created = 0
    for (
        category,
        unit_name,
        days_ago,
        time,
        title,
        lead,
        paragraphs,
        byline,
        featured,
        photos,
    ) in POSTS:
        title = title.format_map(figures)
        lead = lead.format_map(figures)
        paragraphs = [paragraph.format_map(figures) for paragraph in paragraphs]
        if Post.objects.filter(title=title).exists():
            continue
        unit = units.get(unit_name)
        if unit is None:
            continue
        hour, minute = (int(part) for part in time.split(":"))
        published_at = (now - dt.timedelta(days=days_ago)).replace(
            hour=hour, minute=minute, second=0, microsecond=0
        )
        post = Post(
            title=title,
            category=categories[category],
            unit=unit,
            lead=lead,
            body="".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs),
            byline=byline,
            status=PostStatus.PUBLISHED,
            published_at=published_at,
            is_featured=featured,
            cover_caption=photos[0] if photos else "",
            cover_alt=photos[0] if photos else title,
            view_count=(_seed(title) % 900) + 40,
        )
        post.cover.save(f"{post.title[:20]}.jpg", demo_photo(_seed(title), title), save=False)
        post.save()
        for position, caption in enumerate(photos[1:], start=1):
            photo = PostPhoto(post=post, caption=caption, alt=caption, position=position)
            photo.image.save("anh.jpg", demo_photo(_seed(caption), caption), save=False)
            photo.save()
        created += 1
    return created


def load_documents(unit: OrgUnit) -> int:
    created = 0
    for number, form, issuer, issued, effective, summary in DOCUMENTS:
        if Document.objects.filter(number=number).exists():
            continue
        document = Document.objects.create(
            number=number,
            form=form,
            issuer=issuer,
            issued_on=dt.date.fromisoformat(issued),
            effective_on=dt.date.fromisoformat(effective) if effective else None,
            summary=summary,
            unit=unit,
        )
        attachment = DocumentFile(document=document, title=f"{number} (bản PDF)")
        attachment.file.save("van-ban.pdf", demo_pdf(f"{number} {summary}"), save=False)
        attachment.save()
        created += 1
    return created


def load_albums(units: dict[str, OrgUnit], figures: dict[str, str]) -> int:
    created = 0
    for offset, (title, unit_name, description, captions, public) in enumerate(ALBUMS):
        title = title.format_map(figures)
        if Album.objects.filter(title=title).exists() or unit_name not in units:
            continue
        album = Album.objects.create(
            title=title,
            unit=units[unit_name],
            description=description,
            taken_on=timezone.localdate() - dt.timedelta(days=3 + offset * 30),
            is_published=public,
        )
        for position, caption in enumerate(captions):
            photo = AlbumPhoto(album=album, caption=caption, alt=caption, position=position)
            photo.image.save(
                "anh.jpg",
                demo_photo(_seed(title) + position, caption, size=(800, 600)),
                save=False,
            )
            photo.save()
        created += 1
    return created


def load_workflow_posts(categories: dict[str, Category]) -> int:
    """A draft, a post waiting for review, a returned one and a scheduled one."""
    units = {unit.name: unit for unit in OrgUnit.objects.all()}
    editor = get_user_model().objects.filter(username="bientap").first()
    created = 0
    for state, unit_name, category, days, title, lead, paragraphs, reason in WORKFLOW_POSTS:
        if Post.objects.filter(title=title).exists() or unit_name not in units:
            continue
        at = timezone.localtime() + dt.timedelta(days=days)
        post = Post.objects.create(
            title=title,
            category=categories[category],
            unit=units[unit_name],
            lead=lead,
            body="".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs),
            status={
                "submitted": PostStatus.SUBMITTED,
                "scheduled": PostStatus.PUBLISHED,
            }.get(state, PostStatus.DRAFT),
            published_at=at.replace(hour=7, minute=0, second=0, microsecond=0)
            if state == "scheduled"
            else None,
            created_by=editor if state in ("draft", "scheduled") else None,
        )
        steps = {
            "submitted": [(PostStatus.DRAFT, PostStatus.SUBMITTED, None, "")],
            "returned": [
                (PostStatus.DRAFT, PostStatus.SUBMITTED, None, ""),
                (PostStatus.SUBMITTED, PostStatus.DRAFT, editor, reason),
            ],
            "scheduled": [(PostStatus.DRAFT, PostStatus.PUBLISHED, editor, "")],
        }.get(state, [])
        for from_status, to_status, by, note in steps:
            PostStatusChange.objects.create(
                post=post, from_status=from_status, to_status=to_status, by=by, note=note
            )
        created += 1
    return created


@transaction.atomic
def load_demo(*, stdout: TextIO) -> None:
    units = {unit.name: unit for unit in OrgUnit.objects.all()}
    main_unit = (
        units.get("Hội Khuyến học thị xã Nghĩa Lộ") or OrgUnit.objects.get_root_nodes().first()
    )
    if main_unit is None:
        stdout.write("Tin tức: chưa có đơn vị Hội, bỏ qua.\n")
        return
    categories = load_categories()
    figures = demo_figures(main_unit)
    posts = load_posts(categories, figures) + load_workflow_posts(categories)
    documents = load_documents(main_unit)
    albums = load_albums(units, figures)
    bump_generation()
    stdout.write(
        f"Tin tức: thêm {posts} tin, {documents} văn bản, {albums} album "
        f"(hiện có {Post.objects.count()} tin).\n"
    )
