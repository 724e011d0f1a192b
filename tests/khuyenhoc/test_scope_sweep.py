"""The scope sweep: commune A's staff try every admin page and staff page on commune B's records.

Nothing here names a model or a page. The admin pages come from the admin registry
(`admin.site._registry` and each ModelAdmin's `get_urls`), the staff pages from the URL
namespaces in `settings.STAFF_URL_NAMESPACES`, and the records to attack from the builders
in tests/unit_objects.py, one per model. A model or page added later is swept as it is;
a model without a builder, or a URL argument the sweep cannot fill, fails the sweep until
its author says how to build it.

Commune A's staff member holds every role, so what stops them is the scope and not a
missing permission. They must get 403 or 404 for B's records on the change, delete and
history pages and on every custom page naming one (import jobs, preview, print, export,
documents); B's records must be absent from every list, search, filtered list, export and
page they can open; and a form, import, action or report that names B (in a URL, a field
or a query) must create or change nothing of B's. Every page must answer without a 500.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.forms import FileField, ModelChoiceField, ModelMultipleChoiceField
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from openpyxl import load_workbook

from associations.models import OrgUnit, StaffAssignment
from associations.scoping import is_scoped_model, scope_queryset
from associations.staff_views import UNIT_KWARG, url_objects_of
from awards.models import AwardForm
from dashboards import charts
from learning.models import Assessment, ImportJob, LearningModelKind, Registration
from tests.conftest import client_for
from tests.learning.conftest import row, upload, xlsx
from tests.unit_objects import BUILDERS, SHARED, UnitObjects, shared_criteria, shared_period

User = get_user_model()

OURS = "XAMOT5520"  # in the text of commune A's records
THEIRS = "XAHAI7731"  # in the text of commune B's records: never on a page A's staff read

REFUSED = {403, 404}
# Django's stock admin routes, matched by their pattern; everything else a ModelAdmin adds
# (import, export, preview, password, tree moves) is one of its custom pages.
STOCK_ROUTES = {"", "add/", "<path:object_id>/history/", "<path:object_id>/delete/"}
STOCK_ROUTES |= {"<path:object_id>/change/", "<path:object_id>/"}

# URL arguments of admin custom pages, beyond the ModelAdmin's own object.
ADMIN_URL_OBJECTS: dict[str, type[Model]] = {"job_id": ImportJob}
OWN_OBJECT_KWARGS = {"object_id", "id", "parent_id"}

# POST fields a crafted request might use to name another unit (tree moves, filters, pickers).
FIELDS_NAMING_A_UNIT = ("unit", "unit_id", "don_vi", "node", "target", "parent", "parent_id")


def shared_url_values() -> dict[str, Any]:
    """Staff URL arguments that name no unit's record: the same for every unit."""
    return {
        "period_id": shared_period().pk,
        "form": AwardForm.MERIT.value,
        "name": next(iter(charts.CHARTS)),
    }


def learning_import_upload(objects: UnitObjects) -> Any:
    name = f"Hộ {objects.marker} nhập"
    return upload(xlsx([row("Gia đình học tập", 2025, objects.unit.name, name)]))


# For each admin import page, a file whose rows are in the given unit's name, and the job
# the upload makes.
IMPORT_UPLOADS = {"learning_registration_import": (learning_import_upload, ImportJob)}


