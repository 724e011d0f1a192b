"""Permissions of each role on targets: unit administrators set their subtree's targets."""

from associations.models import Role

PERMISSIONS = {
    Role.UNIT_ADMIN: {"dashboards.target": ("view", "add", "change", "delete")},
    Role.DATA_ENTRY: {"dashboards.target": ("view",)},
}
