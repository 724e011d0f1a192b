"""What each role may do, as Django permissions.

Each app lists its own models in `<app>/roles.py` as PERMISSIONS = {Role: {"app.model":
actions}}; this module gathers them. Leaders (lãnh đạo) get "view" on every model any role
may touch, and nothing more. Scoping (which rows) is separate: see associations/scoping.py.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from django.apps import apps

from associations.models import Role

ALL_ACTIONS = ("view", "add", "change", "delete")

PERMISSIONS: dict[Role, dict[str, tuple[str, ...]]] = {
    Role.UNIT_ADMIN: {
        "associations.orgunit": ("view", "add", "change"),
        "associations.emulationcluster": ALL_ACTIONS,
        "associations.staffassignment": ALL_ACTIONS,
        "associations.decision": ALL_ACTIONS,
        "auth.user": ("view", "add", "change"),
    },
    Role.DATA_ENTRY: {
        "associations.orgunit": ("view", "add", "change"),
        "associations.emulationcluster": ("view", "add", "change"),
        # Recognising a year's registrations records the decision that recognised them.
        "associations.decision": ("view", "add", "change"),
    },
    Role.EDITOR: {
        "associations.orgunit": ("view",),
    },
    Role.LEADER: {},
}


@cache
def role_permissions() -> dict[Role, frozenset[str]]:
    """Permission strings ("app_label.codename") for each role, across all apps."""
    merged: dict[Role, dict[str, set[str]]] = {role: {} for role in Role}
    for app_config in apps.get_app_configs():
        try:
            module = import_module(f"{app_config.name}.roles")
        except ModuleNotFoundError:
            continue
        for role, models in getattr(module, "PERMISSIONS", {}).items():
            for label, actions in models.items():
                merged[role].setdefault(label, set()).update(actions)
    every_model = {label for models in merged.values() for label in models}
    for label in every_model:
        merged[Role.LEADER].setdefault(label, set()).add("view")
    return {
        role: frozenset(
            f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
            for label, actions in models.items()
            for action in actions
        )
        for role, models in merged.items()
    }
