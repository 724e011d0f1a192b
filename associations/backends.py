from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from associations.roles import role_permissions

_CACHE_ATTR = "_role_perm_cache"


class RolePermissionBackend(ModelBackend):
    """Username/password login, plus the permissions of the roles in the user's assignment."""

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
