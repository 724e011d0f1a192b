"""Hostile query strings and form posts at every public page, the search and every staff page.

The pages are found from the URL resolver: every public pattern (outside the admin and the
staff namespaces) and every pattern under settings.STAFF_URL_NAMESPACES, so a page added
later is covered; a pattern whose arguments the samples cannot fill fails with a note.
Query strings carry the parameters the views read and made-up ones, with values that are
huge or negative numbers, decomposed or invisible Unicode, NUL, unpaired surrogates and bytes
that are not UTF-8 at all. Staff pages are opened as every persona of tests/conftest.py.
The answer is a page, a redirect, a refusal or "not found"; never a server error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from associations.models import OrgUnit
from awards.models import Proposal, RecipientImportJob, RecipientKind
from news.models import Album
from reports.models import FormVersion, PeriodKind
from tests.awards.conftest import add_recipients, make_award
from tests.conftest import client_for
from tests.factories import make_staff
from tests.hostile_values import (
    FIXTURES_KEPT,
    dates,
    ids,
    is_vietnamese,
    numbers,
    query_string,
    raw_query_values,
    rolled_back,
    typed_text,
)
from tests.news.helpers import make_category, make_post
from tests.reports.conftest import make_period

pytestmark = pytest.mark.django_db

STAFF = set(django_settings.STAFF_URL_NAMESPACES)
# What the views read from the query string, and a few they might one day.
PARAMS = [
    "q",
    "trang",
    "page",
    "nam",
    "ky",
    "mo_hinh",
    "gom_chua_duyet",
    "sap_xep",
    "don_vi",
    "hinh-thuc",
    "loc",
    "gom",
    "import_job",
    "the-loai",
    "next",
    "format",
]
OK = {200, 301, 302, 400, 403, 404, 405}
# A report posted with a stale or unreadable version number is a conflict, shown with its form.
POSTED_OK = OK | {409}
FORM_ENCODED = "application/x-www-form-urlencoded"
PERSONAS = [
    "province_leader",
    "district_staff",
    "commune_a_staff",
    "commune_b_staff",
    "news_editor",
    "anonymous",
]
# Pages that draw a PDF or a Word file take a second each: fewer examples there.
SLOW = ("pdf", "docx", "certificates", "certificate_grid")


def _patterns(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace == "admin":
                continue
            found += _patterns(entry, inner)
        elif entry.name:
            found.append((f"{namespace}{entry.name}", entry))
    return found


ALL = _patterns(get_resolver())
STAFF_PAGES = sorted(name for name, _p in ALL if name.split(":")[0] in STAFF)
PUBLIC_PAGES = sorted(
    name
    for name, _p in ALL
    if name.split(":")[0] not in STAFF
    and not name.startswith(("admin", "password_reset"))
    and name not in {"admin_password_reset", "scoped_view_on_site"}
)


@pytest.fixture(autouse=True)
def _quiet(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False


@pytest.fixture
def objects(tree, personas) -> dict[str, Any]:
    """The records the URL patterns name, in the district's subtree."""
    category = make_category()
    post = make_post(tree.district, "Hội nghị tổng kết năm học", category=category)
    album = Album.objects.create(title="Lễ khai giảng năm học mới", unit=tree.district)
    published = make_award(tree.district, "09", issued=True, public=True)
    add_recipients(published, RecipientKind.INDIVIDUAL, 2, amount=100_000)
    draft = make_award(tree.district, "10")
    add_recipients(draft, RecipientKind.INDIVIDUAL, 1)
    proposal = Proposal.objects.create(
        from_unit=tree.commune_a,
        to_unit=tree.district,
        date=dt.date(2024, 12, 1),
        form="merit",
        occasion="tổng kết năm 2024",
        created_by=personas.commune_a_staff,
    )
    job = RecipientImportJob.objects.create(
        award=draft,
        unit=tree.district,
        created_by=personas.district_staff,
        original_name="danh-sach.xlsx",
        errors=[{"row": 2, "message": "Tên “\u202e” không hợp lệ.", "values": ["\x1b"]}],
        error_rows=1,
    )
    period = make_period(2025, PeriodKind.HALF_YEAR)
    # What a form accepts and a worksheet cannot hold: control characters, as pasted.
    add_recipients(draft, RecipientKind.INDIVIDUAL, 1, name="Nguyễn\x1bVăn\x0bAn")
    OrgUnit.objects.filter(pk=tree.commune_b.pk).update(name="Hội Khuyến học xã Hai\x01")
    return {
        "category": category.slug,
        "post_slug": post.slug,
        "album_slug": album.slug,
        "award_id": published.pk,
        "draft_award_id": draft.pk,
        "proposal_id": proposal.pk,
        "job_id": job.pk,
        "period_id": period.pk,
        "unit_id": tree.commune_a.pk,
        "form": "merit",
        "name": "hoc-tap",
    }


