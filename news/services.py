"""The editorial workflow: nháp → chờ duyệt → đã đăng, with returns to the author."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.scoping import user_scope
from associations.tree import unit_above
from news.cache import bump_generation
from news.models import Post, PostStatus, PostStatusChange
from news.site import site_unit

EDIT_PERMISSION = "news.change_post"
PUBLISH_PERMISSION = "news.publish_post"


def can_edit(user: AbstractBaseUser, post: Post) -> bool:
    return user.has_perm(EDIT_PERMISSION) and user_scope(user).covers_object(post)


def _post_day(post: Post) -> dt.date:
    return timezone.localdate(post.created_at) if post.created_at else timezone.localdate()


def can_publish(user: AbstractBaseUser, post: Post) -> bool:
    """Posts are reviewed by the unit above the post's unit on the post's day.

    An editor with the publish permission publishes and returns the posts of the units whose
    unit above lies in their scope. The top of the tree, and the association this portal
    belongs to (nobody above it reviews its site), publish their own posts.
    """
    if not can_edit(user, post):
        return False
    if user.is_superuser:
        return True
    if not user.has_perm(PUBLISH_PERMISSION):
        return False
    scope = user_scope(user)
    above = unit_above(post.unit, on=_post_day(post))
    if above is not None and scope.covers(above):
        return True
    if scope.unit is None or post.unit_id != scope.unit.pk:
        return False
    if above is None:
        return True
    own_site = site_unit()
    return own_site is not None and own_site.pk == post.unit_id


def _move(post: Post, *, to: PostStatus, by: AbstractBaseUser, note: str = "") -> Post:
    previous = post.status
    post.status = to
    post.save(update_fields=["status", "published_at", "updated_at"])
    PostStatusChange.objects.create(post=post, from_status=previous, to_status=to, by=by, note=note)
    bump_generation()
    return post


@transaction.atomic
def post_submit(*, post: Post, by: AbstractBaseUser) -> Post:
    """The author sends a draft to the unit above for review."""
    if not can_edit(by, post):
        raise PermissionDenied
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status != PostStatus.DRAFT:
        raise ValidationError(_("Chỉ gửi duyệt được tin đang ở trạng thái nháp."))
    return _move(post, to=PostStatus.SUBMITTED, by=by)


@transaction.atomic
def post_publish(*, post: Post, by: AbstractBaseUser) -> Post:
    """The unit above publishes; an empty time means now, a later one schedules."""
    if not can_publish(by, post):
        raise PermissionDenied
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status == PostStatus.PUBLISHED:
        raise ValidationError(_("Tin này đã được đăng."))
    if post.published_at is None:
        post.published_at = timezone.now()
    return _move(post, to=PostStatus.PUBLISHED, by=by)


@transaction.atomic
def post_return(*, post: Post, by: AbstractBaseUser, reason: str) -> Post:
    """Send a post back to draft with the reviewer's reason; a published post is withdrawn."""
    if not can_publish(by, post):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Hãy ghi lý do trả lại tin."))
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status == PostStatus.DRAFT:
        raise ValidationError(_("Tin này đang là bản nháp."))
    return _move(post, to=PostStatus.DRAFT, by=by, note=reason.strip())