@dataclass
class Sweep:
    client: Client
    user: Any
    ours: UnitObjects
    theirs: UnitObjects
    urls: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    routes: set[str] = field(default_factory=set)

    def request(
        self, method: str, url: str, data: Any = None, *, echoes_b: bool = False, **extra: Any
    ) -> Any:
        """One request; `echoes_b` when A typed B's name themselves and may read it back."""
        path = url.split("?")[0]
        self.urls.add(path)
        self.routes.add(resolve(path).route)
        send = self.client.post if method == "POST" else self.client.get
        response = send(url, data, **extra) if data is not None else send(url, **extra)
        if response.status_code >= 500:
            self.problems.append(f"{method} {url}: {response.status_code}")
            return response
        text = readable(response)
        if THEIRS in text:
            self.problems.append(f"{method} {url}: commune B's record shown")
        if self.theirs.unit.name in text and not echoes_b:
            self.problems.append(f"{method} {url}: commune B named")
        if f">{self.theirs.user.username}<" in text or f"“{self.theirs.user.username}”" in text:
            self.problems.append(f"{method} {url}: commune B's account named")
        return response

    def expect_refused(
        self, url: str, own_url: str, methods: tuple[str, ...] = ("GET", "POST")
    ) -> None:
        # The same page on A's own records opens (or acts, or is a permission's 403): so the
        # refusal below comes from the scope, not from a URL the sweep built wrong.
        own = self.request("GET", own_url)
        if own.status_code == 405:
            own = self.request("POST", own_url)
        if own.status_code not in {200, 302, 403}:
            self.problems.append(f"{own_url}: {own.status_code} on commune A's own record")
        statuses = {m: self.request(m, url, {} if m == "POST" else None) for m in methods}
        codes = {m: r.status_code for m, r in statuses.items()}
        # A method the page does not take is refused before anything is looked up: fine,
        # as long as a method it takes reaches the scope check and is refused there.
        reached = [c for c in codes.values() if c != 405]
        if not reached or any(c not in REFUSED for c in reached):
            self.problems.append(f"{url}: {codes}, expected 403 or 404")

    def expect_no_record_of_theirs(self, url: str, response: Any, model: type[Model]) -> None:
        changelist = getattr(response, "context", None) and response.context.get("cl")
        if changelist is not None and response.status_code == 200:
            theirs = self.theirs.get(model).pk
            if theirs in {obj.pk for obj in changelist.result_list}:
                self.problems.append(f"{url}: commune B's {model._meta.label} listed")


def readable(response: Any) -> str:
    """The text of a response, whatever its format (page, JSON, Excel, Word or PDF)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.streaming:
        response.content = content  # the caller may read it again
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(
            str(value)
            for sheet in book.worksheets
            for values in sheet.iter_rows(values_only=True)
            for value in values
            if value is not None
        )
    if "wordprocessingml" in kind:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(archive.read(n).decode() for n in archive.namelist() if "xml" in n)
    if "pdf" in kind:
        done = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True)
        return done.stdout.decode(errors="replace")
    text = content.decode(errors="replace")
    if "json" in kind:
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


# --- what commune B owns, before and after -----------------------------------------------


def snapshot(theirs: UnitObjects, staff_b: Any) -> dict[str, list[dict[str, Any]]]:
    """Every row of every unit-owned model inside commune B's subtree, field by field."""
    state = {}
    for model in BUILDERS:
        if model is User:
            rows = User.objects.filter(assignment__unit=theirs.unit)
        else:
            rows = scope_queryset(model._default_manager.all(), staff_b)
        state[model._meta.label] = sorted(
            (
                {k: str(v) for k, v in model_to_dict(obj).items() if k != "last_login"}
                for obj in rows
            ),
            key=lambda values: values.get("id", ""),
        )
    return state


# --- the registries ----------------------------------------------------------------------


def staff_patterns(with_routes: bool = False) -> Iterator[Any]:
    """(namespace, pattern) of every URL under the staff namespaces (and its full route)."""
    namespaces = set(settings.STAFF_URL_NAMESPACES)

    def walk(entries: Any, namespace: str | None, prefix: str) -> Iterator[Any]:
        for entry in entries:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = entry.namespace if entry.namespace in namespaces else namespace
                yield from walk(entry.url_patterns, inner, route)
            elif namespace is not None:
                yield (namespace, entry, route) if with_routes else (namespace, entry)

    yield from walk(get_resolver().url_patterns, None, "")


def routes_to_sweep() -> set[str]:
    """Every admin and staff route the registries name; object pages of shared models aside
    (their records belong to no unit, so there is no other unit's record to try)."""
    routes = {route for _namespace, _pattern, route in staff_patterns(with_routes=True)}
    site_pages = [reverse("admin:index"), reverse("scoped_view_on_site", args=[1, 1])]
    if autocomplete_fields():
        site_pages.append(reverse("admin:autocomplete"))
    routes |= {resolve(page).route for page in site_pages}
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        for pattern in model_admin.get_urls():
            if model in BUILDERS or not pattern.pattern.converters:
                routes.add(prefix + str(pattern.pattern))
    return routes


