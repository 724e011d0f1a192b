"""nháp → chờ duyệt → đã đăng, who may do what, and the history kept on the way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from news import cache as news_cache
from news.models import Post, PostStatus, PostStatusChange
from news.services import post_publish, post_return, post_submit
from tests.news.helpers import make_post

pytestmark = pytest.mark.django_db


def test_commune_editor_submits_and_district_editor_publishes(tree, personas, commune_a_editor):
    post = make_post(tree.commune_a, "Tin của xã Một", status=PostStatus.DRAFT)
    post_submit(post=post, by=commune_a_editor)
    with pytest.raises(PermissionDenied):
        post_publish(post=post, by=commune_a_editor)

    before = news_cache.generation()
    post_publish(post=post, by=personas.news_editor)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.published_at is not None
    assert post.published_at <= timezone.now()
    assert post in Post.objects.published()
    assert news_cache.generation() != before  # public pages are rebuilt
    steps = list(post.status_changes.order_by("at", "pk").values_list("to_status", "by__username"))
    assert steps == [
        (PostStatus.SUBMITTED, "bientap_xa_mot"),
        (PostStatus.PUBLISHED, "bientap_huyen"),
    ]


def test_publishing_keeps_a_scheduled_time(tree, personas):
    later = timezone.now() + dt.timedelta(days=1)
    post = make_post(tree.district, status=PostStatus.SUBMITTED, published_at=later)
    post_publish(post=post, by=personas.news_editor)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.published_at == later
    assert post not in Post.objects.published()


def test_return_needs_a_reason_and_records_it(tree, personas, commune_a_editor):
    post = make_post(tree.commune_a, status=PostStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        post_return(post=post, by=personas.news_editor, reason="  ")
    post_return(post=post, by=personas.news_editor, reason="Thiếu ảnh và tên tác giả.")
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT
    assert PostStatusChange.objects.get(post=post).note == "Thiếu ảnh và tên tác giả."


def test_editor_cannot_touch_another_units_posts(tree, personas, commune_a_editor):
    other = make_post(tree.commune_b, status=PostStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        post_submit(post=other, by=commune_a_editor)
    far = make_post(tree.other_commune, status=PostStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        post_publish(post=far, by=personas.news_editor)


def test_staff_without_editor_role_cannot_publish(tree, personas):
    post = make_post(tree.district, status=PostStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        post_publish(post=post, by=personas.commune_a_staff)
    with pytest.raises(PermissionDenied):
        post_publish(post=post, by=personas.province_leader)


def test_wrong_state_is_refused_with_a_message(tree, personas):
    post = make_post(tree.district)  # already published
    with pytest.raises(ValidationError, match="đã được đăng"):
        post_publish(post=post, by=personas.news_editor)
    with pytest.raises(ValidationError, match="nháp"):
        post_submit(post=post, by=personas.news_editor)


def test_the_unit_above_on_the_posts_day_publishes_not_a_fixed_level(
    tree, personas, commune_a_editor, commune_b_editor
):
    # A chi hội's posts are reviewed by its commune, which is not a district or province.
    branch_post = make_post(tree.village_a, "Tin chi hội", status=PostStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        post_publish(post=branch_post, by=commune_b_editor)
    post_publish(post=branch_post, by=commune_a_editor)
    assert Post.objects.get(pk=branch_post.pk).status == PostStatus.PUBLISHED
    # The commune's own posts still go up to the district.
    own = make_post(tree.commune_a, "Tin xã", status=PostStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        post_return(post=own, by=commune_a_editor, reason="Thử")
    post_return(post=own, by=personas.news_editor, reason="Thiếu ảnh.")


def test_publishing_is_a_permission_granted_to_editors(tree, personas):
    assert personas.news_editor.has_perm("news.publish_post")
    assert not personas.province_leader.has_perm("news.publish_post")
    assert not personas.commune_a_staff.has_perm("news.publish_post")


def test_after_the_district_is_dissolved_the_province_reviews_its_former_communes(tree, personas):
    from associations.services import orgunit_dissolve
    from tests.factories import REFORM_DAY, make_staff

    successors = orgunit_dissolve(unit=tree.district, on=REFORM_DAY)
    ward = next(unit for unit in successors if unit.name == tree.commune_a.name)
    province_editor = make_staff("bientap_tinh", tree.province, is_editor=True)
    post = make_post(ward, "Tin phường mới", status=PostStatus.SUBMITTED)
    # The district's editor stays with the closed district, which no longer covers the ward.
    with pytest.raises(PermissionDenied):
        post_publish(post=post, by=personas.news_editor)
    post_publish(post=post, by=province_editor)
    assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHED


def test_a_cached_search_finds_a_post_as_soon_as_it_is_published(tree, personas, reader_client):
    post = make_post(tree.district, "Trao học bổng Vừ A Dính", status=PostStatus.SUBMITTED)
    first = reader_client.get("/tim-kiem/", {"q": "vu a dinh"})
    again = reader_client.get("/tim-kiem/", {"q": "vu a dinh"})
    assert again["X-Cache"] == "hit"  # the same search is served from the cache
    assert "Trao học bổng Vừ A Dính" not in first.content.decode()

    post_publish(post=post, by=personas.news_editor)

    assert (
        "Trao học bổng Vừ A Dính"
        in reader_client.get("/tim-kiem/", {"q": "vu a dinh"}).content.decode()
    )
