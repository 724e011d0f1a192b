from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from associations.roles import role_permissions
from associations.scoping import ASSIGNMENT_READ_WITH_USER

_CACHE_ATTR = "_role_perm_cache"


class RolePermissionBackend(ModelBackend):
    """Username/password login, plus the permissions of the roles in the user's assignment."""

    def get_user(self, user_id: Any) -> Any:
        """The user of a session, read in one query with their assignment and its unit.

        Every staff page then asks the user's roles, scope and permissions without another
        query. Permissions granted one by one or through groups (rare: the roles grant them)
        are still read when the account has any; for the others Django would read two empty
        sets on every request.
        """
        user_model = get_user_model()
        through_groups = user_model.groups.through
        through_permissions = user_model.user_permissions.through
        try:
            user = (
                user_model._default_manager.select_related("assignment__unit")
                .annotate(
                    _has_groups=Exists(through_groups.objects.filter(user=OuterRef("pk"))),
                    _has_own_permissions=Exists(
                        through_permissions.objects.filter(user=OuterRef("pk"))
                    ),
                )
                .get(pk=user_id)
            )
        except user_model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        setattr(user, ASSIGNMENT_READ_WITH_USER, True)
        if not user.is_superuser:
            # ModelBackend reads these caches before asking the database.
            if not user._has_groups:
                user._group_perm_cache = set()
            if not user._has_own_permissions:
                user._user_perm_cache = set()
        return user

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        permissions = set(super().get_group_permissions(user_obj, obj))
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return permissions
        return permissions | self._role_permissions(user_obj)

    def _role_permissions(self, user_obj: Any) -> set[str]:
        if not hasattr(user_obj, _CACHE_ATTR):
            assignment = getattr(user_obj, "assignment", None)
            granted: set[str] = set()
            if assignment is not None:
                by_role = role_permissions()
                for role in assignment.roles:
                    granted |= by_role[role]
            setattr(user_obj, _CACHE_ATTR, granted)
        return getattr(user_obj, _CACHE_ATTR)
