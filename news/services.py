"""The editorial workflow: nháp → chờ duyệt → đã đăng, with returns to the author."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.models import OrgUnitKind, Role
from associations.scoping import user_scope
from news.cache import bump_generation
from news.models import Post, PostStatus, PostStatusChange

# Posts are reviewed above the commune: a district or province editor publishes.
PUBLISHING_KINDS = frozenset({OrgUnitKind.DISTRICT, OrgUnitKind.PROVINCE})


def _is_editor(user: AbstractBaseUser) -> bool:
    if user.is_superuser:
        return True
    assignment = getattr(user, "assignment", None)
    return assignment is not None and assignment.has_role(Role.EDITOR)


def can_edit(user: AbstractBaseUser, post: Post) -> bool:
    return _is_editor(user) and user_scope(user).covers_object(post)


def can_publish(user: AbstractBaseUser, post: Post) -> bool:
    if not can_edit(user, post):
        return False
    if user.is_superuser:
        return True
    return user.assignment.unit.kind in PUBLISHING_KINDS


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
    """A district or province editor publishes; an empty time means now, a later one schedules."""
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