def _kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any]:
    pattern = dict(ALL)[name]
    wanted = list(pattern.pattern.converters)
    values = dict(objects)
    if name == "news:post":
        values["slug"] = objects["post_slug"]
    if name == "news:album":
        values["slug"] = objects["album_slug"]
    if (name.startswith("awards_staff:") and "job_id" in wanted) or "import" in name:
        values["award_id"] = objects["draft_award_id"]
    missing = [arg for arg in wanted if arg not in values]
    assert not missing, f"add sample values for {missing} of {name} to the objects fixture"
    return {arg: values[arg] for arg in wanted}


def _url(name: str, objects: dict[str, Any]) -> str:
    if name == "dashboards:chart":
        from dashboards.charts import CHARTS

        return reverse(name, kwargs={"unit_id": objects["unit_id"], "name": next(iter(CHARTS))})
    return reverse(name, kwargs=_kwargs(name, objects))


def _queries() -> st.SearchStrategy[str]:
    names = st.sampled_from(PARAMS) | typed_text().filter(lambda t: "\x00" not in t)
    return st.lists(st.tuples(names, raw_query_values()), min_size=1, max_size=5).map(query_string)


def _form_errors_are_vietnamese(response) -> None:
    for context in response.context or []:
        form = context.get("form") if hasattr(context, "get") else None
        errors = getattr(form, "errors", None)
        if errors:
            messages = [str(m) for field in errors.values() for m in field]
            assert all(is_vietnamese(m) for m in messages), messages


def _get(client, url: str, query: str):
    response = client.get(url, QUERY_STRING=query)
    assert response.status_code in OK, (url, query, response.status_code)
    if response.status_code == 200 and response.context is not None:
        _form_errors_are_vietnamese(response)
    return response


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_a_public_page_answers_any_query_string(name, objects, client):
    url = _url(name, objects) if name != "news:search" else reverse(name)
    examples = 5 if name.startswith("news:") and name.endswith(("feed", "robots")) else 20

    @settings(deadline=None, max_examples=examples, suppress_health_check=FIXTURES_KEPT)
    @given(query=_queries())
    @example(query="q=%ED%A0%80&trang=%00")
    @example(query="nam=%C2%B2&don_vi=1e1000000&trang=-1")
    def check(query):
        _get(client, url, query)

    check()


@settings(deadline=None, max_examples=100, suppress_health_check=FIXTURES_KEPT)
@given(
    words=st.lists(
        st.one_of(raw_query_values(), typed_text().map(lambda t: t.encode("utf-8"))),
        min_size=1,
        max_size=3,
    ),
    page=raw_query_values(),
)
@example(words=[b"\xed\xa0\x80"], page=b"1")
@example(words=["nguye\u0302\u0303n".encode()], page=b"99999999999999999999")
@example(words=[b"\x00", "\u200b\u202e".encode()], page=b"-1")
def test_the_search_answers_any_words(objects, client, words, page):
    query = query_string([("q", b" ".join(words)), ("trang", page)])
    response = _get(client, reverse("news:search"), query)
    assert response.status_code == 200


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_a_staff_page_answers_any_query_string_for_every_persona(name, objects, personas):
    url = _url(name, objects)
    clients = {p: client_for(getattr(personas, p)) for p in PERSONAS}

    @settings(
        deadline=None,
        max_examples=3 if name.endswith(SLOW) else 20,
        suppress_health_check=FIXTURES_KEPT,
    )
    @given(persona=st.sampled_from(PERSONAS), query=_queries())
    @example(persona="district_staff", query="nam=%C2%B2&ky=%ED%A0%80&don_vi=99999999999999999999")
    def check(persona, query):
        with rolled_back():
            _get(clients[persona], url, query)

    check()


