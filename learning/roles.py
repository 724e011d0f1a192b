"""Permissions of each role on learning-model data (rows are narrowed by scoping)."""

from associations.models import Role

_ALL = ("view", "add", "change", "delete")

PERMISSIONS = {
    Role.UNIT_ADMIN: {
        "learning.registration": _ALL,
        "learning.assessment": _ALL,
        "learning.assessmentscore": _ALL,
        "learning.householdcount": _ALL,
        "learning.importjob": ("view", "add"),
        # Criteria sets are shared by every unit, so only unit administrators change them.
        "learning.criteriaset": _ALL,
        "learning.criteriaitem": _ALL,
    },
    Role.DATA_ENTRY: {
        "learning.registration": _ALL,
        "learning.assessment": _ALL,
        "learning.assessmentscore": _ALL,
        "learning.householdcount": _ALL,
        "learning.importjob": ("view", "add"),
        "learning.criteriaset": ("view",),
        "learning.criteriaitem": ("view",),
    },
}
