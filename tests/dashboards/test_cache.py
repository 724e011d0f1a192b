"""The dashboard is served from the cache and never shows a figure older than the data.

Every write to what it shows bumps the staff data version (khuyenhoc/staff_cache.py); the
cached part of the page is kept per unit, filter and scope of the reader.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils import timezone

from associations.models import OrgUnitKind
from associations.services import orgunit_merge
from awards.models import AwardDecision, AwardForm, AwardState, Recipient, RecipientKind
from awards.services import award_issue
from khuyenhoc import staff_cache
from learning import services as learning_services
from learning.importing import COLUMNS
from learning.models import ImportStatus, Registration
from reports import services as report_services
from reports.models import PeriodKind, Report
from tests.factories import make_decision, make_staff
from tests.reports.conftest import complete_figures, make_period

pytestmark = pytest.mark.django_db

# The apps whose every model feeds the dashboard, written here rather than read from the
# module under test, so that dropping one from it fails.
FEEDING_APPS = ("associations", "learning", "reports", "awards", "dashboards")
FEEDING_MODELS = ("news.Post", "auth.Group", "auth.Permission")


def feeding_models():
    for label in FEEDING_APPS:
        yield from apps.get_app_config(label).get_models(include_auto_created=True)
    for label in FEEDING_MODELS:
        yield apps.get_model(label)


@pytest.mark.parametrize("model", list(feeding_models()), ids=lambda m: m._meta.label)
def test_every_write_to_a_model_that_feeds_the_dashboard_bumps_the_version(model):
    before = staff_cache.version()
    post_save.send(sender=model, instance=model(), created=True, raw=False, using="default")
    after_save = staff_cache.version()
    assert after_save > before
    post_delete.send(sender=model, instance=model(), using="default", origin=None)
    assert staff_cache.version() > after_save
    for field in model._meta.local_many_to_many:
        current = staff_cache.version()
        m2m_changed.send(
            sender=field.remote_field.through,
            instance=model(),
            action="post_add",
            reverse=False,
            model=field.related_model,
            pk_set={1},
            using="default",
        )
        assert staff_cache.version() > current, field


@pytest.mark.parametrize("field", ["groups", "user_permissions"])
def test_a_change_to_an_accounts_groups_or_permissions_bumps_the_version(field):
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    relation = user_model._meta.get_field(field)
    before = staff_cache.version()
    m2m_changed.send(
        sender=relation.remote_field.through,
        instance=user_model(),
        action="post_remove",
        reverse=False,
        model=relation.related_model,
        pk_set={1},
        using="default",
    )
    assert staff_cache.version() > before


def card(response, label: str) -> str | None:
    """The value shown on the headline card `label`, as the reader sees it (None: no card)."""
    text = response.content.decode()
    found = re.search(
        r'dash-card__label">' + re.escape(label) + r'</span>\s*<span class="dash-card__value">'
        r"(.*?)</span>",
        text,
        re.S,
    )
    if found is None:
        return None
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def cached_twice(client, url: str):
    """The page, asked twice: the second answer comes from the cache."""
    first = client.get(url)
    assert first.status_code == 200
    second = client.get(url)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    return second


def test_a_repeated_request_is_a_hit_and_unknown_parameters_share_the_entry(
    tree, personas, as_user
):
    client = as_user(personas.district_staff)
    url = reverse("dashboards:unit", args=[tree.district.pk])
    assert client.get(url + "?nam=2024")["X-Cache"] == "miss"
    assert client.get(url + "?nam=2024&_=1")["X-Cache"] == "hit"
    # The same value written another way, and an invalid one, add no entry of their own.
    assert client.get(url + "?nam=02024&_=2")["X-Cache"] == "hit"
    assert client.get(url + "?nam=2024&mo_hinh=bogus&_=3")["X-Cache"] == "hit"
    # A different valid filter is a different page.
    assert client.get(url + "?nam=2023")["X-Cache"] == "miss"


def test_the_shell_is_drawn_for_each_reader(tree, personas, as_user):
    url = reverse("dashboards:unit", args=[tree.district.pk]) + "?nam=2024"
    staff = as_user(personas.district_staff).get(url)
    editor = as_user(personas.news_editor).get(url)
    assert editor["X-Cache"] == "hit"  # the same scope: the figures come from the cache
    # The links to admin pages follow each reader's own permissions.
    registrations = reverse("admin:learning_registration_changelist")
    assert registrations in staff.content.decode()
    assert registrations not in editor.content.decode()


def test_a_reader_of_another_scope_never_gets_the_cached_body(tree, personas, as_user):
    province_url = reverse("dashboards:unit", args=[tree.province.pk])
    district_url = reverse("dashboards:unit", args=[tree.district.pk])
    leader = as_user(personas.province_leader)
    cached_twice(leader, province_url)
    cached_twice(leader, district_url)

    district = as_user(personas.district_staff)
    assert district.get(province_url).status_code == 404
    # The district's page as its own staff see it: built for their scope, without the
    # province in the breadcrumb the leader's copy has.
    own = district.get(district_url)
    assert own.status_code == 200
    assert own["X-Cache"] == "miss"
    province_link = f'href="{province_url}"'
    assert province_link in leader.get(district_url).content.decode()
    assert province_link not in own.content.decode()
    # Commune staff of another unit: their own rules, whatever the others cached.
    commune = as_user(personas.commune_b_staff)
    assert commune.get(district_url).status_code == 404
    assert commune.get(province_url).status_code == 404
    assert commune.get(reverse("dashboards:home")).context["unit"] == tree.commune_b


def test_a_cached_request_reads_the_user_and_the_named_unit_only(
    tree, personas, as_user, django_assert_num_queries
):
    client = as_user(personas.district_staff)
    home = reverse("dashboards:home") + "?nam=2024"
    unit = reverse("dashboards:unit", args=[tree.district.pk]) + "?nam=2024"
    client.get(home)
    # The session, the user's permissions and scope come from the cache, the account's row
    # from this process's copy, checked against its number in the cache.
    with django_assert_num_queries(0):
        assert client.get(home + "&_=1")["X-Cache"] == "hit"
    client.get(unit)
    # And the unit named in the address, looked up within the scope.
    with django_assert_num_queries(1):
        assert client.get(unit + "&_=2")["X-Cache"] == "hit"


def test_an_account_closed_or_given_a_new_password_is_signed_out_at_its_next_request(
    tree, personas, as_user
):
    from django.core.cache import cache

    url = reverse("dashboards:home")
    district = as_user(personas.district_staff)
    commune = as_user(personas.commune_a_staff)
    assert district.get(url).status_code == commune.get(url).status_code == 200

    # The password hash stays in the process: never in the shared cache.
    kept = b"".join(value for value in cache._cache.values() if isinstance(value, bytes))
    assert personas.district_staff.password.encode() not in kept

    personas.district_staff.is_active = False
    personas.district_staff.save()
    assert district.get(url).status_code == 302

    personas.commune_a_staff.set_password("mat-khau-moi-2026")
    personas.commune_a_staff.save()
    assert commune.get(url).status_code == 302


def test_a_change_of_role_or_group_is_seen_at_the_next_request(tree, personas, as_user):
    from django.contrib.auth.models import Group, Permission

    user = personas.commune_a_staff
    client = as_user(user)
    url = reverse("dashboards:home")
    assert client.get(url).status_code == 200
    assignment = user.assignment
    assignment.is_data_entry = False
    assignment.save()
    assert client.get(url).status_code == 403  # no role left that may read the figures
    group = Group.objects.create(name="Xem số liệu")
    user.groups.add(group)
    assert client.get(url).status_code == 403
    group.permissions.add(Permission.objects.get(codename="view_orgunit"))
    assert client.get(url).status_code == 200
    group.permissions.clear()
    assert client.get(url).status_code == 403


def test_report_submit_return_and_approve_show_at_once(tree, personas, as_user):
    period = make_period(2024, PeriodKind.YEAR)
    client = as_user(personas.district_staff)
    page = reverse("dashboards:unit", args=[tree.district.pk]) + "?nam=2024&ky=year"
    with_sent = page + "&gom_chua_duyet=1"
    assert card(cached_twice(client, with_sent), "Hội viên") is None

    report = report_services.report_get_or_create(
        unit=tree.commune_a, period=period, by=personas.commune_a_staff
    )
    values = complete_figures(report.form, members_total="321")
    report_services.report_save(
        report=report,
        by=personas.commune_a_staff,
        values=values,
        version=report.version,
        submit=True,
    )
    assert card(client.get(with_sent), "Hội viên") == "321"
    assert card(cached_twice(client, page), "Hội viên") is None  # sent, not approved

    report_services.report_return(
        report=Report.objects.get(pk=report.pk), by=personas.district_staff, comment="Sai số."
    )
    assert card(client.get(with_sent), "Hội viên") is None

    report = Report.objects.get(pk=report.pk)
    report_services.report_save(
        report=report,
        by=personas.commune_a_staff,
        values=values,
        version=report.version,
        submit=True,
    )
    cached_twice(client, page)
    report_services.report_approve(
        report=Report.objects.get(pk=report.pk), by=personas.district_staff
    )
    response = client.get(page)
    assert response["X-Cache"] == "miss"
    assert card(response, "Hội viên") == "321"


def test_an_import_of_registrations_shows_at_once(tree, personas, as_user, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_BACKGROUND_ROWS = 1000
    client = as_user(personas.district_staff)
    page = reverse("dashboards:unit", args=[tree.district.pk]) + "?nam=2024&ky=year"
    assert card(cached_twice(client, page), "Gia đình học tập: đăng ký") == "0"

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([header for _name, header in COLUMNS])
    for name in ("Nguyễn Văn An", "Lò Thị Hoa"):
        values = {"kind": "Gia đình học tập", "year": 2024, "unit": "xã Một", "name": name}
        sheet.append([values.get(field, "") for field, _header in COLUMNS])
    path = tmp_path / "dang-ky.xlsx"
    workbook.save(path)
    upload = SimpleUploadedFile("dang-ky.xlsx", path.read_bytes())
    job = learning_services.import_start(user=personas.commune_a_staff, file=upload)
    assert job.status == ImportStatus.CHECKED, job.message
    job = learning_services.import_confirm(job=job)
    assert Registration.objects.count() == 2

    response = client.get(page)
    assert response["X-Cache"] == "miss"
    assert card(response, "Gia đình học tập: đăng ký") == "2"


def test_an_award_decision_shows_at_once(tree, personas, as_user):
    issuer = make_staff("quantri_huyen", tree.district, is_unit_admin=True)
    decision = make_decision(
        tree.district, "07/QĐ-HKH", dt.date(2024, 12, 20), signer_name="Nguyễn Văn Ký"
    )
    award = AwardDecision.objects.create(
        decision=decision, form=AwardForm.MERIT, occasion="tổng kết năm 2024"
    )
    for position in (1, 2, 3):
        Recipient.objects.create(
            award=award, kind=RecipientKind.INDIVIDUAL, name=f"Em {position}", position=position
        )
    client = as_user(personas.district_staff)
    page = reverse("dashboards:unit", args=[tree.district.pk]) + "?nam=2024&ky=year"
    assert card(cached_twice(client, page), "Lượt được khen thưởng") == "0"

    award_issue(by=issuer, award=award)
    assert AwardDecision.objects.get().state == AwardState.ISSUED

    response = client.get(page)
    assert response["X-Cache"] == "miss"
    assert card(response, "Lượt được khen thưởng") == "3"
    assert card(response, "Quyết định khen thưởng") == "1"


def test_a_reorganisation_of_the_tree_shows_at_once(tree, personas, as_user):
    year = timezone.localdate().year
    client = as_user(personas.province_leader)
    page = reverse("dashboards:unit", args=[tree.district.pk]) + f"?nam={year}"
    before = cached_twice(client, page).content.decode()
    assert "Hội Khuyến học xã Một Hai" not in before

    orgunit_merge(
        sources=[tree.commune_a, tree.commune_b],
        parent=tree.district,
        name="Hội Khuyến học xã Một Hai",
        kind=OrgUnitKind.COMMUNE,
        on=dt.date(year, 1, 1),
    )

    response = client.get(page)
    assert response["X-Cache"] == "miss"
    assert "Hội Khuyến học xã Một Hai" in response.content.decode()


def test_a_cached_page_reads_the_cache_twice_the_session_then_everything_else(
    tree, personas, as_user, monkeypatch
):
    from django.core.cache.backends.locmem import LocMemCache

    client = as_user(personas.district_staff)
    url = reverse("dashboards:home") + "?nam=2024"
    assert client.get(url).status_code == 200
    reads: list[str] = []
    depth = [0]
    for name in ("get", "get_many"):
        original = getattr(LocMemCache, name)

        def counted(self, *args, _original=original, _name=name, **kwargs):
            # The local cache answers get_many() with get(): count the outer call only,
            # one round trip to Redis.
            if depth[0] == 0:
                reads.append(_name)
            depth[0] += 1
            try:
                return _original(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(LocMemCache, name, counted)
    response = client.get(url)
    assert response["X-Cache"] == "hit"
    assert reads == ["get", "get_many"]