def _post_fields(objects: dict[str, Any]) -> dict[str, st.SearchStrategy[Any]]:
    form = FormVersion.objects.for_year(2025)
    indicators = {i.code: numbers() if i.is_number else typed_text() for i in form.indicators.all()}
    return {
        **indicators,
        "version": numbers(),
        "comment": typed_text(),
        "reason": typed_text(),
        "step": st.sampled_from(["confirm", "save", "submit", ""]) | typed_text(),
        "action": st.sampled_from(["save", "submit", ""]) | typed_text(),
        "number": numbers(),
        "symbol": typed_text(),
        "date": dates(),
        "place": typed_text(),
        "signer_name": typed_text(),
        "signer_title": typed_text(),
        "grounds": typed_text(),
        "proposals": st.lists(ids() | st.just(str(objects["proposal_id"])), max_size=3),
        "unit": ids(),
    }


@pytest.mark.parametrize("name", [n for n in STAFF_PAGES if not n.endswith(SLOW)])
def test_a_staff_page_answers_any_posted_form(name, objects, personas, tree):
    url = _url(name, objects)
    unit_admin = make_staff("quantri_huyen_thu", tree.district, is_unit_admin=True)
    writers = {
        "district_staff": client_for(personas.district_staff),
        "district_admin": client_for(unit_admin),
        "commune_a_staff": client_for(personas.commune_a_staff),
        "province_leader": client_for(personas.province_leader),
    }
    fields = _post_fields(objects)

    # A form as a browser sends it, or the raw body of a client that sends bytes that are
    # not UTF-8 (unpaired surrogates included).
    raw_body = st.lists(
        st.tuples(st.sampled_from(sorted(fields)), raw_query_values()), min_size=1, max_size=5
    ).map(query_string)

    @settings(deadline=None, max_examples=15, suppress_health_check=FIXTURES_KEPT)
    @given(
        writer=st.sampled_from(sorted(writers)),
        data=st.fixed_dictionaries({}, optional=fields) | raw_body,
    )
    def check(writer, data):
        with rolled_back():
            if isinstance(data, str):
                response = writers[writer].post(url, data, content_type=FORM_ENCODED)
            else:
                response = writers[writer].post(url, data)
            assert response.status_code in POSTED_OK, (url, data, response.status_code)
            if response.status_code in (200, 400, 409) and response.context is not None:
                _form_errors_are_vietnamese(response)

    check()


@pytest.mark.parametrize(
    ("name", "field_names"),
    [
        ("admin:login", ["username", "password", "next"]),
        ("admin_password_reset", ["email"]),
    ],
)
def test_the_login_and_password_reset_forms_answer_any_input(name, field_names, personas):
    url = reverse(name)

    @settings(deadline=None, max_examples=25, suppress_health_check=FIXTURES_KEPT)
    @given(
        data=st.fixed_dictionaries({}, optional=dict.fromkeys(field_names, typed_text()))
        | st.lists(
            st.tuples(st.sampled_from(field_names), raw_query_values()), min_size=1, max_size=3
        ).map(query_string)
    )
    @example(data="username=%ED%A0%80&password=%00")
    def check(data):
        with rolled_back():
            client = Client()
            if isinstance(data, str):
                response = client.post(url, data, content_type=FORM_ENCODED)
            else:
                response = client.post(url, data)
            assert response.status_code in OK, (data, response.status_code)
            if response.status_code == 200 and response.context is not None:
                _form_errors_are_vietnamese(response)

    check()