def custom_admin_patterns(model_admin: Any) -> list[URLPattern]:
    return [
        p
        for p in model_admin.get_urls()
        if isinstance(p, URLPattern) and str(p.pattern) not in STOCK_ROUTES
    ]


def fill_route(route: str, values: dict[str, Any]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def models_needing_a_builder() -> set[type[Model]]:
    needed = set(admin.site._registry)
    needed |= {m for m in apps.get_models() if is_scoped_model(m)}
    for _namespace, pattern in staff_patterns():
        needed |= set(url_objects_of(pattern.callback).values())
    needed |= set(ADMIN_URL_OBJECTS.values())
    return needed


def test_every_model_has_a_builder_or_belongs_to_no_unit():
    missing = {m._meta.label for m in models_needing_a_builder() - set(BUILDERS)} - SHARED
    scoped_but_shared = {m._meta.label for m in apps.get_models() if is_scoped_model(m)} & SHARED

    assert not missing, f"add a builder to tests/unit_objects.py for: {sorted(missing)}"
    assert not scoped_but_shared


def test_every_url_argument_and_import_page_is_known(db):
    unknown = []
    for namespace, pattern in staff_patterns():
        fillable = {UNIT_KWARG, *shared_url_values(), *url_objects_of(pattern.callback)}
        unknown += [f"{namespace}:{pattern.name} <{k}>" for k in pattern.pattern.converters]
        unknown = [entry for entry in unknown if entry.split("<")[1][:-1] not in fillable]
    imports = []
    for model, model_admin in admin.site._registry.items():
        own = OWN_OBJECT_KWARGS if model in BUILDERS else set()
        for pattern in custom_admin_patterns(model_admin):
            arguments = set(pattern.pattern.converters) - own - set(ADMIN_URL_OBJECTS)
            unknown += [f"admin:{pattern.name} <{k}>" for k in arguments]
            if (pattern.name or "").endswith("_import") and not pattern.pattern.converters:
                imports.append(pattern.name)

    assert not unknown, f"say in test_scope_sweep.py how to fill these URL arguments: {unknown}"
    assert imports, "the admin's import pages are found"
    assert set(imports) <= set(IMPORT_UPLOADS), f"add an upload to IMPORT_UPLOADS for {imports}"


# --- the sweep ---------------------------------------------------------------------------


@pytest.fixture
def sweep(tree, personas, settings, tmp_path) -> Sweep:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.AXES_ENABLED = False
    # Every role at once: whatever stops them below is the scope, not a missing permission.
    StaffAssignment.objects.filter(user=personas.commune_a_staff).update(
        is_unit_admin=True, is_data_entry=True, is_editor=True, is_leader=True
    )
    ours = UnitObjects(tree.commune_a, OURS)
    theirs = UnitObjects(tree.commune_b, THEIRS)
    for model in BUILDERS:
        ours.get(model)
        theirs.get(model)
    client = client_for(personas.commune_a_staff)
    client.raise_request_exception = False
    return Sweep(client=client, user=personas.commune_a_staff, ours=ours, theirs=theirs)


def sweep_admin_lists(sweep: Sweep, model: type[Model], model_admin: Any) -> None:
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    queries = ["", f"?q={THEIRS[:-1]}"]
    if model in BUILDERS:
        theirs = sweep.theirs.get(model)
        queries.append(f"?pk={theirs.pk}")
        for field_ in model._meta.concrete_fields:
            if field_.is_relation and field_.related_model in BUILDERS:
                their_related = sweep.theirs.get(field_.related_model).pk
                queries.append(f"?{field_.name}__id__exact={their_related}")
    for query in queries:
        response = sweep.request("GET", changelist + query)
        if response.status_code not in {200, 302, 403}:
            sweep.problems.append(f"{changelist}{query}: {response.status_code}")
        if model in BUILDERS:
            sweep.expect_no_record_of_theirs(changelist + query, response, model)
    # An action run on B's record, named by hand: the list's queryset must not reach it.
    request = RequestFactory().get(changelist)
    request.user = sweep.user
    for action in model_admin.get_actions(request):
        if model in BUILDERS:
            data = {"action": action, "_selected_action": [sweep.theirs.get(model).pk]}
            sweep.request("POST", changelist, {**data, "index": 0, "post": "yes"})


def sweep_admin_object_pages(sweep: Sweep, model: type[Model], model_admin: Any) -> None:
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    theirs = sweep.theirs.get(model)
    ours = sweep.ours.get(model)
    for page in ("change", "delete", "history"):
        sweep.expect_refused(
            reverse(f"{info}_{page}", args=[theirs.pk]), reverse(f"{info}_{page}", args=[ours.pk])
        )
    # The admin's short address of a record redirects to its change page, which is refused.
    short = reverse(f"{info}_change", args=[theirs.pk]).removesuffix("change/")
    if sweep.request("GET", short, follow=True).status_code not in REFUSED:
        sweep.problems.append(f"{short}: B's record opened through the short address")
    base = reverse(f"{info}_changelist")
    for pattern in custom_admin_patterns(model_admin):
        arguments = set(pattern.pattern.converters)
        if not arguments:
            continue
        # Each argument in turn names B's record while the others name A's.
        for target in arguments:
            values, own = {}, {}
            for name in arguments:
                side = sweep.theirs if name == target else sweep.ours
                values[name] = side.get(ADMIN_URL_OBJECTS.get(name, model)).pk
                own[name] = sweep.ours.get(ADMIN_URL_OBJECTS.get(name, model)).pk
            route = str(pattern.pattern)
            sweep.expect_refused(base + fill_route(route, values), base + fill_route(route, own))


def sweep_admin_plain_pages(sweep: Sweep, model: type[Model], model_admin: Any) -> None:
    """Custom pages without an argument (import, template, export): B named in the query."""
    base = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    naming_b = dict.fromkeys(FIELDS_NAMING_A_UNIT, sweep.theirs.unit.pk)
    for pattern in custom_admin_patterns(model_admin):
        if pattern.pattern.converters:
            continue
        url = base + str(pattern.pattern)
        sweep.request("GET", url)
        sweep.request("GET", url + "?" + "&".join(f"{k}={v}" for k, v in naming_b.items()))
        if model in BUILDERS:
            for field_ in model._meta.concrete_fields:
                if field_.is_relation and field_.related_model in BUILDERS:
                    their_related = sweep.theirs.get(field_.related_model).pk
                    sweep.request("GET", f"{url}?{field_.name}__id__exact={their_related}")
        if pattern.name in IMPORT_UPLOADS:
            sweep_import(sweep, url, pattern.name)
        else:
            sweep.request("POST", url, body_naming_theirs(sweep))


def sweep_import(sweep: Sweep, url: str, name: str) -> None:
    """Upload rows in B's name, then try to write them: refused row by row, nothing written.

    The same file in A's own name first passes the check, so the refusal is the scope's.
    """
    make_upload, job_model = IMPORT_UPLOADS[name]
    for side in (sweep.ours, sweep.theirs):
        known = set(job_model.objects.values_list("pk", flat=True))
        # The row error quotes the unit as typed, the same for a unit that does not exist.
        file = make_upload(side)
        response = sweep.request("POST", url, {"file": file}, follow=True, echoes_b=True)
        if response.status_code != 200:
            sweep.problems.append(f"{url}: the upload answered {response.status_code}")
        for job in job_model.objects.exclude(pk__in=known):
            if side is sweep.ours and job.errors:
                sweep.problems.append(f"{url}: A's own rows refused: {job.errors}")
            if side is sweep.theirs:
                for page in ("confirm", "retry"):
                    sweep.request("POST", f"{url}{job.pk}/{page}/")
                job.refresh_from_db()
                if job.created_rows or not job.errors:
                    sweep.problems.append(f"{url}: rows in B's name were not refused")


def form_data_naming_theirs(sweep: Sweep, form: Any, instance: Model) -> tuple[dict, set[str]]:
    """The form filled from A's record, with every choice of a unit-owned record set to B's."""
    data: dict[str, Any] = {}
    substituted = set()
    for name, form_field in form.fields.items():
        queryset_model = getattr(getattr(form_field, "queryset", None), "model", None)
        if form_field.disabled:
            continue  # the form keeps its own value whatever is sent
        if queryset_model in BUILDERS:
            theirs = sweep.theirs.get(queryset_model).pk
            many = isinstance(form_field, ModelMultipleChoiceField)
            data[name] = [theirs] if many else theirs
            substituted.add(name)
        elif name == "treebeard_ref_node":  # the tree's own form: the new node's place
            data[name] = sweep.theirs.unit.pk
            data["treebeard_position"] = "sorted-child"
            substituted.add(name)
        elif name not in data and not isinstance(form_field, FileField):
            value = form[name].value()
            if not isinstance(form_field, ModelChoiceField) and hasattr(instance, name):
                value = form_field.prepare_value(getattr(instance, name))
            if value is not None:
                data[name] = value
    return data, substituted


def with_empty_inlines(response: Any, data: dict[str, Any]) -> dict[str, Any]:
    for inline in response.context.get("inline_admin_formsets") or []:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data


def sweep_admin_forms(sweep: Sweep, model: type[Model]) -> None:
    """Add a record in B's name, and move A's own record to B: both refused, nothing saved."""
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    ours = sweep.ours.get(model)
    for url in (reverse(f"{info}_add"), reverse(f"{info}_change", args=[ours.pk])):
        page = sweep.request("GET", url)
        if page.status_code != 200 or "adminform" not in page.context:
            if page.status_code not in {302, 403}:
                sweep.problems.append(f"GET {url}: {page.status_code}")
            sweep.request("POST", url, {})
            continue
        form = page.context["adminform"].form
        data, substituted = form_data_naming_theirs(sweep, form, ours)
        if not substituted:
            continue  # nothing on this form names a unit's record
        before = model._default_manager.count()
        response = sweep.request("POST", url, with_empty_inlines(page, data))
        if response.status_code == 403:
            continue
        errors = set()
        if response.status_code == 200 and "adminform" in (response.context or {}):
            errors = set(response.context["adminform"].form.errors)
        if response.status_code != 200 or not errors & substituted:
            sweep.problems.append(f"POST {url} naming B: {response.status_code}, errors {errors}")
        if model._default_manager.count() != before:
            sweep.problems.append(f"POST {url} naming B created a {model._meta.label}")


def autocomplete_fields() -> set[tuple[type[Model], str]]:
    """(model, field) of every relation the admin's forms and inlines pick by typing."""
    fields = set()
    for model, model_admin in admin.site._registry.items():
        fields |= {(model, name) for name in model_admin.autocomplete_fields}
        for inline in model_admin.inlines:
            fields |= {(inline.model, name) for name in inline.autocomplete_fields}
    return fields


def sweep_admin_site(sweep: Sweep) -> None:
    """The admin's own pages: its index, the type-to-pick answers and "view on site"."""
    sweep.request("GET", reverse("admin:index"))
    terms = ["", THEIRS[:-1], sweep.theirs.unit.name.split()[-1]]
    for model, name in sorted(autocomplete_fields(), key=str):
        for term in terms:
            query = urlencode(
                {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": name,
                    "term": term,
                }
            )
            response = sweep.request("GET", f"{reverse('admin:autocomplete')}?{query}")
            if response.status_code != 200:
                sweep.problems.append(f"autocomplete {model._meta.label}.{name}: {response}")
    for model, theirs in sweep.theirs.built.items():
        if not hasattr(model, "get_absolute_url"):
            continue  # no page on the site: "view on site" is a 404 for anyone's record
        content_type = ContentType.objects.get_for_model(model)
        ours = sweep.ours.get(model)
        sweep.expect_refused(
            reverse("scoped_view_on_site", args=[content_type.pk, theirs.pk]),
            reverse("scoped_view_on_site", args=[content_type.pk, ours.pk]),
            methods=("GET",),
        )


def body_naming_theirs(sweep: Sweep) -> dict[str, Any]:
    """A POST naming B's unit under the usual field names, and each of B's records under its
    model's name (a proposal as "proposal" and "proposals", ...)."""
    body: dict[str, Any] = dict.fromkeys(FIELDS_NAMING_A_UNIT, sweep.theirs.unit.pk)
    for model, theirs in sweep.theirs.built.items():
        body.setdefault(model._meta.model_name, theirs.pk)
        body.setdefault(f"{model._meta.model_name}s", [theirs.pk])
    return body


def sweep_staff_pages(sweep: Sweep) -> None:
    shared = shared_url_values()
    naming_b = "&".join(f"{k}={sweep.theirs.unit.pk}" for k in FIELDS_NAMING_A_UNIT)
    for namespace, pattern in staff_patterns():
        objects = {UNIT_KWARG: OrgUnit, **url_objects_of(pattern.callback)}
        arguments = list(pattern.pattern.converters)
        name = f"{namespace}:{pattern.name}"
        naming_objects = [a for a in arguments if a in objects]
        if not naming_objects:
            url = reverse(name, kwargs={a: shared[a] for a in arguments})
            sweep.request("GET", f"{url}?{naming_b}")
            sweep.request("POST", url, body_naming_theirs(sweep))
            continue
        for target in naming_objects:
            values, own = {}, {}
            for argument in arguments:
                if argument in objects:
                    side = sweep.theirs if argument == target else sweep.ours
                    values[argument] = side.get(objects[argument]).pk
                    own[argument] = sweep.ours.get(objects[argument]).pk
                else:
                    values[argument] = own[argument] = shared[argument]
            sweep.expect_refused(reverse(name, kwargs=values), reverse(name, kwargs=own))


def test_commune_a_reaches_nothing_of_commune_b(sweep, personas, capsys):
    before = snapshot(sweep.theirs, personas.commune_b_staff)
    registered = list(admin.site._registry.items())

    for model, model_admin in registered:
        sweep_admin_lists(sweep, model, model_admin)
        sweep_admin_plain_pages(sweep, model, model_admin)
        if model in BUILDERS:
            sweep_admin_object_pages(sweep, model, model_admin)
            sweep_admin_forms(sweep, model)
        else:
            info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            sweep.request("GET", reverse(f"{info}_add"))
    sweep_admin_site(sweep)
    sweep_staff_pages(sweep)

    after = snapshot(sweep.theirs, personas.commune_b_staff)
    objects = len(sweep.theirs.built)
    with capsys.disabled():
        print(f"\nQuét phạm vi: {len(sweep.urls)} URL, {objects} đối tượng")
    assert not sweep.problems, "\n".join(sweep.problems)
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"commune B's records changed: {changed}"
    # Every route the registries name was tried, and one record of every builder attacked.
    assert sweep.routes == routes_to_sweep()
    assert len(sweep.urls) >= len(sweep.routes) > 0
    assert objects == len(BUILDERS) > 0


# --- what the sweep found, kept as plain tests -------------------------------------------


def test_a_form_sent_back_with_another_communes_record_does_not_name_it(tree, personas):
    theirs = Registration.objects.create(
        unit=tree.commune_b, name="Hộ ông Bí Mật", kind=LearningModelKind.FAMILY, year=2025
    )
    criteria = shared_criteria()
    client = client_for(personas.commune_a_staff)

    response = client.post(
        reverse("admin:learning_assessment_add"),
        {
            "registration": theirs.pk,
            "criteria_set": criteria.pk,
            "scores-TOTAL_FORMS": 0,
            "scores-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert "registration" in response.context["adminform"].form.errors
    assert "Bí Mật" not in response.content.decode()
    assert not Assessment.objects.exists()


def test_an_action_on_another_communes_units_does_nothing(tree, personas):
    client = client_for(personas.commune_a_staff)

    response = client.post(
        reverse("admin:associations_orgunit_changelist"),
        {"action": "merge_units", "_selected_action": [tree.commune_b.pk], "index": 0},
        follow=True,
    )

    assert response.status_code == 200
    assert "Không có mục nào được chọn trong phạm vi đơn vị của bạn." in response.content.decode()
    assert OrgUnit.objects.get(pk=tree.commune_b.pk).valid_to is None


def test_an_assignment_form_naming_another_communes_account_refuses_it_unnamed(tree, personas):
    StaffAssignment.objects.filter(user=personas.commune_a_staff).update(is_unit_admin=True)
    own = StaffAssignment.objects.get(user=personas.commune_a_staff)
    client = client_for(personas.commune_a_staff)

    response = client.post(
        reverse("admin:associations_staffassignment_change", args=[own.pk]),
        {"user": personas.commune_b_staff.pk, "unit": tree.commune_a.pk, "is_data_entry": "on"},
    )

    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors
    assert personas.commune_b_staff.username not in response.content.decode()
    assert StaffAssignment.objects.get(pk=own.pk).user == personas.commune_a_staff
